package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.PublishSecret;
import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.api.store.RegistrationStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the tables of both sides' JDBC stores, the one migration mechanism of push-core: the app
 * server's {@link JdbcRegistrationStore} ({@link #DEVICES}: {@code <prefix>registration}, the service keys
 * {@code <prefix>service_key}, revocations {@code <prefix>revocation}, delivery diagnostics
 * {@code <prefix>delivery_stats}, versions in
 * {@code <prefix>schema_version}) and the user's server's {@link JdbcAccountPushRegistrationStore}
 * ({@link #ACCOUNTS}: {@code <prefix>user_registration}, versions in {@code <prefix>user_schema_version}).
 *
 * <p>Each version table holds one row per applied migration. At start the store applies the
 * missing migrations in order, each in its own transaction together with the insert of its version row. Several
 * component instances may start at once against one PostgreSQL: the version row's primary key lets exactly one of
 * them apply a migration (the others wait for its commit, fail on the key and read the new version), and every
 * statement is written so that running it twice does no harm ({@code IF NOT EXISTS}), because H2 commits DDL
 * immediately. A database whose version is newer than the code knows is refused.
 */
final class Schema {
    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

    /** Placeholder for the table prefix in the statements below. */
    private static final String PREFIX = "{p}";

    /** Work of a migration that SQL alone cannot do, run after its statements in the same transaction. */
    private interface Step {
        void run(Connection connection, String prefix) throws SQLException;

        Step NONE = (connection, prefix) -> { };
    }

    /**
     * One schema change. Its statements must be idempotent ({@code IF NOT EXISTS}): where DDL commits at once (H2)
     * they run before the version row is claimed, so two instances starting together may both run them.
     */
    private record Migration(int version, String description, List<String> statements, Step step) {
    }

    /**
     * The tables of one store and their migrations.
     *
     * @param name         the tables' name in messages
     * @param versionTable the version table's name after the prefix
     * @param migrations   every migration, in order; versions are 1, 2, 3, ...
     */
    record Tables(String name, String versionTable, List<Migration> migrations) {
        /** The schema version this code writes and reads. */
        int version() {
            return migrations.size();
        }
    }

    /** The app server's tables ({@link JdbcRegistrationStore}). */
    static final Tables DEVICES = new Tables("registration tables", "schema_version", List.of(
            new Migration(1, "registration table: node key, unique token + owner, owner index", List.of(
                    "CREATE TABLE IF NOT EXISTS {p}registration ("
                            + "node VARCHAR(" + RegistrationLimits.NODE + ") NOT NULL, "
                            + "token_key VARCHAR(22) NOT NULL, "
                            + "owner_key VARCHAR(22) NOT NULL, "
                            + "provider_id VARCHAR(" + RegistrationLimits.PROVIDER_ID + ") NOT NULL, "
                            + "token VARCHAR(" + RegistrationLimits.TOKEN + ") NOT NULL, "
                            + "second_token VARCHAR(" + RegistrationLimits.TOKEN + "), "
                            + "app_id VARCHAR(" + RegistrationLimits.APP_ID + "), "
                            + "sandbox BOOLEAN NOT NULL, "
                            + "owner_jid VARCHAR(" + RegistrationLimits.OWNER + ") NOT NULL, "
                            + "secret VARCHAR(" + RegistrationLimits.SECRET + "), "
                            + "created_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                            + "CONSTRAINT {p}registration_pk PRIMARY KEY (node), "
                            + "CONSTRAINT {p}registration_device_uq UNIQUE (token_key, owner_key))",
                    "CREATE INDEX IF NOT EXISTS {p}registration_owner_ix ON {p}registration (owner_key, created_at)"),
                    Step.NONE),
            new Migration(2, "publish secrets stored as hashes", List.of(), Schema::hashSecrets),
            new Migration(3, "service keys and revocations (UnifiedPush endpoint tokens)", List.of(
                    "CREATE TABLE IF NOT EXISTS {p}service_key ("
                            + "name VARCHAR(" + ServiceKeys.MAX_NAME + ") NOT NULL, "
                            + "key_id VARCHAR(16) NOT NULL, "
                            + "secret VARCHAR(128) NOT NULL, "
                            + "created_at BIGINT NOT NULL, "
                            + "CONSTRAINT {p}service_key_pk PRIMARY KEY (name))",
                    "CREATE TABLE IF NOT EXISTS {p}revocation ("
                            + "subject VARCHAR(" + ServiceKeys.MAX_NAME + ") NOT NULL, "
                            + "revoked_at BIGINT NOT NULL, "
                            + "keep_until BIGINT NOT NULL, "
                            + "CONSTRAINT {p}revocation_pk PRIMARY KEY (subject))",
                    "CREATE INDEX IF NOT EXISTS {p}revocation_keep_ix ON {p}revocation (keep_until)"),
                    Step.NONE),
            // Migration 4 added the diagnostics as columns of the registration table; migration 6 moved them into
            // a table of their own, so a database created since gets them from migration 6 alone.
            new Migration(4, "per-registration delivery diagnostics: counts, last success, last failure", List.of(),
                    Step.NONE),
            new Migration(5, "PostgreSQL: removed and changed registrations notify the channel"
                    + " <prefix>registration_changed", List.of(), Schema::notifyChanges),
            new Migration(6, "delivery diagnostics in a table of their own, removed with their registration", List.of(
                    "CREATE TABLE IF NOT EXISTS {p}delivery_stats ("
                            + "node VARCHAR(" + RegistrationLimits.NODE + ") NOT NULL, "
                            + "success_count BIGINT DEFAULT 0 NOT NULL, "
                            + "failure_count BIGINT DEFAULT 0 NOT NULL, "
                            + "last_success_at TIMESTAMP WITH TIME ZONE, "
                            + "last_failure_at TIMESTAMP WITH TIME ZONE, "
                            + "last_failure_reason VARCHAR(" + DeliveryDiagnostics.MAX_TEXT + "), "
                            + "last_failure_condition VARCHAR(" + DeliveryDiagnostics.MAX_TEXT + "), "
                            + "CONSTRAINT {p}delivery_stats_pk PRIMARY KEY (node), "
                            + "CONSTRAINT {p}delivery_stats_node_fk FOREIGN KEY (node) REFERENCES {p}registration (node)"
                            + " ON DELETE CASCADE)"),
                    Schema::moveDiagnostics),
            new Migration(7, "PostgreSQL: diagnostics removed with their registration by a trigger instead of a"
                    + " foreign key, whose check locked the registration's row on every diagnostics write",
                    List.of(), Schema::removeStatsByTrigger)));

    /** The user's server's tables ({@link JdbcAccountPushRegistrationStore}). */
    static final Tables ACCOUNTS = new Tables("user's-server registration tables", "user_schema_version", List.of(
            new Migration(1, "user_registration table: key account + jid + node", List.of(
                    "CREATE TABLE IF NOT EXISTS {p}user_registration ("
                            + "account VARCHAR(1024) NOT NULL, "
                            + "jid VARCHAR(1024) NOT NULL, "
                            + "node VARCHAR(512) NOT NULL, "
                            + "publish_options VARCHAR(65535) NOT NULL, "
                            + "away BOOLEAN NOT NULL, "
                            + "extension_data VARCHAR(65535) NOT NULL, "
                            + "error_count INT NOT NULL, "
                            + "created_at BIGINT NOT NULL, "
                            + "PRIMARY KEY (account, jid, node))"),
                    Step.NONE)));

    /** Attempts at a migration that failed while other instances may have been applying it. */
    private static final int MAX_MIGRATION_ATTEMPTS = 10;

    /** Rows whose secrets migration 2 hashes per batch. */
    private static final int HASH_BATCH = 1_000;

    /** The schema version of the app server's tables this code writes and reads. */
    static final int VERSION = DEVICES.version();

    private Schema() {
    }

    /** Brings the app server's tables with the given prefix up to {@link #VERSION}. */
    static void migrate(DataSource dataSource, String prefix) {
        migrate(dataSource, prefix, DEVICES);
    }

    /**
     * Brings the tables with the given prefix up to their version.
     *
     * @throws RegistrationStoreException when the database cannot be reached, a migration fails, or the database
     *                                    is newer than this code
     */
    static void migrate(DataSource dataSource, String prefix, Tables tables) {
        createVersionTable(dataSource, prefix, tables);
        int failures = 0;
        while (true) {
            int current = currentVersion(dataSource, prefix, tables);
            if (current > tables.version()) {
                throw new RegistrationStoreException("the " + tables.name() + " with prefix '" + prefix
                        + "' are at schema version " + current + ", newer than version " + tables.version()
                        + " that this push-core understands: run the push-core version that wrote them (or newer), "
                        + "or configure another table prefix");
            }
            if (current == tables.version()) {
                return;
            }
            try {
                apply(dataSource, prefix, tables, tables.migrations().get(current));
            } catch (RegistrationStoreException e) {
                // H2 can fail one of two concurrent CREATE ... IF NOT EXISTS ("object already exists"); the
                // statements are idempotent, so reading the version again and retrying settles it.
                if (++failures == MAX_MIGRATION_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("schema migration {} of the {} with prefix '{}' failed; trying again", current + 1,
                        tables.name(), prefix, e);
                // Instances altering one H2 table at once can time out on its schema lock; a random pause lets one
                // of them finish first.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(
                        ThreadLocalRandom.current().nextLong(10, 100L * failures)));
            }
        }
    }

    private static void createVersionTable(DataSource dataSource, String prefix, Tables tables) {
        String sql = "CREATE TABLE IF NOT EXISTS " + prefix + tables.versionTable() + " ("
                + "version INTEGER NOT NULL, "
                + "description VARCHAR(255) NOT NULL, "
                + "applied_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                + "CONSTRAINT " + prefix + tables.versionTable() + "_pk PRIMARY KEY (version))";
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute(sql);
        } catch (SQLException e) {
            // PostgreSQL can fail a concurrent CREATE TABLE IF NOT EXISTS on its catalog's unique index; the table
            // then exists, which the version query below proves (or reports).
            LOG.debug("creating {}{} failed (SQLState {}); checking whether another instance created it",
                    prefix, tables.versionTable(), e.getSQLState());
        }
    }

    private static int currentVersion(DataSource dataSource, String prefix, Tables tables) {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM " + prefix + tables.versionTable())) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new RegistrationStoreException("cannot read the schema version of the " + tables.name()
                    + " with prefix '" + prefix + "' (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private static void apply(DataSource dataSource, String prefix, Tables tables, Migration migration) {
        try (Connection connection = dataSource.getConnection()) {
            // Where DDL commits the open transaction (H2), a version row claimed before the statements would be
            // visible to other instances before the tables exist, and they would run the next migration against
            // missing tables. There the statements (each idempotent: IF NOT EXISTS) run first, on their own, and the
            // version row is claimed after them; elsewhere (PostgreSQL) claim, statements and step share one
            // transaction, so the claim's key makes the other instances wait for the commit.
            boolean ddlCommits = connection.getMetaData().dataDefinitionCausesTransactionCommit();
            if (ddlCommits) {
                connection.setAutoCommit(true);
                runStatements(connection, prefix, migration.statements());
            }
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement claim = connection.prepareStatement("INSERT INTO " + prefix
                        + tables.versionTable() + " (version, description, applied_at) VALUES (?, ?, ?)")) {
                    claim.setInt(1, migration.version());
                    claim.setString(2, migration.description());
                    claim.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                    claim.executeUpdate();
                }
                if (!ddlCommits) {
                    runStatements(connection, prefix, migration.statements());
                }
                migration.step().run(connection, prefix);
                connection.commit();
                LOG.info("applied schema migration {} ({}) to the {} with prefix '{}'", migration.version(),
                        migration.description(), tables.name(), prefix);
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            if (currentVersion(dataSource, prefix, tables) >= migration.version()) {
                LOG.debug("schema migration {} of the {} with prefix '{}' was applied by another instance",
                        migration.version(), tables.name(), prefix);
                return;
            }
            throw new RegistrationStoreException("cannot apply schema migration " + migration.version() + " ("
                    + migration.description() + ") to the " + tables.name() + " with prefix '" + prefix
                    + "' (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** Runs {@code statements} in order, {@value #PREFIX} replaced by {@code prefix}. */
    private static void runStatements(Connection connection, String prefix, List<String> statements)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql.replace(PREFIX, prefix));
            }
        }
    }

    private static boolean isPostgres(Connection connection) throws SQLException {
        return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
    }

    /** The diagnostics columns migration 4 used to add to the registration table, which migration 6 moves. */
    private static final List<String> DIAGNOSTICS_COLUMNS = List.of("success_count", "failure_count",
            "last_success_at", "last_failure_at", "last_failure_reason", "last_failure_condition");

    /**
     * Migration 6: the delivery diagnostics move from columns of the registration table (migration 4) into
     * {@code <prefix>delivery_stats}, one row per registration that had a push, deleted with its registration. A
     * flush of diagnostics then rewrites narrow rows that no index but the key and no trigger sees, where it
     * rewrote whole registrations, updated their three indexes and ran the change trigger of migration 5 once per
     * row. Where migration 4 added the columns (databases created before migration 6 existed), registrations with
     * counts are copied and the columns dropped, which on H2 rewrites the registration table once; elsewhere, and
     * run again after the drop, there is nothing to move. On PostgreSQL the table's pages are left half empty ({@code fillfactor}), so that an update can
     * stay in its page without touching the key's index.
     */
    private static void moveDiagnostics(Connection connection, String prefix) throws SQLException {
        boolean postgres = isPostgres(connection);
        List<String> columns = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet none = statement.executeQuery("SELECT * FROM " + prefix + "registration WHERE 1 = 0")) {
            for (int i = 1; i <= none.getMetaData().getColumnCount(); i++) {
                columns.add(none.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT));
            }
        }
        try (Statement statement = connection.createStatement()) {
            if (postgres) {
                statement.execute("ALTER TABLE " + prefix + "delivery_stats SET (fillfactor = 50)");
            }
            if (!columns.containsAll(DIAGNOSTICS_COLUMNS)) {
                return;
            }
            String list = String.join(", ", DIAGNOSTICS_COLUMNS);
            int copied = statement.executeUpdate("INSERT INTO " + prefix + "delivery_stats (node, " + list + ")"
                    + " SELECT r.node, " + prefixed("r.", list) + " FROM " + prefix + "registration r"
                    + " WHERE (r.success_count > 0 OR r.failure_count > 0) AND NOT EXISTS (SELECT 1 FROM " + prefix
                    + "delivery_stats d WHERE d.node = r.node)");
            for (String column : DIAGNOSTICS_COLUMNS) {
                statement.execute("ALTER TABLE " + prefix + "registration DROP COLUMN IF EXISTS " + column);
            }
            LOG.info("registration store: moved the delivery diagnostics of {} registrations into {}delivery_stats",
                    copied, prefix);
        }
    }

    /**
     * Migration 5, PostgreSQL only (elsewhere nothing to do): triggers that tell other instances which
     * registrations were removed or changed, so that they drop them from their node caches
     * ({@link PostgresChangeWatch} listens). One {@code NOTIFY} per statement on the channel
     * {@code <prefix>registration_changed}, its payload the nodes separated by spaces, or {@code *} when they would
     * not fit in one notification. An update notifies only the rows whose delivery values changed (provider, token,
     * second token, app, sandbox flag, owner, secret), so columns added later for other purposes notify nothing.
     * The statements replace what they create, so running them twice does no harm.
     */
    private static void notifyChanges(Connection connection, String prefix) throws SQLException {
        if (!isPostgres(connection)) {
            return;
        }
        String channel = PostgresChangeWatch.channel(prefix);
        String delivery = "provider_id, token, second_token, app_id, sandbox, owner_jid, secret";
        String changedRows = " FROM changed_before b LEFT JOIN changed_after a ON a.node = b.node"
                + " WHERE a.node IS NULL OR (" + prefixed("b.", delivery) + ") IS DISTINCT FROM ("
                + prefixed("a.", delivery) + ")";
        List<String> statements = List.of(
                notifyFunction("{p}registration_deleted", channel, " FROM changed_before b"),
                notifyFunction("{p}registration_updated", channel, changedRows),
                "DROP TRIGGER IF EXISTS {p}registration_deleted ON {p}registration",
                "CREATE TRIGGER {p}registration_deleted AFTER DELETE ON {p}registration"
                        + " REFERENCING OLD TABLE AS changed_before"
                        + " FOR EACH STATEMENT EXECUTE FUNCTION {p}registration_deleted()",
                "DROP TRIGGER IF EXISTS {p}registration_updated ON {p}registration",
                "CREATE TRIGGER {p}registration_updated AFTER UPDATE ON {p}registration"
                        + " REFERENCING OLD TABLE AS changed_before NEW TABLE AS changed_after"
                        + " FOR EACH STATEMENT EXECUTE FUNCTION {p}registration_updated()");
        runStatements(connection, prefix, statements);
    }

    /**
     * Migration 7, PostgreSQL only (elsewhere the foreign key of migration 6 stays): a trigger removes a
     * registration's diagnostics row when the registration is removed, and the foreign key that did so
     * ({@code ON DELETE CASCADE}) is dropped. PostgreSQL checks such a key on every insert into
     * {@code <prefix>delivery_stats} by locking the registration's row ({@code FOR KEY SHARE}), which writes the
     * registration table's page: after each checkpoint the first such write of a page is a full-page image in the WAL.
     * With many cold registrations those images were most of the WAL (about 6 KB a diagnostics row instead of 300 bytes)
     * and forced a checkpoint every 20 s or so.
     *
     * <p>The key's lock also kept a flush from adding a row for a registration being removed. Its place is taken by
     * a transaction-scoped advisory lock ({@link #diagnosticsLock}), which writes nothing: the trigger takes it shared
     * before it removes the rows, and {@code addDiagnostics} takes it exclusively before its upsert. So a flush waits
     * for the removals in progress and then no longer finds their registrations, and a removal that comes during a
     * flush waits for it and then removes the rows it added. The statements replace what they create, so running
     * them twice does no harm.
     */
    private static void removeStatsByTrigger(Connection connection, String prefix) throws SQLException {
        if (!isPostgres(connection)) {
            return;
        }
        List<String> statements = List.of(
                "CREATE OR REPLACE FUNCTION {p}registration_stats_removed() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                        + "BEGIN\n"
                        + "  PERFORM pg_advisory_xact_lock_shared(" + diagnosticsLock("{p}") + ");\n"
                        + "  DELETE FROM {p}delivery_stats s USING removed r WHERE s.node = r.node;\n"
                        + "  RETURN NULL;\n"
                        + "END $$",
                "DROP TRIGGER IF EXISTS {p}registration_stats_removed ON {p}registration",
                "CREATE TRIGGER {p}registration_stats_removed AFTER DELETE ON {p}registration"
                        + " REFERENCING OLD TABLE AS removed"
                        + " FOR EACH STATEMENT EXECUTE FUNCTION {p}registration_stats_removed()",
                "ALTER TABLE {p}delivery_stats DROP CONSTRAINT IF EXISTS {p}delivery_stats_node_fk");
        runStatements(connection, prefix, statements);
    }

    /**
     * The advisory lock key that orders the diagnostics flushes of the tables with {@code prefix} after the removals
     * of their registrations (migration 7, PostgreSQL): an SQL expression.
     */
    static String diagnosticsLock(String prefix) {
        return "hashtext('" + prefix + "delivery_stats')";
    }

    /**
     * A trigger function that notifies {@code channel} of the nodes of {@code rows} (a {@code FROM ... WHERE} over
     * the transition tables, the old rows as {@code b}): their sum of lengths first, so that a statement that
     * changed more than one notification can name never builds the list.
     */
    private static String notifyFunction(String name, String channel, String rows) {
        return "CREATE OR REPLACE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                + "DECLARE nodes text; size bigint;\n"
                + "BEGIN\n"
                + "  SELECT sum(octet_length(b.node) + 1) INTO size" + rows + ";\n"
                + "  IF size > " + PostgresChangeWatch.MAX_PAYLOAD + " THEN\n"
                + "    PERFORM pg_notify('" + channel + "', '" + PostgresChangeWatch.ALL + "');\n"
                + "  ELSIF size IS NOT NULL THEN\n"
                + "    SELECT string_agg(b.node, ' ') INTO nodes" + rows + ";\n"
                + "    PERFORM pg_notify('" + channel + "', nodes);\n"
                + "  END IF;\n"
                + "  RETURN NULL;\n"
                + "END $$";
    }

    /** {@code a.x, a.y} for alias {@code a.} and columns {@code x, y}. */
    static String prefixed(String alias, String columns) {
        return alias + columns.replace(", ", ", " + alias);
    }

    /**
     * Migration 2: replaces every publish secret kept in clear by its {@link PublishSecret#stored stored form}, in
     * batches of updates within the migration's transaction. Secrets already in that form are left alone.
     */
    private static void hashSecrets(Connection connection, String prefix) throws SQLException {
        int hashed = 0;
        try (Statement select = connection.createStatement();
             PreparedStatement update = connection.prepareStatement("UPDATE " + prefix + "registration"
                     + " SET secret = ? WHERE node = ?")) {
            // PostgreSQL then reads the rows through a cursor instead of all at once.
            select.setFetchSize(HASH_BATCH);
            ResultSet rows = select.executeQuery("SELECT node, secret FROM " + prefix + "registration"
                    + " WHERE secret IS NOT NULL");
            int batched = 0;
            while (rows.next()) {
                String secret = rows.getString(2);
                if (PublishSecret.isStored(secret)) {
                    continue;
                }
                update.setString(1, PublishSecret.stored(secret));
                update.setString(2, rows.getString(1));
                update.addBatch();
                hashed++;
                if (++batched == HASH_BATCH) {
                    update.executeBatch();
                    batched = 0;
                }
            }
            if (batched > 0) {
                update.executeBatch();
            }
        }
        LOG.info("registration store: hashed the publish secrets of {} registrations in the tables with prefix '{}'",
                hashed, prefix);
    }
}
