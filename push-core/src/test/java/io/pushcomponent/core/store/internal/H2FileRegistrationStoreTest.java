package io.pushcomponent.core.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.Device;
import java.nio.file.Path;
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
}
