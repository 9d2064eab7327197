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
     * {@link io.pushcomponent.core.store.internal.DurableCommits}).
     */
    static H2Pool open(Path file) {
        JdbcConnectionPool pool;
        try {
            pool = JdbcConnectionPool.create("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", "sa", "");
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
