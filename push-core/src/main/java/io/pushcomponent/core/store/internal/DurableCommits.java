package io.pushcomponent.core.store.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the JDBC stores check when they open, so that a change they acknowledge survives a killed process: a commit
 * must be in the database's files (or, for a database server, in the server) when it returns.
 *
 * <ul>
 *   <li><b>H2</b> writes committed changes to its file from a background thread, up to {@code WRITE_DELAY} (500 ms
 *       by default) later, so a killed process loses what it acknowledged in that time. With {@code WRITE_DELAY}
 *       0 the committing thread writes them before the commit returns. The setting is persistent and database-wide;
 *       it needs an admin user.</li>
 *   <li><b>SQLite</b> writes a commit to its journal and database files before the commit returns (into the
 *       operating system's cache, and with {@code synchronous=FULL} to the disk), unless its journal is kept in
 *       memory or off ({@code journal_mode} {@code MEMORY} or {@code OFF}), when a killed process can leave the
 *       file half-written: such a database is refused. The embedded store opens it in {@code WAL} mode.</li>
 *   <li><b>PostgreSQL</b> commits in the server, so a killed component loses nothing. Against a crash of the
 *       database server or power loss it needs {@code fsync} and {@code synchronous_commit} on (its defaults);
 *       when either is off a warning says so.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe. Not part of the public API.
 */
public final class DurableCommits {
    private static final Logger LOG = LoggerFactory.getLogger(DurableCommits.class);

    private DurableCommits() {
    }

    /**
     * Makes the database of the connection write each commit before the commit returns (H2), or checks that it
     * does (SQLite, PostgreSQL).
     *
     * @param connection a connection to the store's database, with auto-commit on
     * @param store      the store's name for messages, e.g. {@code the registration tables with prefix 'push_'}
     * @throws SQLException when H2's write delay is not 0 and this user may not change it (the message says how
     *                      to set it in the JDBC URL), or when SQLite keeps its journal in memory or not at all
     */
    public static void require(Connection connection, String store) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        if ("H2".equals(product)) {
            requireH2(connection, store);
        } else if ("SQLite".equals(product)) {
            requireSqlite(connection, store);
        } else if ("PostgreSQL".equals(product)) {
            checkPostgres(connection, store);
        }
    }

    private static void requireH2(Connection connection, String store) throws SQLException {
        if ("0".equals(value(connection, "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                + " WHERE SETTING_NAME = 'WRITE_DELAY'"))) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET WRITE_DELAY 0");
        } catch (SQLException e) {
            throw new SQLException("the H2 database of " + store + " writes commits to disk only after a delay,"
                    + " so a killed process would lose acknowledged changes, and this user may not change that"
                    + " (SQLState " + e.getSQLState() + "): have an admin user run SET WRITE_DELAY 0 once (H2 keeps"
                    + " it), or open the store as an admin user", e.getSQLState(), e);
        }
        LOG.info("{}: set H2's WRITE_DELAY to 0, so that every commit is in the database file when it returns",
                store);
    }

    private static void requireSqlite(Connection connection, String store) throws SQLException {
        String mode = value(connection, "PRAGMA journal_mode");
        if ("memory".equalsIgnoreCase(mode) || "off".equalsIgnoreCase(mode)) {
            throw new SQLException("the SQLite database of " + store + " runs with journal_mode " + mode + ", so a"
                    + " killed process could lose or corrupt acknowledged changes: open it with journal_mode WAL");
        }
    }

    private static void checkPostgres(Connection connection, String store) throws SQLException {
        for (String setting : new String[] {"fsync", "synchronous_commit"}) {
            String value = value(connection, "SHOW " + setting);
            if ("off".equals(value)) {
                LOG.warn("{}: PostgreSQL runs with {} = off: a crash of the database server or of its machine can"
                        + " lose changes the component acknowledged; set {} = on (the default) where that matters",
                        store, setting, setting);
            }
        }
    }

    private static String value(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(query)) {
            return row.next() ? row.getString(1) : null;
        }
    }
}
