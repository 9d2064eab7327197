package io.pushcomponent.core.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.RegistrationStoreException;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule: a store acknowledges a change only when the commit is in the database, so that it survives a killed
 * process. H2 writes commits from a background thread up to {@code WRITE_DELAY} (500 ms by default) later; the
 * stores open H2 with a write delay of 0. (The kill itself is tested in push-component's
 * {@code DurableAcknowledgementTest}.)
 */
class DurableCommitsTest {
    @TempDir
    Path dir;

    @Test
    void theEmbeddedStoreWritesEveryCommitBeforeItReturns() throws SQLException {
        try (JdbcRegistrationStore store = JdbcRegistrationStore.openH2(dir.resolve("data"))) {
            store.register(registration("n1"));
        }
        assertThat(writeDelay(h2(dir.resolve("data").resolve(JdbcRegistrationStore.H2_DATABASE_NAME), "sa")))
                .as("H2 keeps the write delay the store set").isEqualTo("0");
    }

    @Test
    void aStoreOpenedOnACallersH2DatabaseSetsItsWriteDelayToZero() throws SQLException {
        JdbcDataSource registrations = h2(dir.resolve("app"), "sa");
        assertThat(writeDelay(registrations)).as("H2's default").isEqualTo("500");
        JdbcRegistrationStore.open(registrations).close();
        assertThat(writeDelay(registrations)).as("app server's store").isEqualTo("0");

        JdbcDataSource userSide = h2(dir.resolve("server"), "sa");
        JdbcAccountPushRegistrationStore.open(userSide, JdbcRegistrationStore.DEFAULT_TABLE_PREFIX).close();
        assertThat(writeDelay(userSide)).as("user's-server store").isEqualTo("0");
    }

    @Test
    void aUserWhoMayNotSetTheWriteDelayIsRefusedWithWhatToDo() throws SQLException {
        JdbcDataSource admin = h2(dir.resolve("shared"), "sa");
        execute(admin, "CREATE USER app PASSWORD 'app-pw'", "GRANT ALL ON SCHEMA PUBLIC TO app");
        JdbcDataSource app = h2(dir.resolve("shared"), "app");
        app.setPassword("app-pw");

        assertThatThrownBy(() -> JdbcRegistrationStore.open(app)).isInstanceOf(RegistrationStoreException.class)
                .hasMessageContaining("killed process would lose acknowledged changes")
                .hasMessageContaining("SET WRITE_DELAY 0");

        JdbcRegistrationStore.open(admin).close();
        execute(admin, "GRANT ALL ON push_registration, push_schema_version TO app");
        try (JdbcRegistrationStore store = JdbcRegistrationStore.open(app)) {
            assertThat(store.register(registration("n2")).node())
                    .as("once an admin opened the store (which set it; H2 keeps it), the user opens it too")
                    .isEqualTo("n2");
        }
    }

    @Test
    void withFsyncEveryChangeIsForcedToTheDiskAndTheStoreWorksAsUsual() {
        try (JdbcRegistrationStore store = JdbcRegistrationStore.openH2(dir.resolve("fsync"),
                JdbcRegistrationStore.DEFAULT_TABLE_PREFIX, true)) {
            store.register(registration("n3"));
            assertThat(store.findByNode("n3")).isPresent();
            assertThat(store.unregister("n3")).isTrue();
        }
        try (JdbcRegistrationStore store = JdbcRegistrationStore.openH2(dir.resolve("fsync"))) {
            assertThat(store.count()).isZero();
        }
    }

    private static DeviceRegistration registration(String node) {
        return new DeviceRegistration(node, Device.of("fcm-http-v1", "token-" + node), "alice@example.com", "s",
                Instant.now());
    }

    private static JdbcDataSource h2(Path file, String user) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + file.toAbsolutePath());
        dataSource.setUser(user);
        return dataSource;
    }

    private static String writeDelay(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet row = s.executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            row.next();
            return row.getString(1);
        }
    }

    private static void execute(DataSource dataSource, String... statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
