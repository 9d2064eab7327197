package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.AccountPushRegistration;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.core.store.internal.DurableCommits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * An {@link AccountPushRegistrationStore} in SQL ({@link io.pushcomponent.core.store.Stores#jdbcAccountStore(DataSource, String)}): standard SQL over any JDBC data source, one connection per
 * operation (so a pooled data source is what production wants), each change in one transaction.
 *
 * <p>Tables: {@code <prefix>user_schema_version} (one row: the schema version) and {@code <prefix>user_registration}
 * (primary key account + jid + node). Times are stored as epoch milliseconds so no time zone is involved; form fields
 * and extension data as {@code application/x-www-form-urlencoded} text.
 *
 * <p>Each change is committed before its method returns, and opening the store makes sure that a commit is in the
 * database when it returns ({@link DurableCommits}: an H2 database's {@code WRITE_DELAY} is set to 0), so what a
 * client was told is enabled survives a killed server process.
 */
public final class JdbcAccountPushRegistrationStore implements AccountPushRegistrationStore {
    static final int SCHEMA_VERSION = 1;
    private static final Pattern PREFIX = Pattern.compile("([a-z][a-z0-9_]{0,29})?");
    private static final String INTEGRITY_VIOLATION = "23";
    private static final String TRANSACTION_ROLLBACK = "40";
    private static final int ATTEMPTS = 3;

    private final DataSource dataSource;
    private final String registrations;
    private final String schema;

    private JdbcAccountPushRegistrationStore(DataSource dataSource, String tablePrefix) {
        this.dataSource = dataSource;
        this.registrations = tablePrefix + "user_registration";
        this.schema = tablePrefix + "user_schema_version";
    }

    public static JdbcAccountPushRegistrationStore open(DataSource dataSource, String tablePrefix) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(tablePrefix, "tablePrefix");
        if (!PREFIX.matcher(tablePrefix).matches()) {
            throw new IllegalArgumentException("table prefix '" + tablePrefix + "' must be empty or a lower-case"
                    + " identifier of at most 30 characters (a-z, 0-9, _), starting with a letter");
        }
        JdbcAccountPushRegistrationStore store = new JdbcAccountPushRegistrationStore(dataSource, tablePrefix);
        store.migrate();
        return store;
    }

    private void migrate() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            DurableCommits.require(c, "the push registration table " + registrations);
            s.execute("CREATE TABLE IF NOT EXISTS " + schema + " (id INT NOT NULL PRIMARY KEY, version INT NOT NULL)");
            int version = schemaVersion(c);
            if (version > SCHEMA_VERSION) {
                throw new IllegalStateException("table " + schema + " says schema version " + version
                        + ", newer than this push-core supports (" + SCHEMA_VERSION + "); upgrade push-core");
            }
            if (version < 1) {
                s.execute("CREATE TABLE IF NOT EXISTS " + registrations + " ("
                        + "account VARCHAR(1024) NOT NULL, "
                        + "jid VARCHAR(1024) NOT NULL, "
                        + "node VARCHAR(512) NOT NULL, "
                        + "publish_options VARCHAR(65535) NOT NULL, "
                        + "away BOOLEAN NOT NULL, "
                        + "extension_data VARCHAR(65535) NOT NULL, "
                        + "error_count INT NOT NULL, "
                        + "created_at BIGINT NOT NULL, "
                        + "PRIMARY KEY (account, jid, node))");
                try (PreparedStatement p = c.prepareStatement("INSERT INTO " + schema + " (id, version) VALUES (1, ?)")) {
                    p.setInt(1, SCHEMA_VERSION);
                    p.executeUpdate();
                } catch (SQLException e) {
                    if (!isIntegrityViolation(e) || schemaVersion(c) != SCHEMA_VERSION) {
                        throw e;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create or check the push registration tables " + registrations
                    + ": " + e.getMessage(), e);
        }
    }

    private int schemaVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT version FROM " + schema + " WHERE id = 1")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
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
        // Connections are returned after every operation; the data source belongs to the caller.
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
        throw new IllegalStateException("push registration store " + registrations + " failed: "
                + last.getMessage(), last);
    }

    private static boolean isTransactionRollback(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith(TRANSACTION_ROLLBACK);
    }

    private static boolean isIntegrityViolation(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith(INTEGRITY_VIOLATION);
    }
}
