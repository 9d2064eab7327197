package io.pushcomponent.core.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.RegistrationChangeListener;
import io.pushcomponent.api.store.RegistrationWatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code postgresql} store's change watch: what one instance removes or changes, another instance's watch
 * reports (and nothing else), a bulk change is reported as unnamed, and a watch whose connection PostgreSQL ends
 * (as in a restart) reports the loss, listens again and reports the unheard changes as unnamed. Two connection pools
 * stand for two component instances. Needs {@code PUSH_TEST_POSTGRES_URL}: skipped without it, failed without it
 * when {@code CI=true}.
 */
@Timeout(120)
class PostgresChangeWatchTest {
    private static final String URL_VARIABLE = PostgresRegistrationStoreTest.URL_VARIABLE;
    private static final long WAIT_SECONDS = 10;

    private final String prefix = JdbcRegistrationStoreContract.randomPrefix();
    private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    private HikariDataSource poolA;
    private HikariDataSource poolB;
    private JdbcRegistrationStore instanceA;
    private JdbcRegistrationStore instanceB;
    private RegistrationWatch watch;

    @BeforeEach
    void open() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true and " + URL_VARIABLE + " is not set");
            }
            assumeTrue(false, URL_VARIABLE + " is not set");
        }
        poolA = pool(url, "watch-test-a");
        poolB = pool(url, "watch-test-b");
        instanceA = JdbcRegistrationStore.open(poolA, prefix);
        instanceB = JdbcRegistrationStore.open(poolB, prefix);
        watch = instanceB.watchChanges(new RegistrationChangeListener() {
            @Override
            public void changed(Set<String> nodes) {
                heard.add("changed " + new TreeSet<>(nodes));
            }

            @Override
            public void changedUnknown() {
                heard.add("unknown");
            }

            @Override
            public void watchLost() {
                heard.add("lost");
            }
        }).orElseThrow();
    }

    private static HikariDataSource pool(String url, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName(name);
        config.setMaximumPoolSize(3);
        return new HikariDataSource(config);
    }

    @AfterEach
    void close() throws SQLException {
        if (instanceB == null) {
            return;
        }
        instanceB.close();
        assertThat(watch.live()).as("the store closes its watch").isFalse();
        instanceA.close();
        try (Connection c = poolA.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + prefix + "delivery_stats");
            s.execute("DROP TABLE IF EXISTS " + prefix + "registration");
            s.execute("DROP TABLE IF EXISTS " + prefix + "schema_version");
            s.execute("DROP FUNCTION IF EXISTS " + prefix + "registration_deleted()");
            s.execute("DROP FUNCTION IF EXISTS " + prefix + "registration_updated()");
        }
        poolA.close();
        poolB.close();
    }

    private static DeviceRegistration candidate(String owner, String token, String secret) {
        return new DeviceRegistration(UUID.randomUUID().toString(), Device.of("fcm-http-v1", token), owner, secret,
                Instant.now());
    }

    private String next() throws InterruptedException {
        String event = heard.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(event).as("the watch reported something within %d s", WAIT_SECONDS).isNotNull();
        return event;
    }

    @Test
    void anUnregistrationThroughOneInstanceIsReportedToTheOther() throws Exception {
        assertThat(watch.live()).isTrue();
        String node = instanceA.register(candidate("juliet@capulet.example", "token-1", "s1")).node();

        instanceA.unregister(node);

        assertThat(next()).isEqualTo("changed [" + node + "]");
    }

    @Test
    void aChangedDeliveryValueIsReportedAnUnrelatedUpdateAndAnInsertAreNot() throws Exception {
        DeviceRegistration first = instanceA.register(candidate("juliet@capulet.example", "token-1", "s1"));
        String marker = instanceA.register(candidate("romeo@montague.example", "token-2", "s2")).node();
        try (Connection c = poolA.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + prefix + "registration SET created_at = created_at");
        }
        instanceA.unregister(marker);
        assertThat(next()).as("inserts and an update of no delivery value are not reported; notifications come in"
                + " commit order, so the marker's removal is the first").isEqualTo("changed [" + marker + "]");

        DeviceRegistration again = instanceA.register(candidate("juliet@capulet.example", "token-1", "new-secret"));

        assertThat(again.node()).as("the same device keeps its node").isEqualTo(first.node());
        assertThat(next()).as("a re-registration that changed the secret").isEqualTo("changed [" + first.node() + "]");
    }

    @Test
    void aChangeOfMoreNodesThanOneNotificationHoldsIsReportedUnnamed() throws Exception {
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            nodes.add(instanceA.register(candidate("u" + i + "@capulet.example", "token-" + i, null)).node());
        }
        try (Connection c = poolA.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + prefix + "registration");
        }
        assertThat(nodes.stream().mapToInt(n -> n.length() + 1).sum()).isGreaterThan(PostgresChangeWatch.MAX_PAYLOAD);
        assertThat(next()).as("one notification for the statement, naming no node").isEqualTo("unknown");
        assertThat(heard.poll(500, TimeUnit.MILLISECONDS)).as("and nothing more").isNull();
    }

    @Test
    void aWatchWhoseConnectionPostgresEndsReportsTheLossListensAgainAndReportsUnheardChanges() throws Exception {
        try (Connection c = poolA.getConnection();
             PreparedStatement terminate = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM"
                     + " pg_stat_activity WHERE datname = current_database() AND application_name = ?")) {
            terminate.setString(1, PostgresChangeWatch.applicationName(PostgresChangeWatch.channel(prefix)));
            try (ResultSet rows = terminate.executeQuery()) {
                assertThat(rows.next()).as("the listening connection is found by its application_name").isTrue();
            }
        }

        assertThat(next()).as("the loss is reported").isEqualTo("lost");
        assertThat(next()).as("listening again, what changed meanwhile is unknown").isEqualTo("unknown");
        assertThat(watch.live()).isTrue();
        String node = instanceA.register(candidate("juliet@capulet.example", "token-1", "s1")).node();
        instanceA.unregister(node);
        assertThat(next()).as("changes are reported again").isEqualTo("changed [" + node + "]");
    }
}
