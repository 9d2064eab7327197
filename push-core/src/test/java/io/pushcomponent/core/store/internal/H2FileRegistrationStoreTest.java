package io.pushcomponent.core.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.Device;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against {@link JdbcRegistrationStore#openH2(Path, String)}: embedded H2 in file mode. */
class H2FileRegistrationStoreTest extends JdbcRegistrationStoreContract {
    @TempDir
    Path directory;

    @Override
    JdbcRegistrationStore openStore(String tablePrefix) {
        return JdbcRegistrationStore.openH2(directory, tablePrefix);
    }

    @Override
    JdbcRegistrationStore openOtherInstance(String tablePrefix) {
        // One process at a time may open an H2 file; in-process, a second pool shares the open database.
        return JdbcRegistrationStore.openH2(directory, tablePrefix);
    }

    @Override
    DataSource dataSource() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + directory.resolve(JdbcRegistrationStore.H2_DATABASE_NAME)
                + ";DB_CLOSE_ON_EXIT=FALSE");
        dataSource.setUser("sa");
        return dataSource;
    }

    @Test
    void theDatabaseIsAFileInTheGivenDirectory() {
        store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));

        assertThat(directory.resolve("registrations.mv.db")).as("embedded H2 keeps the registrations in a file")
                .isRegularFile();
    }

    /**
     * The embedded store keeps a page cache of {@link H2Pool#CACHE_KB} KB, not H2's 16 MB: pages read for publishes
     * to many different registrations then leave the cache before a young collection would copy them.
     */
    @Test
    void theEmbeddedDatabaseKeepsASmallPageCache() throws SQLException {
        store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));

        try (Connection connection = dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet setting = statement.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME = 'info.CACHE_MAX_SIZE'")) {
            assertThat(setting.next()).isTrue();
            assertThat(Integer.parseInt(setting.getString(1))).as("the open database's page cache, in MB")
                    .isEqualTo(H2Pool.CACHE_KB / 1024);
        }
    }
}
