package io.pushcomponent.core.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.api.store.RegistrationStoreException;
import io.pushcomponent.testkit.store.AccountPushRegistrationStoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2AccountPushRegistrationStoreTest extends AccountPushRegistrationStoreContract {
    @TempDir
    Path dir;

    JdbcDataSource dataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("push").toAbsolutePath() + ";LOCK_TIMEOUT=10000");
        return ds;
    }

    @Override
    protected AccountPushRegistrationStore createStore() {
        return JdbcAccountPushRegistrationStore.open(dataSource(), "test_");
    }

    @Override
    protected AccountPushRegistrationStore reopen() {
        return JdbcAccountPushRegistrationStore.open(dataSource(), "test_");
    }

    @Test
    void refusesAPrefixThatIsNotAPlainIdentifier() {
        assertThatThrownBy(() -> JdbcAccountPushRegistrationStore.open(dataSource(), "x; DROP TABLE y; --"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table prefix");
    }

    @Test
    void refusesASchemaNewerThanItKnows() throws Exception {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE test_user_schema_version SET version = 99");
        }

        assertThatThrownBy(this::reopen).isInstanceOf(RegistrationStoreException.class)
                .hasMessageContaining("schema version 99").hasMessageContaining("newer than version");
    }

    @Test
    void theDefaultPrefixIsPush() throws Exception {
        try (AccountPushRegistrationStore defaults = JdbcAccountPushRegistrationStore.open(dataSource(), JdbcRegistrationStore.DEFAULT_TABLE_PREFIX)) {
            defaults.put(registration(JULIET, "node-1", T0), 5);
        }
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM push_user_registration")) {
            rs.next();
            assertThat(rs.getInt(1)).as("jdbc(dataSource) keeps rows in push_user_registration").isEqualTo(1);
        }
    }

    @Test
    void aSecondPrefixGetsItsOwnTables() {
        try (AccountPushRegistrationStore other = JdbcAccountPushRegistrationStore.open(dataSource(), "other_")) {
            store.put(registration(JULIET, "node-1", T0), 5);

            assertThat(other.list(JULIET)).as("stores with different prefixes do not share rows").isEmpty();
        }
    }
}
