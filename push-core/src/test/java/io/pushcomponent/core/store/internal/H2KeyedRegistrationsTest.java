package io.pushcomponent.core.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.PublishSecret;
import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.api.store.DeviceRegistration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedded H2 keeps registrations keyed by a 64-bit hash of their node (migration 7): a database written before is
 * upgraded with every registration still found, and nodes whose hashes collide are each stored and found.
 */
class H2KeyedRegistrationsTest {
    private static final String PREFIX = "push_";
    private static final Instant T0 = Instant.parse("2026-11-24T19:00:00Z");
    /** More than one batch of migration 7's copy. */
    private static final int OLD_ROWS = 2_345;
    /** Every node collides with a third of the others. */
    private static final ToLongFunction<String> THREE_KEYS = node -> Math.floorMod(node.hashCode(), 3);

    @TempDir
    Path directory;

    private static DeviceRegistration registration(int i) {
        return new DeviceRegistration("node-" + i, Device.of("fcm-http-v1", "token-" + i + "-abcdefghij"),
                "user" + (i % 7) + "@example.com", "secret-" + i, T0.plusSeconds(i));
    }

    private static DeviceRegistration asStored(DeviceRegistration registration) {
        return new DeviceRegistration(registration.node(), registration.device(), registration.owner(),
                PublishSecret.stored(registration.secret()), registration.createdAt());
    }

    private JdbcDataSource dataSource() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + directory.resolve(JdbcRegistrationStore.H2_DATABASE_NAME)
                + ";DB_CLOSE_ON_EXIT=FALSE");
        dataSource.setUser("sa");
        return dataSource;
    }

    /** A database as schema version 6 wrote it (registrations keyed by node), with rows and one node's diagnostics. */
    private void writeVersionSixDatabase() throws SQLException {
        JdbcDataSource dataSource = dataSource();
        Schema.migrate(dataSource, PREFIX, Schema.DEVICES.upTo(6));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + PREFIX + "registration"
                    + " (node, token_key, owner_key, provider_id, token, second_token, app_id, sandbox, owner_jid,"
                    + " secret, created_at) VALUES (?, ?, ?, ?, ?, NULL, NULL, FALSE, ?, ?, ?)")) {
                for (int i = 0; i < OLD_ROWS; i++) {
                    DeviceRegistration r = registration(i);
                    JdbcRegistrationStore.Keys keys = JdbcRegistrationStore.Keys.of(r);
                    insert.setString(1, r.node());
                    insert.setString(2, keys.token());
                    insert.setString(3, keys.owner());
                    insert.setString(4, r.device().providerId());
                    insert.setString(5, r.device().token());
                    insert.setString(6, r.owner());
                    insert.setString(7, PublishSecret.stored(r.secret()));
                    insert.setObject(8, OffsetDateTime.ofInstant(r.createdAt(), ZoneOffset.UTC));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO " + PREFIX + "delivery_stats (node, success_count, last_success_at)"
                        + " VALUES ('node-5', 3, TIMESTAMP WITH TIME ZONE '2026-11-24 19:00:30+00')");
            }
            connection.commit();
        }
        assertThat(columns()).as("the version 6 table has no node key").doesNotContain("node_key");
    }

    private List<String> columns() throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet none = statement.executeQuery("SELECT * FROM " + PREFIX + "registration WHERE 1 = 0")) {
            for (int i = 1; i <= none.getMetaData().getColumnCount(); i++) {
                columns.add(none.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
            }
        }
        return columns;
    }

    private static void assertEveryOldRegistrationFound(JdbcRegistrationStore store) {
        List<String> nodes = IntStream.range(0, OLD_ROWS).mapToObj(i -> "node-" + i).toList();
        Map<String, DeviceRegistration> found = store.findByNodes(nodes);
        assertThat(found).as("every registration of the old table, found by node in one call").hasSize(OLD_ROWS);
        for (int i = 0; i < OLD_ROWS; i++) {
            assertThat(found.get("node-" + i)).as("node-%d", i).isEqualTo(asStored(registration(i)));
        }
        assertThat(store.findByNode("node-17")).as("found alone").contains(asStored(registration(17)));
        assertThat(store.findByToken("fcm-http-v1", "token-17-abcdefghij")).as("found by token")
                .containsExactly(asStored(registration(17)));
        assertThat(store.listByOwner("user3@example.com")).as("listed by owner")
                .hasSize((int) IntStream.range(0, OLD_ROWS).filter(i -> i % 7 == 3).count());
        assertThat(store.count()).isEqualTo(OLD_ROWS);
    }

    /**
     * Migration 7 rebuilds a version 6 table keyed by node into one keyed by the node's hash: every registration is
     * still found (by node, token and owner), the diagnostics are kept and still removed with their registration,
     * and a node stays unique.
     */
    @Test
    void aVersionSixDatabaseIsKeyedByNodeHashAndKeepsEveryRegistration() throws SQLException {
        writeVersionSixDatabase();

        try (JdbcRegistrationStore store = JdbcRegistrationStore.openH2(directory, PREFIX)) {
            assertThat(columns()).as("migration 7 added the key").contains("node_key");
            assertEveryOldRegistrationFound(store);
            assertThat(store.diagnostics(List.of("node-5")).get("node-5")).as("diagnostics kept")
                    .isEqualTo(new DeliveryDiagnostics(3, 0, Instant.parse("2026-11-24T19:00:30Z"), null, null, null));
            DeviceRegistration taken = new DeviceRegistration("node-9", Device.of("fcm-http-v1", "another"),
                    "someone@example.com", "s", T0);
            assertThatThrownBy(() -> store.register(taken)).as("a node stays unique")
                    .isInstanceOf(IllegalStateException.class);
            assertThat(store.unregister("node-5")).isTrue();
            assertThat(store.diagnostics(List.of("node-5"))).as("diagnostics removed with their registration")
                    .isEmpty();
            DeviceRegistration added = registration(OLD_ROWS);
            store.register(added);
            assertThat(store.findByNode(added.node())).as("a new registration is found").contains(asStored(added));
        }
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet keys = statement.executeQuery("SELECT COUNT(*) FROM " + PREFIX + "registration"
                     + " WHERE node_key = " + NodeKeys.hash("node-17") + " AND node = 'node-17'")) {
            keys.next();
            assertThat(keys.getInt(1)).as("stored under its node's hash").isEqualTo(1);
        }
    }

    /**
     * A migration interrupted while copying (the old table still there, a partial copy beside it) is finished when
     * the database is opened again: the partial copy is replaced and every registration is found.
     */
    @Test
    void aMigrationInterruptedWhileCopyingStartsTheCopyAgain() throws SQLException {
        writeVersionSixDatabase();
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + PREFIX + "registration_keyed (node_key BIGINT PRIMARY KEY,"
                    + " node VARCHAR(255))");
            statement.execute("INSERT INTO " + PREFIX + "registration_keyed VALUES (1, 'node-1')");
        }

        try (JdbcRegistrationStore store = JdbcRegistrationStore.openH2(directory, PREFIX)) {
            assertEveryOldRegistrationFound(store);
        }
    }

    /**
     * A migration interrupted after the old table was dropped and before the new one took its name is finished
     * when the database is opened again.
     */
    @Test
    void aMigrationInterruptedBeforeTheRenameIsFinished() throws SQLException {
        writeVersionSixDatabase();
        try (JdbcRegistrationStore store = JdbcRegistrationStore.openH2(directory, PREFIX)) {
            assertThat(store.count()).isEqualTo(OLD_ROWS);
        }
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + PREFIX + "delivery_stats DROP CONSTRAINT " + PREFIX
                    + "delivery_stats_node_fk");
            statement.execute("ALTER TABLE " + PREFIX + "registration RENAME TO " + PREFIX + "registration_keyed");
            statement.execute("DELETE FROM " + PREFIX + "schema_version WHERE version = 7");
        }

        try (JdbcRegistrationStore store = JdbcRegistrationStore.openH2(directory, PREFIX)) {
            assertEveryOldRegistrationFound(store);
            store.unregister("node-5");
            assertThat(store.diagnostics(List.of("node-5"))).as("the foreign key is back: removed with it").isEmpty();
        }
    }

    /** Migration 7 copies registrations whose nodes' hashes collide, each under a key of its own. */
    @Test
    void aVersionSixDatabaseWithCollidingHashesKeepsEveryRegistration() throws SQLException {
        writeVersionSixDatabase();

        try (JdbcRegistrationStore store = JdbcRegistrationStore.openH2(directory, PREFIX, false, THREE_KEYS)) {
            assertEveryOldRegistrationFound(store);
        }
    }

    /**
     * Nodes whose hashes collide are each stored (the later under the next free key) and found, alone and together,
     * also after the node holding the shared key is removed; a node not registered is not found; and a node or
     * device already stored is refused as before.
     */
    @Test
    void nodesWhoseHashesCollideAreEachStoredAndFound() {
        try (JdbcRegistrationStore store = JdbcRegistrationStore.openH2(directory, PREFIX, false, node -> 42L)) {
            List<DeviceRegistration> registered = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                registered.add(store.register(registration(i)));
            }
            for (int i = 0; i < 5; i++) {
                assertThat(store.findByNode("node-" + i)).as("node-%d alone", i).contains(asStored(registration(i)));
            }
            assertThat(store.findByNodes(List.of("node-4", "node-0", "node-2", "node-x")))
                    .as("together, the unregistered one left out").containsOnlyKeys("node-4", "node-0", "node-2");
            assertThat(store.unregister("node-0")).isTrue();
            assertThat(store.findByNode("node-0")).as("removed").isEmpty();
            assertThat(store.findByNodes(List.of("node-1", "node-3"))).as("the others, with the first key free")
                    .containsOnlyKeys("node-1", "node-3");
            DeviceRegistration again = store.register(new DeviceRegistration("node-9", registration(3).device(),
                    registration(3).owner(), "new", T0));
            assertThat(again.node()).as("the same device gets its node back").isEqualTo("node-3");
            DeviceRegistration taken = new DeviceRegistration("node-2", Device.of("fcm-http-v1", "another"),
                    "someone@example.com", "s", T0);
            assertThatThrownBy(() -> store.register(taken)).as("a node stays unique")
                    .isInstanceOf(IllegalStateException.class);
            store.register(registration(0));
            assertThat(store.findByNode("node-0")).as("registered again under the free key")
                    .contains(asStored(registration(0)));
        }
    }

    /** An import whose nodes' hashes collide stores every registration; one repeating a stored node stores none. */
    @Test
    void anImportWithCollidingHashesStoresEveryRegistration() {
        try (JdbcRegistrationStore store = JdbcRegistrationStore.openH2(directory, PREFIX, false, THREE_KEYS)) {
            List<DeviceRegistration> batch = IntStream.range(0, 50).mapToObj(H2KeyedRegistrationsTest::registration)
                    .toList();

            store.importAll(batch);

            assertThat(store.findByNodes(batch.stream().map(DeviceRegistration::node).toList()))
                    .as("every imported registration found").hasSize(50);
            List<DeviceRegistration> repeating = List.of(registration(50), registration(51),
                    new DeviceRegistration("node-7", Device.of("fcm-http-v1", "other"), "x@example.com", "s", T0));
            assertThatThrownBy(() -> store.importAll(repeating)).as("a stored node is still refused as a whole")
                    .isInstanceOf(IllegalStateException.class);
            assertThat(store.count()).as("nothing of that batch stored").isEqualTo(50);
        }
    }
}
