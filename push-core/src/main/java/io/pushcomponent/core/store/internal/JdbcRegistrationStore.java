package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.PublishSecret;
import io.pushcomponent.api.Redaction;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.RegistrationChangeListener;
import io.pushcomponent.api.store.RegistrationWatch;
import io.pushcomponent.api.store.RegistrationStoreException;
import io.pushcomponent.api.store.ServiceKey;
import io.pushcomponent.api.store.StoreSetting;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link DeviceRegistrationStore} in a relational database through plain JDBC: embedded H2 or SQLite for a single
 * component, PostgreSQL for several component instances that share their registrations.
 *
 * <p>Open one with {@link #open(DataSource, String)} (any pooled {@link DataSource}, e.g. HikariCP),
 * {@link #openH2(Path)} (an embedded H2 database in a directory, pooled by H2 itself) or
 * {@link #openSqlite(Path, String, boolean)} (an embedded SQLite database in a directory). Opening creates the tables
 * {@code <prefix>registration} and {@code <prefix>schema_version} or upgrades them (see {@link Schema}); it refuses
 * a database written by a newer version.
 *
 * <p><b>Identity.</b> The node is the primary key. Provider id + token + owner is unique through the constraint on
 * ({@code token_key}, {@code owner_key}): {@code token_key} is a hash of provider id + token, {@code owner_key} of
 * the owner (the first 128 bits of their SHA-256). The same index serves {@link #findByToken}, the index on
 * ({@code owner_key}, {@code created_at}) serves {@link #listByOwner}. Hashes keep every index entry small however
 * long a token or JID is (PostgreSQL limits index entries to about 2.7 kB), and every query also compares the real
 * values, so a hash collision can never return or change another device's row.
 *
 * <p><b>Concurrency.</b> Thread-safe, and correct across processes sharing one database: it takes no JVM lock.
 * Every change is one short transaction (read committed). {@link #register} first updates the row of the device
 * identity and otherwise inserts the candidate; when a concurrent transaction inserted the same identity first, the
 * unique constraint rejects the insert and the register is retried, now finding that row. Lock timeouts, deadlocks
 * and serialization failures are retried a bounded number of times with a short random back-off.
 *
 * <p><b>Secrets.</b> Publish secrets are stored as hashes ({@link PublishSecret#stored}); registrations read from
 * the tables carry that form, and {@link #register} returns the candidate's secret as given. Databases written
 * before hashing (schema version 1) have their secrets hashed by migration 2 when opened.
 *
 * <p><b>Values.</b> Creation times are stored with microsecond precision; {@link #register} returns the registration
 * as stored. Values longer than the columns are refused with {@link IllegalArgumentException} before any SQL runs.
 * Failures of the database are thrown as {@link RegistrationStoreException}s naming the operation and the SQLState;
 * they never carry tokens or secrets.
 *
 * <p><b>Durability.</b> A change is committed before its method returns, and the commit is in the database when it
 * returns: opening a store sets an H2 database's {@code WRITE_DELAY} to 0 (H2 otherwise writes commits from a
 * background thread up to 500 ms later, and a killed process loses them), and warns when PostgreSQL runs with
 * {@code fsync} or {@code synchronous_commit} off. So a change the caller acknowledges survives a killed process.
 * Surviving power loss or an operating system crash also needs the data on the disk: PostgreSQL does that with its
 * defaults; embedded H2 only when opened with {@link #openH2(Path, String, boolean)} and {@code fsync} set, which
 * has H2 call {@code fsync} after every change ({@code CHECKPOINT SYNC}); embedded SQLite, whose commits are in its
 * write-ahead log when they return, only with {@code fsync} set ({@code synchronous=FULL}).
 *
 * <p><b>Lifecycle.</b> Usable until {@link #close()}, which closes what the store opened itself (the H2 database of
 * {@link #openH2(Path)}, the SQLite connections of {@link #openSqlite}); a {@link DataSource} passed in stays open and remains the caller's to close.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#enabling">XEP-0357 §5 Enabling Notifications</a>
 */
public final class JdbcRegistrationStore implements DeviceRegistrationStore {
    /** The table prefix used when none is given: tables {@code push_registration}, {@code push_schema_version}. */
    public static final String DEFAULT_TABLE_PREFIX = "push_";

    /** The {@code table-prefix} setting every JDBC store factory offers. */
    static final StoreSetting TABLE_PREFIX_SETTING = StoreSetting.optional("table-prefix", "prefix of the table "
            + "names: a lower-case letter, then up to 29 lower-case letters, digits or _", DEFAULT_TABLE_PREFIX);

    /** The database file name {@link #openH2(Path)} uses inside its directory ({@code registrations.mv.db}). */
    public static final String H2_DATABASE_NAME = "registrations";
    /** The database file {@link #openSqlite} uses inside its directory. */
    public static final String SQLITE_FILE_NAME = H2_DATABASE_NAME + ".sqlite";
    private static final String POSTGRESQL = "PostgreSQL";
    private static final String SQLITE = "SQLite";

    private static final Pattern TABLE_PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,29}");
    private static final String SQL_STATE_UNIQUE_VIOLATION = "23505";
    /** SQLite's primary result codes, which its driver gives as {@link SQLException#getErrorCode()}. */
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_CONSTRAINT = 19;
    private static final int MAX_ATTEMPTS = 20;
    /** Statement sizes of {@link #findByNodes}: a look-up of n nodes uses the smallest that holds them. */
    private static final int[] NODES_PER_LOOKUP = {1, 8, 64};
    private static final String COLUMNS =
            "node, provider_id, token, second_token, app_id, sandbox, owner_jid, secret, created_at";

    private final DataSource dataSource;
    private final Runnable onClose;
    private final String tablePrefix;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean fsync;
    /** Connections kept open with the node look-ups prepared: embedded H2 only, {@code null} otherwise. */
    private final NodeReaders readers;
    /** The database is PostgreSQL, whose {@code LISTEN}/{@code NOTIFY} reports changes ({@link #watchChanges}). */
    private final boolean postgres;
    /** The database is SQLite: times are stored as microseconds since the epoch, its errors are told by code. */
    private final boolean sqlite;
    private final ConcurrentLinkedQueue<PostgresChangeWatch> watches = new ConcurrentLinkedQueue<>();

    private final String updateDevice;
    private final String selectByDevice;
    private final String insert;
    /** {@code selectByNodes[i]}: the rows of {@code NODES_PER_LOOKUP[i]} nodes. */
    private final String[] selectByNodes;
    private final String selectByToken;
    private final String selectByOwner;
    private final String deleteByNode;
    private final String countAll;
    private final String countByProvider;
    private final String addDiagnostics;
    /** PostgreSQL: waits for the registration removals in progress and holds off new ones until the commit. */
    private final String lockDiagnostics;
    private final String selectDiagnostics;

    private JdbcRegistrationStore(DataSource dataSource, String tablePrefix, boolean fsync, boolean keepReaders,
                                  String product, Runnable onClose) {
        this.dataSource = dataSource;
        this.postgres = POSTGRESQL.equals(product);
        this.sqlite = SQLITE.equals(product);
        this.tablePrefix = tablePrefix;
        this.fsync = fsync;
        this.onClose = onClose;
        String table = tablePrefix + "registration";
        String sameDevice =
                " WHERE token_key = ? AND owner_key = ? AND provider_id = ? AND token = ? AND owner_jid = ?";
        updateDevice = "UPDATE " + table + " SET second_token = ?, app_id = ?, sandbox = ?, secret = ?" + sameDevice;
        selectByDevice = "SELECT " + COLUMNS + " FROM " + table + sameDevice;
        insert = "INSERT INTO " + table + " (" + COLUMNS + ", token_key, owner_key)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        selectByNodes = new String[NODES_PER_LOOKUP.length];
        for (int i = 0; i < NODES_PER_LOOKUP.length; i++) {
            selectByNodes[i] = "SELECT " + COLUMNS + " FROM " + table + " WHERE node IN ("
                    + String.join(", ", Collections.nCopies(NODES_PER_LOOKUP[i], "?")) + ")";
        }
        selectByToken = "SELECT " + COLUMNS + " FROM " + table
                + " WHERE token_key = ? AND provider_id = ? AND token = ? ORDER BY created_at, node";
        selectByOwner = "SELECT " + COLUMNS + " FROM " + table
                + " WHERE owner_key = ? AND owner_jid = ? ORDER BY created_at, node";
        deleteByNode = "DELETE FROM " + table + " WHERE node = ?";
        countAll = "SELECT COUNT(*) FROM " + table;
        countByProvider = "SELECT provider_id, COUNT(*) FROM " + table + " GROUP BY provider_id";
        String stats = tablePrefix + "delivery_stats";
        // The new values, named as the columns: EXCLUDED's on PostgreSQL and SQLite, the MERGE source's on H2. Every
        // right-hand side reads the row as it was before the statement.
        String source = postgres || sqlite ? "EXCLUDED" : "c";
        String newer = "CASE WHEN " + source + ".%1$s IS NOT NULL AND (s.%1$s IS NULL OR s.%1$s < " + source
                + ".%1$s) THEN " + source + ".%2$s ELSE s.%2$s END";
        String merged = "success_count = s.success_count + " + source + ".success_count, "
                + "failure_count = s.failure_count + " + source + ".failure_count, "
                + "last_success_at = " + newer.formatted("last_success_at", "last_success_at") + ", "
                + "last_failure_reason = " + newer.formatted("last_failure_at", "last_failure_reason") + ", "
                + "last_failure_condition = " + newer.formatted("last_failure_at", "last_failure_condition") + ", "
                + "last_failure_at = " + newer.formatted("last_failure_at", "last_failure_at");
        String values = "CAST(? AS BIGINT) AS success_count, CAST(? AS BIGINT) AS failure_count, "
                + "CAST(? AS TIMESTAMP WITH TIME ZONE) AS last_success_at, "
                + "CAST(? AS TIMESTAMP WITH TIME ZONE) AS last_failure_at, "
                + "CAST(? AS VARCHAR(" + DeliveryDiagnostics.MAX_TEXT + ")) AS last_failure_reason, "
                + "CAST(? AS VARCHAR(" + DeliveryDiagnostics.MAX_TEXT + ")) AS last_failure_condition";
        String columns = "node, success_count, failure_count, last_success_at, last_failure_at, "
                + "last_failure_reason, last_failure_condition";
        // Only for a registration that exists: the node is read from the registration table. PostgreSQL takes a
        // whole batch in one statement, its values as arrays (one per column; times as ISO-8601 text); SQLite an
        // upsert per registration, with the parameters of H2's MERGE in the same order.
        addDiagnostics = sqlite
                ? "INSERT INTO " + stats + " AS s (" + columns + ") SELECT node, ?, ?, ?, ?, ?, ? FROM " + table
                        + " WHERE node = ? ON CONFLICT (node) DO UPDATE SET " + merged
                : postgres
                ? "INSERT INTO " + stats + " AS s (" + columns + ") SELECT r.node, c.success_count, c.failure_count,"
                        + " CAST(c.last_success_at AS TIMESTAMP WITH TIME ZONE),"
                        + " CAST(c.last_failure_at AS TIMESTAMP WITH TIME ZONE), c.last_failure_reason,"
                        + " c.last_failure_condition FROM unnest(CAST(? AS VARCHAR[]), CAST(? AS BIGINT[]),"
                        + " CAST(? AS BIGINT[]), CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]),"
                        + " CAST(? AS VARCHAR[])) AS c(" + columns + ") JOIN " + table + " r ON r.node = c.node"
                        + " ON CONFLICT (node) DO UPDATE SET " + merged
                : "MERGE INTO " + stats + " s USING (SELECT node, " + values + " FROM " + table
                        + " WHERE node = ?) c ON s.node = c.node WHEN MATCHED THEN UPDATE SET " + merged
                        + " WHEN NOT MATCHED THEN INSERT (" + columns + ") VALUES ("
                        + Schema.prefixed("c.", columns) + ")";
        lockDiagnostics = "SELECT pg_advisory_xact_lock(" + Schema.diagnosticsLock(tablePrefix) + ")";
        selectDiagnostics = "SELECT r.node, COALESCE(s.success_count, 0), COALESCE(s.failure_count, 0), "
                + "s.last_success_at, s.last_failure_at, s.last_failure_reason, s.last_failure_condition FROM "
                + table + " r LEFT JOIN " + stats + " s ON s.node = r.node WHERE r.node IN ("
                + String.join(", ", Collections.nCopies(NODES_PER_LOOKUP[NODES_PER_LOOKUP.length - 1], "?")) + ")";
        readers = keepReaders ? new NodeReaders(dataSource, selectByNodes, sqlite) : null;
    }

    /**
     * Opens a store on the tables {@code push_registration} and {@code push_schema_version}.
     *
     * @see #open(DataSource, String)
     */
    public static JdbcRegistrationStore open(DataSource dataSource) {
        return open(dataSource, DEFAULT_TABLE_PREFIX);
    }

    /**
     * Opens a store in the database of a {@link DataSource}, creating or upgrading its tables. The data source
     * should pool connections (HikariCP, or the application server's pool): the store takes a connection for every
     * call and returns it at once.
     *
     * @param dataSource  connections to H2 or PostgreSQL; stays the caller's to close
     * @param tablePrefix prefix of the table and index names: a lower-case letter, then up to 29 lower-case letters,
     *                    digits or {@code _}, e.g. {@code push_}
     * @return an open store
     * @throws IllegalArgumentException   when the prefix is not of that form
     * @throws RegistrationStoreException when the database cannot be reached or is newer than this code, or when
     *                                    it is H2 with a {@code WRITE_DELAY} this user may not set to 0
     */
    public static JdbcRegistrationStore open(DataSource dataSource, String tablePrefix) {
        Objects.requireNonNull(dataSource, "dataSource");
        checkTablePrefix(tablePrefix);
        requireDurableCommits(dataSource, tablePrefix);
        Schema.migrate(dataSource, tablePrefix);
        return new JdbcRegistrationStore(dataSource, tablePrefix, false, false, product(dataSource), () -> { });
    }

    /**
     * Opens a store in an embedded H2 database in a directory, with the default table prefix.
     *
     * @see #openH2(Path, String)
     */
    public static JdbcRegistrationStore openH2(Path directory) {
        return openH2(directory, DEFAULT_TABLE_PREFIX);
    }

    /**
     * Opens a store in an embedded H2 database in a directory, with changes that survive a killed process but not
     * necessarily power loss.
     *
     * @see #openH2(Path, String, boolean)
     */
    public static JdbcRegistrationStore openH2(Path directory, String tablePrefix) {
        return openH2(directory, tablePrefix, false);
    }

    /**
     * Opens a store in an embedded H2 database file {@code registrations.mv.db} in a directory (created when
     * missing), through a small connection pool that {@link #close()} disposes of, which closes the database. H2
     * must be on the class or module path ({@code com.h2database:h2}). Only one process can have the file open.
     *
     * <p>The directory is made readable by this process's user only (0700, the database's files 0600): a new one is
     * created so; an existing one open to other users is made private when it holds only this database's files and
     * refused otherwise.
     *
     * <p>Every change is in the file when its method returns ({@code WRITE_DELAY=0}), so it survives a killed
     * process. The operating system may still hold it in its cache; with {@code fsync} every change is also forced
     * to the disk before its method returns, so that it survives power loss and operating system crashes, at the
     * price of one {@code fsync} per change.
     *
     * @param directory   where the database file lives
     * @param tablePrefix as for {@link #open(DataSource, String)}
     * @param fsync       force every change to the disk ({@code CHECKPOINT SYNC}) before returning
     * @return an open store
     * @throws RegistrationStoreException when the directory or the database cannot be opened (for example because
     *                                    another process has it open), the directory is open to other users and
     *                                    holds other files, or the database is newer than this code
     */
    public static JdbcRegistrationStore openH2(Path directory, String tablePrefix, boolean fsync) {
        Objects.requireNonNull(directory, "directory");
        checkTablePrefix(tablePrefix);
        PrivateDirectory.prepare(directory, H2_DATABASE_NAME);
        H2Pool pool = H2Pool.open(directory.toAbsolutePath().resolve(H2_DATABASE_NAME));
        // H2 may write a trace file while it is open: closing restricts the directory's files again
        return new JdbcRegistrationStore(pool.dataSource(), tablePrefix, fsync, true, "H2",
                prepareEmbedded(directory, tablePrefix, pool.dataSource(), pool::close));
    }

    /**
     * Opens a store in an embedded SQLite database file {@code registrations.sqlite} in a directory (created when
     * missing), through a small connection pool that {@link #close()} closes. {@code org.xerial:sqlite-jdbc} and
     * {@code com.zaxxer:HikariCP} must be on the class or module path. The directory is made private as for
     * {@link #openH2(Path, String, boolean)}; the database file and its write-ahead log ({@code -wal}, {@code -shm})
     * are created 0600.
     *
     * <p>SQLite keeps its page cache in native memory, not on the Java heap (2 MB per connection, at most 8
     * connections). Readers never wait for the writer (the write-ahead log); writers take turns: each change is a
     * transaction that takes SQLite's write lock when it begins and waits up to 10 s for another one to finish.
     *
     * <p>Every change is in the write-ahead log when its method returns, so it survives a killed process; the
     * operating system may still hold it in its cache, and a power loss may lose the last changes (the file stays
     * consistent). With {@code fsync} every commit forces the log to the disk before it returns
     * ({@code synchronous=FULL}), so that it survives power loss and operating system crashes too.
     *
     * @param directory   where the database file lives
     * @param tablePrefix as for {@link #open(DataSource, String)}
     * @param fsync       force every commit to the disk before returning
     * @return an open store
     * @throws RegistrationStoreException when the directory or the database cannot be opened, the directory is
     *                                    open to other users and holds other files, or the database is newer than
     *                                    this code
     */
    public static JdbcRegistrationStore openSqlite(Path directory, String tablePrefix, boolean fsync) {
        Objects.requireNonNull(directory, "directory");
        checkTablePrefix(tablePrefix);
        // H2's files and SQLite's are all named registrations.* in the data directory
        PrivateDirectory.prepare(directory, H2_DATABASE_NAME);
        SqlitePool pool = SqlitePool.open(directory.toAbsolutePath().resolve(SQLITE_FILE_NAME), fsync,
                "push-sqlite-store");
        return new JdbcRegistrationStore(pool.dataSource(), tablePrefix, false, true, SQLITE,
                prepareEmbedded(directory, tablePrefix, pool.dataSource(), pool::close));
    }

    /**
     * Readies an embedded database in {@code directory} (durable commits, the schema, its files private); when that
     * fails, closes its pool and rethrows.
     *
     * @return what closing the store does: close the pool, then make the directory's files private again
     */
    private static Runnable prepareEmbedded(Path directory, String tablePrefix, DataSource dataSource,
                                            Runnable closePool) {
        try {
            requireDurableCommits(dataSource, tablePrefix);
            Schema.migrate(dataSource, tablePrefix);
            PrivateDirectory.restrictFiles(directory, H2_DATABASE_NAME);
        } catch (RuntimeException e) {
            closePool.run();
            throw e;
        }
        return () -> {
            closePool.run();
            PrivateDirectory.restrictFiles(directory, H2_DATABASE_NAME);
        };
    }

    private static void requireDurableCommits(DataSource dataSource, String tablePrefix) {
        try (Connection connection = dataSource.getConnection()) {
            DurableCommits.require(connection, "the registration tables with prefix '" + tablePrefix + "'");
        } catch (SQLException e) {
            throw new RegistrationStoreException("cannot open the registration tables with prefix '" + tablePrefix
                    + "': " + e.getMessage(), e);
        }
    }

    private static String product(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new RegistrationStoreException("cannot open the registration tables: " + e.getMessage(), e);
        }
    }

    private static void checkTablePrefix(String tablePrefix) {
        Objects.requireNonNull(tablePrefix, "tablePrefix");
        if (!TABLE_PREFIX.matcher(tablePrefix).matches()) {
            throw new IllegalArgumentException("table prefix '" + tablePrefix + "' must be a lower-case letter "
                    + "followed by up to 29 lower-case letters, digits or '_'");
        }
    }

    /** The prefix of this store's table names. */
    public String tablePrefix() {
        return tablePrefix;
    }

    @Override
    public DeviceRegistration register(DeviceRegistration candidate) {
        Objects.requireNonNull(candidate, "candidate");
        RegistrationLimits.check(candidate);
        DeviceRegistration stored = new DeviceRegistration(candidate.node(), candidate.device(), candidate.owner(),
                candidate.secret(), candidate.createdAt().truncatedTo(ChronoUnit.MICROS));
        Keys keys = Keys.of(candidate);
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            try (Connection connection = dataSource.getConnection()) {
                return inTransaction(connection, () -> registerOnce(connection, stored, keys));
            } catch (SQLException e) {
                if (uniqueViolation(e)) {
                    // Either a concurrent register inserted the same device first (the retry finds and returns its
                    // row) or the candidate's node belongs to another device, which a retry cannot fix.
                    checkNodeFree(stored);
                }
                giveUpUnlessRetryable("register", e, attempt);
            }
        }
    }

    private DeviceRegistration registerOnce(Connection connection, DeviceRegistration stored, Keys keys)
            throws SQLException {
        Device device = stored.device();
        try (PreparedStatement update = connection.prepareStatement(updateDevice)) {
            update.setString(1, device.secondToken());
            update.setString(2, device.appId());
            update.setBoolean(3, device.sandbox());
            update.setString(4, PublishSecret.stored(stored.secret()));
            bindDevice(update, 5, stored, keys);
            if (update.executeUpdate() > 0) {
                try (PreparedStatement select = connection.prepareStatement(selectByDevice)) {
                    bindDevice(select, 1, stored, keys);
                    DeviceRegistration existing = readAll(select, sqlite).get(0);
                    return new DeviceRegistration(existing.node(), existing.device(), existing.owner(),
                            stored.secret(), existing.createdAt());
                }
            }
        }
        try (PreparedStatement insertRow = connection.prepareStatement(insert)) {
            bindInsert(insertRow, stored, keys, sqlite);
            insertRow.executeUpdate();
        }
        return stored;
    }

    /** Binds the {@code sameDevice} condition's five parameters from {@code index} on. */
    private static void bindDevice(PreparedStatement statement, int index, DeviceRegistration registration, Keys keys)
            throws SQLException {
        statement.setString(index, keys.token());
        statement.setString(index + 1, keys.owner());
        statement.setString(index + 2, registration.device().providerId());
        statement.setString(index + 3, registration.device().token());
        statement.setString(index + 4, registration.owner());
    }

    private static void bindInsert(PreparedStatement insertRow, DeviceRegistration stored, Keys keys, boolean micros)
            throws SQLException {
        Device device = stored.device();
        insertRow.setString(1, stored.node());
        insertRow.setString(2, device.providerId());
        insertRow.setString(3, device.token());
        insertRow.setString(4, device.secondToken());
        insertRow.setString(5, device.appId());
        insertRow.setBoolean(6, device.sandbox());
        insertRow.setString(7, stored.owner());
        insertRow.setString(8, PublishSecret.stored(stored.secret()));
        setTime(insertRow, 9, stored.createdAt(), micros);
        insertRow.setString(10, keys.token());
        insertRow.setString(11, keys.owner());
    }

    /**
     * Stores registrations that are all new, in one transaction and one batch of inserts: for moving registrations
     * in from a backup or another push server, and for loading benchmarks. Much faster than one
     * {@link #register} per registration; call it with batches of a few thousand.
     *
     * <p>All or nothing: when any node or provider id + token + owner is already stored (or repeated within the
     * batch), nothing of the batch is stored and {@link IllegalStateException} is thrown; {@link #register} is the
     * way to merge with existing registrations.
     *
     * @param registrations new registrations; each is checked against the store's limits first
     * @throws IllegalArgumentException   when a value exceeds the store's limits (nothing is stored)
     * @throws IllegalStateException      when a registration of the batch is already stored (nothing is stored)
     * @throws RegistrationStoreException when the database fails
     */
    public void importAll(List<DeviceRegistration> registrations) {
        Objects.requireNonNull(registrations, "registrations");
        List<DeviceRegistration> stored = new ArrayList<>(registrations.size());
        for (DeviceRegistration registration : registrations) {
            Objects.requireNonNull(registration, "registration");
            RegistrationLimits.check(registration);
            stored.add(new DeviceRegistration(registration.node(), registration.device(), registration.owner(),
                    registration.secret(), registration.createdAt().truncatedTo(ChronoUnit.MICROS)));
        }
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            try (Connection connection = dataSource.getConnection()) {
                inTransaction(connection, () -> {
                    try (PreparedStatement insertRows = connection.prepareStatement(insert)) {
                        for (DeviceRegistration registration : stored) {
                            bindInsert(insertRows, registration, Keys.of(registration), sqlite);
                            insertRows.addBatch();
                        }
                        insertRows.executeBatch();
                    }
                    return null;
                });
                return;
            } catch (SQLException e) {
                if (isUniqueViolation(e)) {
                    throw new IllegalStateException("import of " + stored.size() + " registrations refused: one of "
                            + "them is already stored or repeated (same node, or same provider id + token + owner);"
                            + " nothing was imported", e);
                }
                giveUpUnlessRetryable("import", e, attempt);
            }
        }
    }

    /** PostgreSQL reports a failed batch as a BatchUpdateException whose next exception has the SQLState. */
    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException cause = e; cause != null; cause = cause.getNextException()) {
            if (uniqueViolation(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A key or unique constraint refused a row: SQLState 23505, or for SQLite (whose driver gives no SQLState) its
     * {@code SQLITE_CONSTRAINT} error on a unique index or primary key.
     */
    private static boolean uniqueViolation(SQLException e) {
        return SQL_STATE_UNIQUE_VIOLATION.equals(e.getSQLState()) || (e.getErrorCode() == SQLITE_CONSTRAINT
                && e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed"));
    }

    private void checkNodeFree(DeviceRegistration candidate) {
        Optional<DeviceRegistration> holder = findByNode(candidate.node());
        if (holder.isPresent() && !(holder.get().owner().equals(candidate.owner())
                && holder.get().device().providerId().equals(candidate.device().providerId())
                && holder.get().device().token().equals(candidate.device().token()))) {
            throw new IllegalStateException(
                    "node " + Redaction.token(candidate.node()) + " is already registered to another device");
        }
    }

    @Override
    public Optional<DeviceRegistration> findByNode(String node) {
        Objects.requireNonNull(node, "node");
        return Optional.ofNullable(findByNodes(List.of(node)).get(node));
    }

    /**
     * {@inheritDoc}
     *
     * <p>One query per 64 distinct nodes ({@code WHERE node IN (...)}, prepared for 1, 8 and 64 nodes, the unused
     * places repeating a node).
     */
    @Override
    public Map<String, DeviceRegistration> findByNodes(Collection<String> nodes) {
        Objects.requireNonNull(nodes, "nodes");
        List<String> distinct = List.copyOf(new LinkedHashSet<>(nodes));
        Map<String, DeviceRegistration> found = new HashMap<>();
        int largest = NODES_PER_LOOKUP[NODES_PER_LOOKUP.length - 1];
        for (int from = 0; from < distinct.size(); from += largest) {
            List<String> part = distinct.subList(from, Math.min(distinct.size(), from + largest));
            int size = 0;
            while (NODES_PER_LOOKUP[size] < part.size()) {
                size++;
            }
            String[] parameters = new String[NODES_PER_LOOKUP[size]];
            for (int i = 0; i < parameters.length; i++) {
                parameters[i] = part.get(Math.min(i, part.size() - 1));
            }
            List<DeviceRegistration> rows;
            if (readers == null) {
                rows = query("find by node", selectByNodes[size], parameters);
            } else {
                ensureOpen();
                try {
                    rows = readers.find(size, parameters);
                } catch (SQLException e) {
                    throw failure("find by node", e);
                }
            }
            rows.forEach(row -> found.put(row.node(), row));
        }
        return found;
    }

    @Override
    public List<DeviceRegistration> findByToken(String providerId, String token) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(token, "token");
        return query("find by token", selectByToken, Keys.token(providerId, token), providerId, token);
    }

    @Override
    public List<DeviceRegistration> listByOwner(String owner) {
        Objects.requireNonNull(owner, "owner");
        return query("list by owner", selectByOwner, Keys.owner(owner), owner);
    }

    @Override
    public boolean unregister(String node) {
        Objects.requireNonNull(node, "node");
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            try (Connection connection = dataSource.getConnection()) {
                return inTransaction(connection, () -> {
                    try (PreparedStatement delete = connection.prepareStatement(deleteByNode)) {
                        delete.setString(1, node);
                        return delete.executeUpdate() > 0;
                    }
                });
            } catch (SQLException e) {
                giveUpUnlessRetryable("unregister", e, attempt);
            }
        }
    }

    @Override
    public long count() {
        ensureOpen();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(countAll);
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw failure("count", e);
        }
    }

    @Override
    public Map<String, Long> countByProvider() {
        ensureOpen();
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(countByProvider);
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
            return counts;
        } catch (SQLException e) {
            throw failure("count by provider", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One transaction on {@code <prefix>delivery_stats}, in node order (so that instances adding at once take the
     * rows' locks in the same order), inserting each registration's row or adding to it, only while the registration
     * exists: on PostgreSQL one {@code INSERT ... SELECT ... FROM unnest(...) ON CONFLICT} for all of them, elsewhere a
     * batch of one {@code MERGE} each. The later-wins rule is part of the statement, so concurrent instances need no
     * lock of their own for it. On PostgreSQL the transaction first takes the advisory lock of migration 7
     * exclusively, so that it adds no row for a registration whose removal is in progress (the trigger that removes
     * the rows takes the lock shared): flushes of several instances take turns, and a removal waits for the flush
     * in progress.
     */
    @Override
    public void addDiagnostics(Map<String, DeliveryDiagnostics> changes) {
        Objects.requireNonNull(changes, "changes");
        if (changes.isEmpty()) {
            return;
        }
        Map<String, DeliveryDiagnostics> ordered = new TreeMap<>(changes);
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            try (Connection connection = dataSource.getConnection()) {
                inTransaction(connection, () -> {
                    if (postgres) {
                        try (Statement lock = connection.createStatement()) {
                            lock.execute(lockDiagnostics);
                        }
                    }
                    try (PreparedStatement update = connection.prepareStatement(addDiagnostics)) {
                        if (postgres) {
                            bindDiagnosticsArrays(connection, update, ordered);
                            update.executeUpdate();
                        } else {
                            for (Map.Entry<String, DeliveryDiagnostics> change : ordered.entrySet()) {
                                bindDiagnostics(update, change.getKey(), change.getValue(), sqlite);
                                update.addBatch();
                            }
                            update.executeBatch();
                        }
                    }
                    return null;
                });
                return;
            } catch (SQLException e) {
                giveUpUnlessRetryable("add diagnostics", e, attempt);
            }
        }
    }

    /** Binds every change at once, a column per array, in {@code changes}' order (PostgreSQL). */
    private static void bindDiagnosticsArrays(Connection connection, PreparedStatement insert,
                                              Map<String, DeliveryDiagnostics> changes) throws SQLException {
        int n = changes.size();
        String[] nodes = new String[n];
        Long[] successes = new Long[n];
        Long[] failures = new Long[n];
        String[] lastSuccess = new String[n];
        String[] lastFailure = new String[n];
        String[] reasons = new String[n];
        String[] conditions = new String[n];
        int i = 0;
        for (Map.Entry<String, DeliveryDiagnostics> change : changes.entrySet()) {
            DeliveryDiagnostics d = change.getValue();
            OffsetDateTime failure = utc(d.lastFailure());
            OffsetDateTime success = utc(d.lastSuccess());
            nodes[i] = change.getKey();
            successes[i] = d.successes();
            failures[i] = d.failures();
            lastSuccess[i] = success == null ? null : success.toString();
            lastFailure[i] = failure == null ? null : failure.toString();
            reasons[i] = failure == null ? null : d.lastFailureReason();
            conditions[i] = failure == null ? null : d.lastFailureCondition();
            i++;
        }
        insert.setArray(1, connection.createArrayOf("varchar", nodes));
        insert.setArray(2, connection.createArrayOf("bigint", successes));
        insert.setArray(3, connection.createArrayOf("bigint", failures));
        insert.setArray(4, connection.createArrayOf("varchar", lastSuccess));
        insert.setArray(5, connection.createArrayOf("varchar", lastFailure));
        insert.setArray(6, connection.createArrayOf("varchar", reasons));
        insert.setArray(7, connection.createArrayOf("varchar", conditions));
    }

    private static void bindDiagnostics(PreparedStatement merge, String node, DeliveryDiagnostics change,
                                        boolean micros) throws SQLException {
        Instant failure = change.lastFailure();
        merge.setLong(1, change.successes());
        merge.setLong(2, change.failures());
        setTime(merge, 3, change.lastSuccess(), micros);
        setTime(merge, 4, failure, micros);
        merge.setString(5, failure == null ? null : change.lastFailureReason());
        merge.setString(6, failure == null ? null : change.lastFailureCondition());
        merge.setString(7, node);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS),
                ZoneOffset.UTC);
    }

    /**
     * Binds a time (or SQL {@code NULL}): with {@code micros} (SQLite, which has no time type) as microseconds since
     * the epoch, which order and compare as the times do; otherwise as a {@code TIMESTAMP WITH TIME ZONE} in UTC,
     * to the microsecond.
     */
    private static void setTime(PreparedStatement statement, int index, Instant time, boolean micros)
            throws SQLException {
        if (micros) {
            if (time == null) {
                statement.setNull(index, Types.BIGINT);
            } else {
                statement.setLong(index, micros(time));
            }
        } else {
            statement.setObject(index, utc(time));
        }
    }

    /** A time {@link #setTime} bound, or {@code null}. */
    private static Instant instant(ResultSet rows, int column, boolean micros) throws SQLException {
        if (micros) {
            long value = rows.getLong(column);
            return rows.wasNull() ? null : fromMicros(value);
        }
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /**
     * {@inheritDoc}
     *
     * <p>One query per 64 distinct nodes.
     */
    @Override
    public Map<String, DeliveryDiagnostics> diagnostics(Collection<String> nodes) {
        Objects.requireNonNull(nodes, "nodes");
        List<String> distinct = List.copyOf(new LinkedHashSet<>(nodes));
        Map<String, DeliveryDiagnostics> found = new HashMap<>();
        int largest = NODES_PER_LOOKUP[NODES_PER_LOOKUP.length - 1];
        ensureOpen();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(selectDiagnostics)) {
            for (int from = 0; from < distinct.size(); from += largest) {
                List<String> part = distinct.subList(from, Math.min(distinct.size(), from + largest));
                for (int i = 0; i < largest; i++) {
                    select.setString(i + 1, part.get(Math.min(i, part.size() - 1)));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.put(rows.getString(1), new DeliveryDiagnostics(rows.getLong(2), rows.getLong(3),
                                instant(rows, 4, sqlite), instant(rows, 5, sqlite), rows.getString(6),
                                rows.getString(7)));
                    }
                }
            }
            return found;
        } catch (SQLException e) {
            throw failure("diagnostics", e);
        }
    }

    @Override
    public ServiceKey serviceKey(String name) {
        ServiceKeys.checkName(name, "key name");
        String table = tablePrefix + "service_key";
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            try (Connection connection = dataSource.getConnection()) {
                try (PreparedStatement select = connection.prepareStatement("SELECT key_id, secret FROM " + table
                        + " WHERE name = ?")) {
                    select.setString(1, name);
                    try (ResultSet rows = select.executeQuery()) {
                        if (rows.next()) {
                            return new ServiceKey(name, rows.getString(1), Base64.getDecoder().decode(rows.getString(2)));
                        }
                    }
                }
                ServiceKey fresh = ServiceKeys.generate(name);
                inTransaction(connection, () -> {
                    try (PreparedStatement insertKey = connection.prepareStatement("INSERT INTO " + table
                            + " (name, key_id, secret, created_at) VALUES (?, ?, ?, ?)")) {
                        insertKey.setString(1, name);
                        insertKey.setString(2, fresh.id());
                        insertKey.setString(3, Base64.getEncoder().encodeToString(fresh.secret()));
                        insertKey.setLong(4, System.currentTimeMillis());
                        return insertKey.executeUpdate();
                    }
                });
                return fresh;
            } catch (SQLException e) {
                // Another instance stored its key first (a unique violation): the next attempt reads that one.
                giveUpUnlessRetryable("service key", e, attempt);
            }
        }
    }

    @Override
    public void revoke(String subject, Instant revokedAt, Instant keepUntil) {
        ServiceKeys.checkName(subject, "revocation subject");
        String table = tablePrefix + "revocation";
        long revoked = micros(revokedAt);
        long keep = micros(keepUntil);
        // SQLite's two-argument MAX is the others' GREATEST
        String greatest = sqlite ? "MAX" : "GREATEST";
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            try (Connection connection = dataSource.getConnection()) {
                inTransaction(connection, () -> {
                    try (PreparedStatement purge = connection.prepareStatement("DELETE FROM " + table
                            + " WHERE keep_until < ?")) {
                        purge.setLong(1, micros(Instant.now()));
                        purge.executeUpdate();
                    }
                    try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                            + " SET revoked_at = " + greatest + "(revoked_at, ?), keep_until = " + greatest
                            + "(keep_until, ?)"
                            + " WHERE subject = ?")) {
                        update.setLong(1, revoked);
                        update.setLong(2, keep);
                        update.setString(3, subject);
                        if (update.executeUpdate() > 0) {
                            return 1;
                        }
                    }
                    try (PreparedStatement insertRow = connection.prepareStatement("INSERT INTO " + table
                            + " (subject, revoked_at, keep_until) VALUES (?, ?, ?)")) {
                        insertRow.setString(1, subject);
                        insertRow.setLong(2, revoked);
                        insertRow.setLong(3, keep);
                        return insertRow.executeUpdate();
                    }
                });
                return;
            } catch (SQLException e) {
                // A concurrent revocation inserted the row first: the next attempt updates it.
                giveUpUnlessRetryable("revoke", e, attempt);
            }
        }
    }

    @Override
    public Optional<Instant> revokedAt(String subject) {
        Objects.requireNonNull(subject, "subject");
        ensureOpen();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT revoked_at FROM " + tablePrefix
                     + "revocation WHERE subject = ?")) {
            select.setString(1, subject);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(fromMicros(rows.getLong(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("revoked at", e);
        }
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static Instant fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /** Closes what the store opened itself; a data source passed to {@link #open} stays open. Idempotent. */
    /**
     * On PostgreSQL, a watch that {@code LISTEN}s for the notifications migration 5's triggers send whenever a
     * statement removes registrations or changes what a delivery uses, whoever runs it (another instance, an
     * operator's SQL); it holds one connection of the data source while it runs. Elsewhere (H2, SQLite) empty: an
     * embedded database has one process.
     *
     * @see PostgresChangeWatch
     */
    @Override
    public Optional<RegistrationWatch> watchChanges(RegistrationChangeListener listener) {
        Objects.requireNonNull(listener, "listener");
        ensureOpen();
        if (!postgres) {
            return Optional.empty();
        }
        PostgresChangeWatch watch = PostgresChangeWatch.start(dataSource, tablePrefix, listener);
        watches.add(watch);
        if (closed.get()) {
            watch.close();
        }
        return Optional.of(watch);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (PostgresChangeWatch watch; (watch = watches.poll()) != null; ) {
                watch.close();
            }
            if (readers != null) {
                readers.close();
            }
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "JdbcRegistrationStore[tablePrefix=" + tablePrefix + (closed.get() ? ", closed" : "") + "]";
    }

    private List<DeviceRegistration> query(String operation, String sql, String... parameters) {
        ensureOpen();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setString(i + 1, parameters[i]);
            }
            return readAll(select, sqlite);
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    private static List<DeviceRegistration> readAll(PreparedStatement select, boolean micros) throws SQLException {
        List<DeviceRegistration> registrations = new ArrayList<>(1);
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                Device device = new Device(rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), rows.getBoolean(6));
                Instant createdAt = instant(rows, 9, micros);
                registrations.add(new DeviceRegistration(rows.getString(1), device, rows.getString(7),
                        rows.getString(8), createdAt));
            }
        }
        return registrations;
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs a change in one transaction on the connection, rolling back when it fails; with {@link #fsync}, forces
     * the committed change to the disk before returning.
     */
    private <T> T inTransaction(Connection connection, SqlWork<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            if (fsync) {
                try (Statement sync = connection.createStatement()) {
                    sync.execute("CHECKPOINT SYNC");
                }
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * Returns when the failed attempt should be retried (after a short random pause for lock conflicts), throws
     * otherwise.
     */
    private void giveUpUnlessRetryable(String operation, SQLException e, int attempt) {
        String state = e.getSQLState();
        boolean uniqueViolation = uniqueViolation(e);
        boolean lockConflict = e instanceof SQLTransientException
                || (state != null && (state.startsWith("40") // serialization failure, deadlock
                || state.equals("HYT00") // H2: lock timeout
                || state.equals("90131"))) // H2: concurrent update of the same row
                // SQLite: another connection kept the write lock past the busy timeout
                || (sqlite && (e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED));
        if (!uniqueViolation && !lockConflict) {
            throw failure(operation, e);
        }
        if (attempt >= MAX_ATTEMPTS) {
            throw new RegistrationStoreException(operation + " on the registration tables with prefix '"
                    + tablePrefix + "' still conflicted with concurrent changes after " + attempt + " attempts "
                    + "(SQLState " + state + ")", e);
        }
        if (lockConflict) {
            long pauseMicros = ThreadLocalRandom.current().nextLong(100, 1000L * attempt);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(pauseMicros));
        }
    }

    private RegistrationStoreException failure(String operation, SQLException e) {
        return new RegistrationStoreException(operation + " failed on the registration tables with prefix '"
                + tablePrefix + "' (SQLState " + e.getSQLState() + ")", e);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the registration store is closed");
        }
    }

    /**
     * Connections of the embedded H2 database kept open, each with the node look-ups prepared, for the publish
     * path. A look-up through the pool would check a connection out, prepare the statement (H2 parses it again) and,
     * when the pooled connection closes, roll back; with {@code WRITE_DELAY} 0 H2 ends that rollback by taking its
     * store lock and checking every map for unsaved changes, so concurrent look-ups queue behind one another. Kept
     * connections run their prepared statements and nothing else (auto-commit, so a look-up ends its own
     * transaction). As many are opened as callers look up at once; at most {@link #MAX_IDLE} are kept.
     *
     * <p>Thread-safe; each connection is used by one caller at a time.
     */
    private static final class NodeReaders {
        private static final int MAX_IDLE = 4;

        private final DataSource dataSource;
        private final String[] sql;
        /** Times are stored as microseconds ({@link #setTime}). */
        private final boolean micros;
        private final ConcurrentLinkedQueue<Reader> idle = new ConcurrentLinkedQueue<>();
        private final AtomicInteger idleCount = new AtomicInteger();
        private volatile boolean closed;

        /** A connection and its look-up statements, prepared when first used. */
        private record Reader(Connection connection, PreparedStatement[] selects) {
            PreparedStatement select(int size, String sql) throws SQLException {
                if (selects[size] == null) {
                    selects[size] = connection.prepareStatement(sql);
                }
                return selects[size];
            }

            void closeQuietly() {
                try {
                    for (PreparedStatement select : selects) {
                        if (select != null) {
                            select.close();
                        }
                    }
                    connection.close();
                } catch (SQLException e) {
                    // dropped all the same; disposing of the pool closes what is left
                }
            }
        }

        NodeReaders(DataSource dataSource, String[] sql, boolean micros) {
            this.dataSource = dataSource;
            this.sql = sql;
            this.micros = micros;
        }

        /** The rows of the nodes, with the statement of {@code size} (as many parameters as it has places). */
        List<DeviceRegistration> find(int size, String[] parameters) throws SQLException {
            Reader reader = idle.poll();
            if (reader != null) {
                idleCount.decrementAndGet();
            } else {
                reader = open();
            }
            boolean healthy = false;
            try {
                PreparedStatement select = reader.select(size, sql[size]);
                for (int i = 0; i < parameters.length; i++) {
                    select.setString(i + 1, parameters[i]);
                }
                List<DeviceRegistration> found = readAll(select, micros);
                healthy = true;
                return found;
            } finally {
                release(reader, healthy);
            }
        }

        private Reader open() throws SQLException {
            return new Reader(dataSource.getConnection(), new PreparedStatement[sql.length]);
        }

        private void release(Reader reader, boolean healthy) {
            if (healthy && !closed) {
                if (idleCount.incrementAndGet() <= MAX_IDLE) {
                    idle.offer(reader);
                    if (closed && idle.remove(reader)) {
                        reader.closeQuietly();
                    }
                    return;
                }
                idleCount.decrementAndGet();
            }
            reader.closeQuietly();
        }

        void close() {
            closed = true;
            for (Reader reader; (reader = idle.poll()) != null; ) {
                reader.closeQuietly();
            }
        }
    }

    /** The hashed keys of a registration's identities, as stored in the key columns. */
    private record Keys(String token, String owner) {
        static Keys of(DeviceRegistration registration) {
            return new Keys(token(registration.device().providerId(), registration.device().token()),
                    owner(registration.owner()));
        }

        static String token(String providerId, String token) {
            return hash(providerId, token);
        }

        static String owner(String owner) {
            return hash(owner);
        }

        /**
         * The first 128 bits of the SHA-256 of the values, each preceded by its length so that no two lists hash
         * alike, in base64url (22 characters).
         */
        private static String hash(String... values) {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform provides SHA-256", e);
            }
            for (String value : values) {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
                digest.update(bytes);
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest.digest(), 16));
        }
    }
}
