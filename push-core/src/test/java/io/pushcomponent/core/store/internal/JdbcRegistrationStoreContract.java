package io.pushcomponent.core.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.PublishSecret;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.RegistrationStoreException;
import io.pushcomponent.testkit.store.DeviceRegistrationStoreContract;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store contract against {@link JdbcRegistrationStore}, plus what only a database store has: durability, a
 * versioned schema, indexes, and errors of the database. Each test uses tables with its own random prefix, so runs
 * sharing one PostgreSQL never see each other's rows.
 */
abstract class JdbcRegistrationStoreContract extends DeviceRegistrationStoreContract {
    final String prefix = randomPrefix();
    private final List<String> prefixesToDrop = new ArrayList<>(List.of(prefix));
    private final List<DeviceRegistrationStore> otherInstances = new ArrayList<>();

    /** Opens a store on the database under test with the given table prefix. */
    abstract JdbcRegistrationStore openStore(String tablePrefix);

    /** Opens a store as another component instance would: through its own connections to the same database. */
    abstract JdbcRegistrationStore openOtherInstance(String tablePrefix);

    /** Connections to the database under test, bypassing the store. */
    abstract DataSource dataSource();

    /**
     * Whether databases of this kind can hold tables written before schema version 6 (the SQLite store came with
     * version 6, so no SQLite database holds an older layout).
     */
    boolean mayHoldSchemasBeforeVersion6() {
        return true;
    }

    static String randomPrefix() {
        return "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + "_";
    }

    @Override
    protected final DeviceRegistrationStore openStore() {
        return openStore(prefix);
    }

    @Override
    protected final DeviceRegistrationStore openAnotherInstance() {
        JdbcRegistrationStore other = openOtherInstance(prefix);
        otherInstances.add(other);
        return other;
    }

    @Override
    protected final Optional<List<StoredRow>> storedRows() throws SQLException {
        List<StoredRow> rows = new ArrayList<>();
        try (Connection connection = dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(
                     "SELECT node, provider_id, token, owner_jid FROM " + prefix + "registration")) {
            while (result.next()) {
                rows.add(new StoredRow(result.getString(1), result.getString(2), result.getString(3),
                        result.getString(4)));
            }
        }
        return Optional.of(rows);
    }

    @AfterEach
    void dropTables() throws SQLException {
        otherInstances.forEach(DeviceRegistrationStore::close);
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
            for (String tablePrefix : prefixesToDrop) {
                statement.execute("DROP TABLE IF EXISTS " + tablePrefix + "delivery_stats");
                statement.execute("DROP TABLE IF EXISTS " + tablePrefix + "registration");
                statement.execute("DROP TABLE IF EXISTS " + tablePrefix + "schema_version");
                if ("PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
                    statement.execute("DROP FUNCTION IF EXISTS " + tablePrefix + "registration_deleted()");
                    statement.execute("DROP FUNCTION IF EXISTS " + tablePrefix + "registration_updated()");
                }
            }
        }
    }

    private List<Integer> schemaVersions(String tablePrefix) throws SQLException {
        List<Integer> versions = new ArrayList<>();
        try (Connection connection = dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(
                     "SELECT version FROM " + tablePrefix + "schema_version ORDER BY version")) {
            while (result.next()) {
                versions.add(result.getInt(1));
            }
        }
        return versions;
    }

    @Test
    void registrationsSurviveClosingAndReopeningTheStore() {
        Device voip = new Device(APNS, TOKEN, "voip-token-abcdef0123456789", "org.example.app", true);
        DeviceRegistration alice = registration("node-a", Device.of(APNS, TOKEN), ALICE, 0);
        DeviceRegistration bob = registration("node-b", Device.of(APNS, TOKEN), BOB, 1);
        store.register(alice);
        store.register(bob);
        DeviceRegistration aliceUpdated = store.register(registration("node-c", voip, ALICE, 2));
        DeviceRegistration unsecured = new DeviceRegistration("node-d", Device.of(FCM, "token-without-secret"),
                ALICE, null, T0.plusNanos(123_456_000));
        store.register(unsecured);
        store.close();

        store = openStore(prefix);

        assertThat(store.findByNode("node-a")).as("a registration (with its update) survives reopening")
                .contains(asStored(aliceUpdated));
        assertThat(aliceUpdated.device()).as("the update that survived").isEqualTo(voip);
        assertThat(store.findByNode("node-d")).as("no secret and a sub-second creation time survive")
                .contains(unsecured);
        assertThat(store.findByToken(APNS, TOKEN)).as("both owners of one device survive")
                .containsExactly(asStored(aliceUpdated), asStored(bob));
        assertThat(store.count()).as("everything registered survives, nothing more").isEqualTo(3);
    }

    private static List<Integer> allVersions() {
        return IntStream.rangeClosed(1, Schema.VERSION).boxed().toList();
    }

    private String secretColumn(String node) throws SQLException {
        try (Connection connection = dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT secret FROM " + prefix + "registration WHERE node = ?")) {
            select.setString(1, node);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    /** Secrets at rest: the table holds no publish secret in clear. */
    @Test
    void theTableHoldsTheSecretsHashNotTheSecret() throws SQLException {
        DeviceRegistration registration = registration("node-1", Device.of(FCM, TOKEN), ALICE, 0);
        store.register(registration);
        ((JdbcRegistrationStore) store).importAll(List.of(registration("node-2", Device.of(FCM, "t2"), BOB, 1)));

        assertThat(secretColumn("node-1")).as("registered").isEqualTo(PublishSecret.stored(registration.secret()))
                .doesNotContain(registration.secret());
        assertThat(secretColumn("node-2")).as("imported").isEqualTo(PublishSecret.stored("secret-node-2"));
    }

    /**
     * A database written before secrets were hashed (schema version 1, secrets in clear) still works: opening it
     * applies migration 2, which hashes every secret, and the secrets issued before keep matching.
     */
    @Test
    void aVersionOneDatabaseHasItsSecretsHashedWhenOpened() throws SQLException {
        DeviceRegistration registration = registration("node-1", Device.of(FCM, TOKEN), ALICE, 0);
        store.register(registration);
        store.register(new DeviceRegistration("node-2", Device.of(FCM, "t2"), BOB, null, T0));
        store.close();
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE " + prefix + "registration SET secret = 'secret-node-1' WHERE node = 'node-1'");
            statement.execute("DELETE FROM " + prefix + "schema_version WHERE version > 1");
        }
        assertThat(secretColumn("node-1")).as("a version 1 database: the secret in clear").isEqualTo("secret-node-1");

        store = openStore(prefix);

        assertThat(schemaVersions(prefix)).as("migration 2 applied").containsExactlyElementsOf(allVersions());
        assertThat(secretColumn("node-1")).as("the secret is replaced by its hash")
                .isEqualTo(PublishSecret.stored("secret-node-1"));
        assertThat(PublishSecret.matches(store.findByNode("node-1").orElseThrow().secret(), "secret-node-1"))
                .as("the secret the client was given before still matches").isTrue();
        assertThat(store.findByNode("node-2").orElseThrow().secret()).as("no secret stays no secret").isNull();
    }

    /**
     * A database written while delivery diagnostics were columns of the registration table (schema version 5)
     * keeps them: opening it applies migration 6, which moves them into their own table and drops the columns.
     */
    @Test
    void aVersionFiveDatabaseKeepsItsDiagnosticsWhenTheyMoveToTheirOwnTable() throws SQLException {
        assumeTrue(mayHoldSchemasBeforeVersion6(), "no database of this kind was written at version 5");
        store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));
        store.register(registration("node-2", Device.of(FCM, TOKEN + "2"), BOB, 1));
        store.close();
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE " + prefix + "delivery_stats");
            for (String column : List.of("success_count BIGINT DEFAULT 0 NOT NULL",
                    "failure_count BIGINT DEFAULT 0 NOT NULL", "last_success_at TIMESTAMP WITH TIME ZONE",
                    "last_failure_at TIMESTAMP WITH TIME ZONE", "last_failure_reason VARCHAR(64)",
                    "last_failure_condition VARCHAR(64)")) {
                statement.execute("ALTER TABLE " + prefix + "registration ADD COLUMN " + column);
            }
            statement.execute("UPDATE " + prefix + "registration SET success_count = 7, failure_count = 2,"
                    + " last_success_at = TIMESTAMP WITH TIME ZONE '2026-11-24 00:00:30+00',"
                    + " last_failure_at = TIMESTAMP WITH TIME ZONE '2026-11-24 00:00:20+00',"
                    + " last_failure_reason = 'UNREGISTERED', last_failure_condition = 'cancel/item-not-found'"
                    + " WHERE node = 'node-1'");
            statement.execute("DELETE FROM " + prefix + "schema_version WHERE version > 5");
        }

        store = openStore(prefix);

        assertThat(schemaVersions(prefix)).as("migration 6 applied").containsExactlyElementsOf(allVersions());
        assertThat(store.diagnostics(List.of("node-1", "node-2"))).as("the counts and last outcomes moved")
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "node-1", new DeliveryDiagnostics(7, 2, Instant.parse("2026-11-24T00:00:30Z"),
                                Instant.parse("2026-11-24T00:00:20Z"), "UNREGISTERED",
                                "cancel/item-not-found"),
                        "node-2", DeliveryDiagnostics.NONE));
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet none = statement.executeQuery("SELECT * FROM " + prefix + "registration WHERE 1 = 0")) {
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= none.getMetaData().getColumnCount(); i++) {
                columns.add(none.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT));
            }
            assertThat(columns).as("the registration table no longer holds them").doesNotContain("success_count",
                    "failure_count", "last_success_at", "last_failure_at", "last_failure_reason",
                    "last_failure_condition");
        }
        store.unregister("node-1");
        assertThat(store.diagnostics(List.of("node-1"))).as("still removed with their registration").isEmpty();
    }

    @Test
    void theSchemaVersionIsRecordedOnceAndReopeningAppliesNothing() throws SQLException {
        assertThat(schemaVersions(prefix)).as("opening a new database applies every migration once, in order")
                .containsExactlyElementsOf(allVersions());
        store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));
        store.close();

        store = openStore(prefix);

        assertThat(schemaVersions(prefix)).as("reopening an up-to-date database applies nothing")
                .containsExactlyElementsOf(allVersions());
        assertThat(store.count()).as("and keeps the rows").isEqualTo(1);
    }

    @Test
    void aDatabaseNewerThanTheCodeIsRefused() throws SQLException {
        int newer = Schema.VERSION + 1;
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO " + prefix + "schema_version (version, description, applied_at)"
                    + " VALUES (" + newer + ", 'from the future', CURRENT_TIMESTAMP)");
        }

        assertThatThrownBy(() -> openStore(prefix))
                .as("a schema written by a newer version is refused rather than misread")
                .isInstanceOf(RegistrationStoreException.class)
                .hasMessageContaining("schema version " + newer)
                .hasMessageContaining("newer than version " + Schema.VERSION);
    }

    /**
     * Instances adding the first diagnostics of the same registrations at once (neither finds a row when it starts)
     * lose no count: whichever inserts the row second adds its change to the row instead.
     */
    @Test
    void instancesAddingTheFirstDiagnosticsOfTheSameRegistrationsAtOnceLoseNoCount() throws Exception {
        int rounds = 20;
        int nodesPerRound = 20;
        List<DeviceRegistration> registrations = new ArrayList<>();
        for (int i = 0; i < rounds * nodesPerRound; i++) {
            registrations.add(registration("node-" + i, Device.of(FCM, TOKEN + "-" + i), ALICE, 0));
        }
        ((JdbcRegistrationStore) store).importAll(registrations);
        List<DeviceRegistrationStore> instances = List.of(store, openAnotherInstance());
        ExecutorService executor = Executors.newFixedThreadPool(instances.size());
        try {
            for (int round = 0; round < rounds; round++) {
                Map<String, DeliveryDiagnostics> fresh = new TreeMap<>();
                for (int i = round * nodesPerRound; i < (round + 1) * nodesPerRound; i++) {
                    fresh.put("node-" + i, DeliveryDiagnostics.success(T0.plusSeconds(i)));
                }
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> adds = new ArrayList<>();
                for (DeviceRegistrationStore instance : instances) {
                    adds.add(executor.submit(() -> {
                        start.await(1, TimeUnit.MINUTES);
                        instance.addDiagnostics(fresh);
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> add : adds) {
                    add.get(1, TimeUnit.MINUTES);
                }
            }
        } finally {
            executor.shutdownNow();
        }

        Map<String, DeliveryDiagnostics> stored = store.diagnostics(
                registrations.stream().map(DeviceRegistration::node).toList());
        for (int i = 0; i < rounds * nodesPerRound; i++) {
            assertThat(stored.get("node-" + i)).as("node-%d: one success from each instance", i)
                    .isEqualTo(new DeliveryDiagnostics(2, 0, T0.plusSeconds(i), null, null, null));
        }
    }

    @Test
    void severalInstancesStartingAtOnceCreateTheSchemaOnce() throws Exception {
        String fresh = randomPrefix();
        prefixesToDrop.add(fresh);
        List<Callable<JdbcRegistrationStore>> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            boolean own = i % 2 == 0;
            starts.add(() -> own ? openStore(fresh) : openOtherInstance(fresh));
        }
        ExecutorService executor = Executors.newFixedThreadPool(starts.size());
        try {
            for (Future<JdbcRegistrationStore> started : executor.invokeAll(starts, 1, TimeUnit.MINUTES)) {
                otherInstances.add(started.get());
            }
        } finally {
            executor.shutdownNow();
        }

        assertThat(schemaVersions(fresh)).as("concurrent starts apply each migration exactly once")
                .containsExactlyElementsOf(allVersions());
        DeviceRegistration registration = registration("node-1", Device.of(FCM, TOKEN), ALICE, 0);
        otherInstances.get(0).register(registration);
        assertThat(otherInstances.get(3).findByNode("node-1")).as("the instances share the tables")
                .contains(asStored(registration));
    }

    @Test
    void everyLookupHasAnIndex() throws SQLException {
        Map<String, List<String>> columnsByIndex = new TreeMap<>();
        Set<String> uniqueIndexes = new HashSet<>();
        try (Connection connection = dataSource().getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            String table = prefix + "registration";
            if (metaData.storesUpperCaseIdentifiers()) {
                table = table.toUpperCase(Locale.ROOT);
            }
            try (ResultSet indexes = metaData.getIndexInfo(null, null, table, false, false)) {
                while (indexes.next()) {
                    String index = indexes.getString("INDEX_NAME");
                    List<String> columns = columnsByIndex.computeIfAbsent(index, i -> new ArrayList<>());
                    int position = indexes.getShort("ORDINAL_POSITION");
                    while (columns.size() < position) {
                        columns.add(null);
                    }
                    columns.set(position - 1, indexes.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    if (!indexes.getBoolean("NON_UNIQUE")) {
                        uniqueIndexes.add(index);
                    }
                }
            }
        }
        List<List<String>> unique = uniqueIndexes.stream().map(columnsByIndex::get).toList();
        assertThat(unique).as("the database itself keeps nodes unique, and provider + token + owner through their "
                + "hashes").contains(List.of("node"), List.of("token_key", "owner_key"));
        assertThat(columnsByIndex.values()).as("find by token and list by owner (oldest first) each use an index")
                .anySatisfy(columns -> assertThat(columns).startsWith("token_key"))
                .anySatisfy(columns -> assertThat(columns).containsExactly("owner_key", "created_at"));
    }

    @Test
    void aFailingDatabaseIsAClearErrorWithoutTokensOrSecrets() throws SQLException {
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE " + prefix + "delivery_stats");
            statement.execute("DROP TABLE " + prefix + "registration");
        }
        DeviceRegistration registration = registration("node-1", Device.of(FCM, TOKEN), ALICE, 0);

        assertThatThrownBy(() -> store.register(registration))
                .as("a database failure names the operation, the tables and the SQLState, never the token or secret")
                .isInstanceOf(RegistrationStoreException.class)
                .hasMessageContaining("register failed on the registration tables with prefix '" + prefix + "'")
                .hasMessageContaining("SQLState")
                .hasMessageNotContaining(TOKEN)
                .hasMessageNotContaining(registration.secret());
        assertThatThrownBy(() -> store.findByNode("node-1")).as("reads fail the same way")
                .isInstanceOf(RegistrationStoreException.class)
                .hasMessageContaining("find by node failed");
    }

    @Test
    void importStoresANewBatchFindableLikeRegisteredOnes() {
        JdbcRegistrationStore jdbcStore = (JdbcRegistrationStore) store;
        List<DeviceRegistration> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(registration("node-" + i, Device.of(FCM, "token-" + i + "-abcdefghij"), i % 2 == 0 ? ALICE : BOB,
                    i));
        }

        jdbcStore.importAll(batch);

        assertThat(store.count()).as("every imported registration is stored").isEqualTo(500);
        assertThat(store.findByNode("node-7")).as("found by node").contains(asStored(batch.get(7)));
        assertThat(store.findByToken(FCM, "token-8-abcdefghij")).as("found by token")
                .containsExactly(asStored(batch.get(8)));
        assertThat(store.listByOwner(BOB)).as("listed by owner").hasSize(250).first()
                .isEqualTo(asStored(batch.get(1)));
        DeviceRegistration again = store.register(registration("node-x", Device.of(FCM, "token-9-abcdefghij"), BOB, 9));
        assertThat(again.node()).as("register recognises an imported device").isEqualTo("node-9");
    }

    @Test
    void importIsAllOrNothingWhenARegistrationIsAlreadyStored() {
        JdbcRegistrationStore jdbcStore = (JdbcRegistrationStore) store;
        DeviceRegistration existing = registration("node-1", Device.of(FCM, TOKEN), ALICE, 0);
        store.register(existing);
        List<DeviceRegistration> sameDevice = List.of(
                registration("node-2", Device.of(FCM, "token-2-abcdefghij"), ALICE, 1),
                registration("node-3", Device.of(FCM, TOKEN), ALICE, 2));
        List<DeviceRegistration> sameNode = List.of(
                registration("node-4", Device.of(FCM, "token-4-abcdefghij"), ALICE, 3),
                registration("node-1", Device.of(FCM, "token-5-abcdefghij"), BOB, 4));

        assertThatThrownBy(() -> jdbcStore.importAll(sameDevice))
                .as("an import repeating a stored provider + token + owner is refused as a whole")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nothing was imported")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> jdbcStore.importAll(sameNode))
                .as("an import repeating a stored node is refused as a whole")
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.count()).as("neither batch stored anything").isEqualTo(1);
        assertThat(store.findByNode("node-1")).as("the stored registration is untouched").contains(asStored(existing));
    }

    @Test
    void aTablePrefixThatIsNotAPlainIdentifierIsRefused() {
        assertThatThrownBy(() -> openStore("push; DROP TABLE x; --"))
                .as("the prefix becomes part of SQL statements, so only plain lower-case identifiers are allowed")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table prefix");
    }

    @Test
    void aClosedStoreRefusesCalls() {
        store.close();

        assertThatThrownBy(() -> store.findByNode("node-1")).as("a closed store says so")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
