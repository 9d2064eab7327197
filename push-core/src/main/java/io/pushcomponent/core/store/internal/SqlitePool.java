package io.pushcomponent.core.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pushcomponent.api.store.RegistrationStoreException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded SQLite database behind {@link JdbcRegistrationStore#openSqlite}: a small HikariCP pool of SQLite
 * connections to one database file. Kept apart so that SQLite is loaded only by hosts that use it.
 *
 * <p>Every connection is opened with:
 * <ul>
 *   <li>{@code journal_mode=WAL}: a commit appends to the write-ahead log {@code <file>-wal} and readers read the
 *       last committed state without waiting for a writer (nor a writer for them);</li>
 *   <li>{@code synchronous=NORMAL}, or {@code FULL} with {@code fsync}: with NORMAL a commit is in the log file
 *       (written, not forced to the disk) when it returns, so it survives a killed process, and SQLite forces the
 *       log to the disk at each checkpoint; a power loss can lose the last commits but never corrupts the file.
 *       With FULL every commit forces the log to the disk before it returns;</li>
 *   <li>{@code busy_timeout}: SQLite has one writer at a time; a transaction that finds another one writing waits
 *       for it (up to {@value #BUSY_TIMEOUT_MS} ms) instead of failing at once, and transactions begin
 *       {@code IMMEDIATE}, taking the write lock when they begin, so that two of them never both read and then
 *       fail to upgrade;</li>
 *   <li>{@code cache_size}: a page cache of {@value #CACHE_KB} KB per connection, in native memory (not the Java
 *       heap); with at most {@value #MAX_CONNECTIONS} connections, at most
 *       {@value #MAX_CONNECTIONS} × {@value #CACHE_KB} KB in all. No memory mapping ({@code mmap_size=0}), so the
 *       process's resident memory does not grow with the file;</li>
 *   <li>{@code foreign_keys=ON}: diagnostics rows are removed with their registration, as in the other databases.</li>
 * </ul>
 */
final class SqlitePool {
    /** Enough for the component's executor threads and the look-ups kept open; a caller beyond it waits. */
    static final int MAX_CONNECTIONS = 8;
    /** Each connection's page cache, in KB (native memory). */
    static final int CACHE_KB = 2048;
    /** How long a transaction waits for another writer before failing with {@code SQLITE_BUSY}. */
    static final int BUSY_TIMEOUT_MS = 10_000;
    /** How long a caller waits for a free connection of the pool. */
    private static final long CONNECTION_TIMEOUT_MS = 30_000;

    private final HikariDataSource pool;

    private SqlitePool(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Opens the pool on the database file, creating the file (0600 where the file system has POSIX permissions;
     * SQLite gives its log files the database file's permissions) when missing.
     *
     * @param fsync synchronous=FULL (every commit forced to the disk) instead of NORMAL
     */
    static SqlitePool open(Path file, boolean fsync, String poolName) {
        createPrivately(file);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(fsync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setCacheSize(-CACHE_KB);
        config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, "0");
        config.enforceForeignKeys(true);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file);
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setPoolName(poolName);
        hikari.setMaximumPoolSize(MAX_CONNECTIONS);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        // An embedded file needs no keep-alive and never goes away; connections stay until the pool closes.
        hikari.setMaxLifetime(0);
        hikari.setIdleTimeout(TimeUnit.MINUTES.toMillis(10));
        try {
            return new SqlitePool(new HikariDataSource(hikari));
        } catch (RuntimeException e) {
            throw new RegistrationStoreException("cannot open the SQLite database " + file, e);
        }
    }

    private static void createPrivately(Path file) {
        if (Files.exists(file)) {
            return;
        }
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            // another store opening the same file at once created it, with the same permissions
        } catch (IOException e) {
            throw new RegistrationStoreException("cannot create the SQLite database " + file, e);
        }
    }

    DataSource dataSource() {
        return pool;
    }

    /** Closes every connection; SQLite checkpoints the log into the database file when the last one closes. */
    void close() {
        pool.close();
    }
}
