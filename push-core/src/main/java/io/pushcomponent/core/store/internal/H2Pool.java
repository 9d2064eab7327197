package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.RegistrationStoreException;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The embedded H2 database behind {@link JdbcRegistrationStore#openH2(Path)}: H2's own connection pool over a
 * database file. Kept apart so that H2 is loaded only by hosts that use it.
 */
final class H2Pool {
    /** Enough for the component's executor threads; a caller beyond it waits for a free connection. */
    private static final int MAX_CONNECTIONS = 16;
    /** H2's page cache, in KB (see {@link #open}). */
    static final int CACHE_KB = 4096;

    private final JdbcConnectionPool pool;

    private H2Pool(JdbcConnectionPool pool) {
        this.pool = pool;
    }

    /**
     * Opens the pool on the database file {@code <file>.mv.db}.
     *
     * <p>{@code DB_CLOSE_ON_EXIT=FALSE}: the database closes when the store closes, not from H2's own shutdown hook,
     * which would close it under a component still answering during its graceful shutdown. {@code WRITE_DELAY=0}:
     * every commit is written to the file before it returns, not up to 500 ms later by H2's background writer (see
     * {@link io.pushcomponent.core.store.internal.DurableCommits}). {@code CACHE_SIZE}: a page cache of
     * {@value #CACHE_KB} KB instead of H2's 16 MB. Publishes to many different registrations read a page for nearly
     * every look-up, so the cache turns over within a fraction of a second; at 16 MB the pages were still cached at
     * the next young collection, which copied 8–13 MB of them each time (20–35 ms pauses, four a second at 10,000
     * cold publishes/s) and promoted the rest into the old generation (a full collection every 15 s). At 4 MB the
     * collections copied about 3 MB and took half as long (see push-benchmark's notes on the cold rows).
     */
    static H2Pool open(Path file) {
        JdbcConnectionPool pool;
        try {
            pool = JdbcConnectionPool.create("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"
                    + ";CACHE_SIZE=" + CACHE_KB, "sa", "");
        } catch (RuntimeException e) {
            throw new RegistrationStoreException("cannot open the H2 database " + file, e);
        }
        pool.setMaxConnections(MAX_CONNECTIONS);
        return new H2Pool(pool);
    }

    DataSource dataSource() {
        return pool;
    }

    /** Closes every pooled connection; H2 closes the database file with the last one. */
    void close() {
        pool.dispose();
    }
}
