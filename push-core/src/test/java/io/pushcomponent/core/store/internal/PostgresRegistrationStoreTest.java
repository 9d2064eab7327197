package io.pushcomponent.core.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeliveryDiagnostics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The store contract against PostgreSQL, enabled when {@code PUSH_TEST_POSTGRES_URL} holds a JDBC URL (CI sets it;
 * locally e.g. {@code jdbc:postgresql://127.0.0.1:5432/push_test?user=push&password=push}). Two connection pools
 * stand for two component instances sharing the database.
 */
@EnabledIfEnvironmentVariable(named = PostgresRegistrationStoreTest.URL_VARIABLE, matches = ".+")
class PostgresRegistrationStoreTest extends JdbcRegistrationStoreContract {
    static final String URL_VARIABLE = "PUSH_TEST_POSTGRES_URL";

    private static HikariDataSource instanceA;
    private static HikariDataSource instanceB;

    @BeforeAll
    static void connect() {
        instanceA = pool("push-test-a");
        instanceB = pool("push-test-b");
    }

    private static HikariDataSource pool(String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(System.getenv(URL_VARIABLE));
        config.setPoolName(name);
        config.setMaximumPoolSize(6);
        return new HikariDataSource(config);
    }

    @AfterAll
    static void disconnect() {
        instanceA.close();
        instanceB.close();
    }

    @Override
    JdbcRegistrationStore openStore(String tablePrefix) {
        return JdbcRegistrationStore.open(instanceA, tablePrefix);
    }

    @Override
    JdbcRegistrationStore openOtherInstance(String tablePrefix) {
        return JdbcRegistrationStore.open(instanceB, tablePrefix);
    }

    @Override
    DataSource dataSource() {
        return instanceA;
    }

    /**
     * Adding diagnostics leaves the registration's row as it was: a foreign-key check would lock it
     * ({@code FOR KEY SHARE}, visible as the row version's {@code xmax}), which writes the registration table's page,
     * a full-page image in the WAL after every checkpoint.
     */
    @Test
    void addingDiagnosticsLocksNoRegistrationRow() throws SQLException {
        store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));

        store.addDiagnostics(Map.of("node-1", DeliveryDiagnostics.success(T0)));

        assertThat(store.diagnostics(List.of("node-1"))).as("the diagnostics were added")
                .containsEntry("node-1", DeliveryDiagnostics.success(T0));
        assertThat(query("SELECT xmax::text FROM " + prefix + "registration WHERE node = ?", "node-1"))
                .as("no transaction locked or changed the registration's row").isEqualTo("0");
    }

    /**
     * A removed registration's diagnostics row goes with it (the trigger of migration 7), and diagnostics added
     * for it afterwards write no row.
     */
    @Test
    void removingARegistrationRemovesItsDiagnosticsRow() throws SQLException {
        store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));
        store.register(registration("node-2", Device.of(FCM, TOKEN + "2"), BOB, 1));
        store.addDiagnostics(Map.of("node-1", DeliveryDiagnostics.success(T0),
                "node-2", DeliveryDiagnostics.success(T0)));

        store.unregister("node-1");
        store.addDiagnostics(Map.of("node-1", DeliveryDiagnostics.success(T0.plusSeconds(1))));

        String rows = "SELECT count(*)::text FROM " + prefix + "delivery_stats WHERE node = ?";
        assertThat(query(rows, "node-1")).as("the removed registration's row is gone and stays gone").isEqualTo("0");
        assertThat(query(rows, "node-2")).as("the other registration's row stays").isEqualTo("1");
    }

    /**
     * Diagnostics added while the registration's removal is in progress (not committed yet) leave no row behind:
     * the flush waits for the removal and then no longer finds the registration. Without the foreign key's lock the
     * flush saw the registration still there and wrote a row the removal's trigger had already looked for.
     */
    @Test
    void diagnosticsAddedWhileTheRegistrationIsBeingRemovedLeaveNoRow() throws Exception {
        store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));
        ExecutorService flusher = Executors.newSingleThreadExecutor();
        try (Connection removal = dataSource().getConnection()) {
            removal.setAutoCommit(false);
            try (PreparedStatement delete = removal.prepareStatement(
                    "DELETE FROM " + prefix + "registration WHERE node = ?")) {
                delete.setString(1, "node-1");
                assertThat(delete.executeUpdate()).as("the removal deleted the row, not committed yet").isEqualTo(1);
            }
            Future<?> flush = flusher.submit(() -> store.addDiagnostics(
                    Map.of("node-1", DeliveryDiagnostics.success(T0))));
            awaitAdvisoryLockWait(flush);
            removal.commit();
            flush.get(10, TimeUnit.SECONDS);
        } finally {
            flusher.shutdownNow();
        }

        assertThat(query("SELECT count(*)::text FROM " + prefix + "delivery_stats WHERE node = ?", "node-1"))
                .as("no diagnostics row outlives the registration").isEqualTo("0");
    }

    /** Waits until a session waits for an advisory lock, or {@code flush} ended without waiting for one. */
    private void awaitAdvisoryLockWait(Future<?> flush) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String waiting = "SELECT count(*)::text FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND wait_event = 'advisory' AND datname = current_database() AND pid <> pg_backend_pid()";
        try (Connection connection = dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(waiting)) {
            while (!flush.isDone()) {
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    if (!"0".equals(row.getString(1))) {
                        return;
                    }
                }
                assertThat(System.nanoTime() - deadline).as("the flush neither waited nor ended within 10 s")
                        .isNegative();
                Thread.onSpinWait();
            }
        }
    }

    private String query(String sql, String node) throws SQLException {
        try (Connection connection = dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, node);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }
}
