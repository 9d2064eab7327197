package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.AccountPushRegistration;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.api.store.RegistrationStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * An {@link AccountPushRegistrationStore} in SQL ({@link io.pushcomponent.core.store.Stores#jdbcAccountStore(DataSource, String)}): standard SQL over any JDBC data source, one connection per
 * operation (so a pooled data source is what production wants), each change in one transaction.
 *
 * <p>Tables: {@code <prefix>user_registration} (primary key account + jid + node) and
 * {@code <prefix>user_schema_version} (one row per applied migration, {@link Schema#ACCOUNTS}). Times are stored as epoch milliseconds so no time zone is involved; form fields
 * and extension data as {@code application/x-www-form-urlencoded} text.
 *
 * <p>Each change is committed before its method returns, and opening the store makes sure that a commit is in the
 * database when it returns ({@link DurableCommits}: an H2 database's {@code WRITE_DELAY} is set to 0), so what a
 * client was told is enabled survives a killed server process.
 */
public final class JdbcAccountPushRegistrationStore implements AccountPushRegistrationStore {
    private static final Pattern PREFIX = Pattern.compile("([a-z][a-z0-9_]{0,29})?");
    private static final String INTEGRITY_VIOLATION = "23";
    private static final String TRANSACTION_ROLLBACK = "40";
    private static final int ATTEMPTS = 3;

    private final DataSource dataSource;
    private final String registrations;
    private final boolean fsync;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JdbcAccountPushRegistrationStore(DataSource dataSource, String tablePrefix, boolean fsync,
                                             Runnable onClose) {
        this.dataSource = dataSource;
        this.registrations = tablePrefix + "user_registration";
        this.fsync = fsync;
        this.onClose = onClose;
    }

    /**
     * Opens the store in the database of a data source, creating or upgrading its tables ({@link Schema#ACCOUNTS}).
     *
     * @param dataSource  connections, preferably pooled; stays the caller's to close
     * @param tablePrefix empty or a lower-case identifier of at most 30 characters
     * @throws IllegalArgumentException   when the prefix is not a plain identifier
     * @throws RegistrationStoreException when the tables cannot be created or are newer than this code
     */
    public static JdbcAccountPushRegistrationStore open(DataSource dataSource, String tablePrefix) {
        return open(dataSource, tablePrefix, () -> { });
    }

    /** {@link #open(DataSource, String)}, and {@link #close()} runs {@code onClose} (closing a pool opened for it). */
    static JdbcAccountPushRegistrationStore open(DataSource dataSource, String tablePrefix, Runnable onClose) {
        Objects.requireNonNull(dataSource, "dataSource");
        checkPrefix(tablePrefix);
        prepare(dataSource, tablePrefix);
        return new JdbcAccountPushRegistrationStore(dataSource, tablePrefix, false, onClose);
    }

    /**
     * Opens the store in the embedded H2 database {@code registrations.mv.db} in a directory, the file the app
     * server's {@link JdbcRegistrationStore#openH2(Path, String, boolean)} uses (directory 0700, files 0600);
     * {@link #close()} closes the database. With {@code fsync} every change is forced to the disk before its
     * method returns.
     *
     * @throws RegistrationStoreException when the directory or database cannot be opened or is newer than this code
     */
    public static JdbcAccountPushRegistrationStore openH2(Path directory, String tablePrefix, boolean fsync) {
        Objects.requireNonNull(directory, "directory");
        checkPrefix(tablePrefix);
        PrivateDirectory.prepare(directory, JdbcRegistrationStore.H2_DATABASE_NAME);
        H2Pool pool = H2Pool.open(directory.toAbsolutePath().resolve(JdbcRegistrationStore.H2_DATABASE_NAME));
        return new JdbcAccountPushRegistrationStore(pool.dataSource(), tablePrefix, fsync,
                prepareEmbedded(directory, tablePrefix, pool.dataSource(), pool::close));
    }

    /**
     * Opens the store in the embedded SQLite database {@code registrations.sqlite} in a directory, the file the app
     * server's {@link JdbcRegistrationStore#openSqlite(Path, String, boolean)} uses (directory 0700, files 0600);
     * {@link #close()} closes its connections. With {@code fsync} every commit is forced to the disk before it
     * returns ({@code synchronous=FULL}).
     *
     * @throws RegistrationStoreException when the directory or database cannot be opened or is newer than this code
     */
    public static JdbcAccountPushRegistrationStore openSqlite(Path directory, String tablePrefix, boolean fsync) {
        Objects.requireNonNull(directory, "directory");
        checkPrefix(tablePrefix);
        PrivateDirectory.prepare(directory, JdbcRegistrationStore.H2_DATABASE_NAME);
        SqlitePool pool = SqlitePool.open(directory.toAbsolutePath().resolve(JdbcRegistrationStore.SQLITE_FILE_NAME),
                fsync, "push-sqlite-user-store");
        return new JdbcAccountPushRegistrationStore(pool.dataSource(), tablePrefix, false,
                prepareEmbedded(directory, tablePrefix, pool.dataSource(), pool::close));
    }

    /**
     * Readies an embedded database in {@code directory} (the schema, its files private); when that fails, closes its
     * pool and rethrows.
     *
     * @return what closing the store does: close the pool, then make the directory's files private again
     */
    private static Runnable prepareEmbedded(Path directory, String tablePrefix, DataSource dataSource,
                                            Runnable closePool) {
        try {
            prepare(dataSource, tablePrefix);
            PrivateDirectory.restrictFiles(directory, JdbcRegistrationStore.H2_DATABASE_NAME);
        } catch (RuntimeException e) {
            closePool.run();
            throw e;
        }
        return () -> {
            closePool.run();
            PrivateDirectory.restrictFiles(directory, JdbcRegistrationStore.H2_DATABASE_NAME);
        };
    }

    private static void checkPrefix(String tablePrefix) {
        Objects.requireNonNull(tablePrefix, "tablePrefix");
        if (!PREFIX.matcher(tablePrefix).matches()) {
            throw new IllegalArgumentException("table prefix '" + tablePrefix + "' must be empty or a lower-case"
                    + " identifier of at most 30 characters (a-z, 0-9, _), starting with a letter");
        }
    }

    private static void prepare(DataSource dataSource, String tablePrefix) {
        try (Connection c = dataSource.getConnection()) {
            DurableCommits.require(c, "the user's-server registration tables with prefix '" + tablePrefix + "'");
        } catch (SQLException e) {
            throw new RegistrationStoreException("cannot open the user's-server registration tables with prefix '"
                    + tablePrefix + "': " + e.getMessage(), e);
        }
        Schema.migrate(dataSource, tablePrefix, Schema.ACCOUNTS);
    }

    @Override
    public List<AccountPushRegistration> put(AccountPushRegistration registration, int maxPerAccount) {
        if (maxPerAccount < 1) {
            throw new IllegalArgumentException("maxPerAccount must be at least 1: " + maxPerAccount);
        }
        return inTransaction(c -> {
            if (update(c, registration) == 0) {
                insert(c, registration);
            }
            List<AccountPushRegistration> all = select(c, registration.account());
            List<AccountPushRegistration> dropped = new ArrayList<>();
            for (int i = 0; i < all.size() - maxPerAccount; i++) {
                AccountPushRegistration doomed = all.get(i);
                delete(c, doomed.account(), doomed.jid(), doomed.node());
                dropped.add(doomed);
            }
            return List.copyOf(dropped);
        });
    }

    @Override
    public List<AccountPushRegistration> list(String account) {
        return inTransaction(c -> List.copyOf(select(c, account)));
    }

    @Override
    public Optional<AccountPushRegistration> find(String account, String jid, String node) {
        return inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM " + registrations
                    + " WHERE account = ? AND jid = ? AND node = ?")) {
                p.setString(1, account);
                p.setString(2, jid);
                p.setString(3, node);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean remove(String account, String jid, String node) {
        return inTransaction(c -> delete(c, account, jid, node) > 0);
    }

    @Override
    public int removeAll(String account, String jid) {
        return inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + registrations
                    + " WHERE account = ? AND jid = ?")) {
                p.setString(1, account);
                p.setString(2, jid);
                return p.executeUpdate();
            }
        });
    }

    @Override
    public OptionalInt incrementErrorCount(String account, String jid, String node) {
        return inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE " + registrations
                    + " SET error_count = error_count + 1 WHERE account = ? AND jid = ? AND node = ?")) {
                p.setString(1, account);
                p.setString(2, jid);
                p.setString(3, node);
                if (p.executeUpdate() == 0) {
                    return OptionalInt.empty();
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT error_count FROM " + registrations
                    + " WHERE account = ? AND jid = ? AND node = ?")) {
                p.setString(1, account);
                p.setString(2, jid);
                p.setString(3, node);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? OptionalInt.of(rs.getInt(1)) : OptionalInt.empty();
                }
            }
        });
    }

    @Override
    public void resetErrorCount(String account, String jid, String node) {
        inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE " + registrations
                    + " SET error_count = 0 WHERE account = ? AND jid = ? AND node = ?")) {
                p.setString(1, account);
                p.setString(2, jid);
                p.setString(3, node);
                return p.executeUpdate();
            }
        });
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "JdbcAccountPushRegistrationStore[table=" + registrations + "]";
    }

    private static final String COLUMNS =
            "account, jid, node, publish_options, away, extension_data, error_count, created_at";

    private List<AccountPushRegistration> select(Connection c, String account) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM " + registrations
                + " WHERE account = ? ORDER BY created_at, jid, node")) {
            p.setString(1, account);
            try (ResultSet rs = p.executeQuery()) {
                List<AccountPushRegistration> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return out;
            }
        }
    }

    private static AccountPushRegistration read(ResultSet rs) throws SQLException {
        return new AccountPushRegistration(rs.getString(1), rs.getString(2), rs.getString(3),
                FieldCodec.decodeFields(rs.getString(4)), rs.getBoolean(5), FieldCodec.decodeData(rs.getString(6)),
                rs.getInt(7), Instant.ofEpochMilli(rs.getLong(8)));
    }

    private int update(Connection c, AccountPushRegistration r) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE " + registrations + " SET publish_options = ?, away = ?,"
                + " extension_data = ?, error_count = ?, created_at = ? WHERE account = ? AND jid = ? AND node = ?")) {
            p.setString(1, FieldCodec.encodeFields(r.publishOptions()));
            p.setBoolean(2, r.away());
            p.setString(3, FieldCodec.encodeData(r.extensionData()));
            p.setInt(4, r.errorCount());
            p.setLong(5, r.createdAt().toEpochMilli());
            p.setString(6, r.account());
            p.setString(7, r.jid());
            p.setString(8, r.node());
            return p.executeUpdate();
        }
    }

    private void insert(Connection c, AccountPushRegistration r) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + registrations + " (" + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, r.account());
            p.setString(2, r.jid());
            p.setString(3, r.node());
            p.setString(4, FieldCodec.encodeFields(r.publishOptions()));
            p.setBoolean(5, r.away());
            p.setString(6, FieldCodec.encodeData(r.extensionData()));
            p.setInt(7, r.errorCount());
            p.setLong(8, r.createdAt().toEpochMilli());
            p.executeUpdate();
        }
    }

    private int delete(Connection c, String account, String jid, String node) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + registrations
                + " WHERE account = ? AND jid = ? AND node = ?")) {
            p.setString(1, account);
            p.setString(2, jid);
            p.setString(3, node);
            return p.executeUpdate();
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction. A concurrent insert of the same key (an integrity violation; the retry
     * finds the row and updates it) and a deadlock or serialization failure (SQLState class 40) are retried, up to
     * {@value #ATTEMPTS} attempts in all.
     */
    private <T> T inTransaction(Work<T> work) {
        SQLException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                boolean autoCommit = c.getAutoCommit();
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    if (fsync) {
                        try (Statement sync = c.createStatement()) {
                            sync.execute("CHECKPOINT SYNC");
                        }
                    }
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(autoCommit);
                }
            } catch (SQLException e) {
                last = e;
                if (!isIntegrityViolation(e) && !isTransactionRollback(e)) {
                    break;
                }
            }
        }
        throw new RegistrationStoreException("the user's-server registration table " + registrations
                + " failed (SQLState " + last.getSQLState() + ")", last);
    }

    private static boolean isTransactionRollback(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith(TRANSACTION_ROLLBACK);
    }

    private static boolean isIntegrityViolation(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith(INTEGRITY_VIOLATION);
    }
}
