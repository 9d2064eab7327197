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
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
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

    /**
     * Rows are keyed by a hash of their node, and the node stays the identity: a registration whose key another
     * row already holds (a hash collision, made here by storing a row under another node's key) is stored under
     * another key, and look-ups, diagnostics, imports and removal find both rows all the same.
     */
    @Test
    void aNodeWhoseKeyAnotherRowHoldsIsStoredAndFoundUnderAnotherKey() throws SQLException {
        DeviceRegistration holder = registration("holder", Device.of(FCM, TOKEN + "h"), BOB, 0);
        JdbcRegistrationStore.Keys keys = JdbcRegistrationStore.Keys.of(holder);
        try (Connection connection = dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + prefix + "registration"
                     + " (node_key, node, token_key, owner_key, provider_id, token, sandbox, owner_jid, secret,"
                     + " created_at) VALUES (?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?)")) {
            insert.setLong(1, NodeKeys.of("node-1"));
            insert.setString(2, holder.node());
            insert.setString(3, keys.token());
            insert.setString(4, keys.owner());
            insert.setString(5, FCM);
            insert.setString(6, holder.device().token());
            insert.setString(7, BOB);
            insert.setString(8, PublishSecret.stored(holder.secret()));
            insert.setObject(9, holder.createdAt().atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
        }
        DeviceRegistration first = registration("node-1", Device.of(FCM, TOKEN), ALICE, 1);
        DeviceRegistration imported = registration("node-2", Device.of(FCM, TOKEN + "2"), ALICE, 2);
        DeviceRegistration second = registration("node-3", Device.of(FCM, TOKEN + "3"), ALICE, 3);

        store.register(first);
        ((JdbcRegistrationStore) store).importAll(List.of(imported, second));

        assertThat(store.findByNodes(List.of("holder", "node-1", "node-2", "node-3", "unknown")))
                .as("every row found by its node, whatever its key")
                .containsExactlyInAnyOrderEntriesOf(Map.of("holder", asStored(holder), "node-1", asStored(first),
                        "node-2", asStored(imported), "node-3", asStored(second)));
        assertThat(keyOf("node-1")).as("node-1 went under another key").isNotEqualTo(NodeKeys.of("node-1"));
        store.addDiagnostics(Map.of("holder", DeliveryDiagnostics.success(T0), "node-1",
                DeliveryDiagnostics.success(T0.plusSeconds(1)), "unknown", DeliveryDiagnostics.success(T0)));
        assertThat(store.diagnostics(List.of("holder", "node-1", "unknown"))).as("each row's own diagnostics")
                .containsExactlyInAnyOrderEntriesOf(Map.of("holder", DeliveryDiagnostics.success(T0),
                        "node-1", DeliveryDiagnostics.success(T0.plusSeconds(1))));

        assertThat(store.unregister("node-1")).isTrue();
        assertThat(store.findByNodes(List.of("holder", "node-1"))).as("only node-1 removed")
                .containsOnlyKeys("holder");
        assertThat(store.diagnostics(List.of("holder"))).containsEntry("holder", DeliveryDiagnostics.success(T0));
    }

    /** An import whose first try fails on a key another row holds is tried again with every key checked. */
    @Test
    void anImportMeetingAHeldKeyStoresEveryRegistration() throws SQLException {
        DeviceRegistration holder = registration("holder", Device.of(FCM, TOKEN + "h"), BOB, 0);
        store.register(holder);
        try (Connection connection = dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("UPDATE " + prefix + "registration SET node_key = " + NodeKeys.of("node-2")
                    + " WHERE node = 'holder'");
        }
        List<DeviceRegistration> batch = List.of(registration("node-1", Device.of(FCM, TOKEN + "1"), ALICE, 1),
                registration("node-2", Device.of(FCM, TOKEN + "2"), ALICE, 2),
                registration("node-3", Device.of(FCM, TOKEN + "3"), ALICE, 3));

        ((JdbcRegistrationStore) store).importAll(batch);

        assertThat(store.count()).isEqualTo(4);
        assertThat(store.findByNodes(List.of("holder", "node-1", "node-2", "node-3"))).hasSize(4)
                .containsEntry("node-2", asStored(batch.get(1))).containsEntry("holder", asStored(holder));
        assertThatThrownBy(() -> ((JdbcRegistrationStore) store).importAll(List.of(
                registration("node-2", Device.of(FCM, TOKEN + "x"), BOB, 4))))
                .as("a node already stored is still refused").isInstanceOf(IllegalStateException.class);
    }

    private long keyOf(String node) throws SQLException {
        try (Connection connection = dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT node_key FROM " + prefix
                     + "registration WHERE node = ?")) {
            select.setString(1, node);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Test
    void theDatabaseIsAFileInTheGivenDirectory() {
        store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));

        assertThat(directory.resolve("registrations.mv.db")).as("embedded H2 keeps the registrations in a file")
                .isRegularFile();
    }
}
