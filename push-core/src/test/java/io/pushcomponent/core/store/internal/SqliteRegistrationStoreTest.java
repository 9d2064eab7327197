package io.pushcomponent.core.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeviceRegistration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The store contract against {@link JdbcRegistrationStore#openSqlite}: an embedded SQLite file. */
class SqliteRegistrationStoreTest extends JdbcRegistrationStoreContract {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    @Override
    JdbcRegistrationStore openStore(String tablePrefix) {
        return JdbcRegistrationStore.openSqlite(directory, tablePrefix, false);
    }

    @Override
    JdbcRegistrationStore openOtherInstance(String tablePrefix) {
        // Connections of their own to the same file, as another process would open it.
        return JdbcRegistrationStore.openSqlite(directory, tablePrefix, false);
    }

    @Override
    DataSource dataSource() {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(SqlitePool.BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + directory.resolve(JdbcRegistrationStore.SQLITE_FILE_NAME));
        return dataSource;
    }

    @Override
    boolean mayHoldSchemasBeforeVersion6() {
        return false;
    }

    /**
     * Rule: the database and its write-ahead log are files in the given directory that only the owner may read
     * (0600), the directory 0700; the log is SQLite's WAL, written before a commit returns.
     */
    @Test
    void theDatabaseAndItsLogArePrivateFilesInTheGivenDirectory() throws Exception {
        store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));

        assertThat(directory.resolve("registrations.sqlite")).isRegularFile();
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .as("the database, its write-ahead log and the log's index")
                .contains("registrations.sqlite", "registrations.sqlite-wal", "registrations.sqlite-shm");
        for (Path file : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as("%s", file)
                    .isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        assertThat(pragma("journal_mode")).as("write-ahead log").isEqualTo("wal");
    }

    /**
     * Rule: each connection of the store runs with a write-ahead log, synchronous NORMAL (FULL with fsync), a page
     * cache of {@link SqlitePool#CACHE_KB} KB in native memory and no memory mapping of the file, so the page
     * cache stays bounded and off the Java heap.
     */
    @Test
    void theStoresConnectionsKeepABoundedCacheAndTheChosenDurability() throws SQLException {
        for (boolean fsync : new boolean[] {false, true}) {
            SqlitePool pool = SqlitePool.open(directory.resolve(JdbcRegistrationStore.SQLITE_FILE_NAME), fsync,
                    "test");
            try (Connection connection = pool.dataSource().getConnection()) {
                assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
                assertThat(pragma(connection, "synchronous")).as("fsync %s: 1 NORMAL, 2 FULL", fsync)
                        .isEqualTo(fsync ? "2" : "1");
                assertThat(pragma(connection, "cache_size")).isEqualTo("-" + SqlitePool.CACHE_KB);
                assertThat(pragma(connection, "mmap_size")).isEqualTo("0");
                assertThat(pragma(connection, "foreign_keys")).isEqualTo("1");
            } finally {
                pool.close();
            }
        }
    }

    /**
     * Rule: readers never wait for the writer. While another connection holds SQLite's write lock with an
     * uncommitted change, look-ups return at once with the committed registrations and without the uncommitted one.
     */
    @Test
    void lookUpsDoNotWaitForAWriterAndSeeOnlyCommittedChanges() throws Exception {
        DeviceRegistration committed = store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));
        try (Connection writer = dataSource().getConnection(); Statement statement = writer.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            statement.execute("DELETE FROM " + prefix + "registration WHERE node = 'node-1'");
            CompletableFuture<Map<String, DeviceRegistration>> found = CompletableFuture.supplyAsync(
                    () -> store.findByNodes(List.of("node-1")));

            assertThat(found.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the committed state, not the writer's")
                    .containsExactlyEntriesOf(Map.of("node-1", asStored(committed)));
            statement.execute("ROLLBACK");
        }
    }

    /**
     * Rule: SQLite's one writer at a time does not fail concurrent changes: eight threads registering and
     * unregistering at once all succeed, and the table holds exactly what they left.
     */
    @Test
    void concurrentWritersTakeTurnsWithoutFailing() throws Exception {
        int threads = 8;
        int perThread = 50;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(executor.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String node = "node-" + thread + "-" + i;
                        store.register(registration(node, Device.of(FCM, TOKEN + "-" + thread + "-" + i),
                                ALICE, i));
                        if (i % 2 == 1) {
                            store.unregister(node);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }

        assertThat(store.count()).as("every register and unregister took effect").isEqualTo(threads * perThread / 2);
        assertThat(store.findByNode("node-7-48")).isPresent();
        assertThat(store.findByNode("node-7-49")).isEqualTo(Optional.empty());
    }

    private String pragma(String name) throws SQLException {
        try (Connection connection = dataSource().getConnection()) {
            return pragma(connection, name);
        }
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet value = statement.executeQuery("PRAGMA " + name)) {
            value.next();
            return value.getString(1);
        }
    }
}
