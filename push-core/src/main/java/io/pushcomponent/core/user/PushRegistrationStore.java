package io.pushcomponent.core.user;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;

/**
 * Per-account storage of {@link PushRegistration}s on the user's server (service-provider interface). A registration
 * is identified by account + app-server {@code jid} + {@code node}.
 *
 * <p>Two implementations ship: {@link #inMemory()} and {@link #jdbc(DataSource, String)}; an XMPP server may
 * implement this over its own user repository instead.
 *
 * <p><b>Thread-safety:</b> implementations are thread-safe and every method is atomic.
 * <p><b>Blocking:</b> methods may block on I/O (a database).
 * <p><b>Lifecycle:</b> usable until {@link #close()}.
 */
public interface PushRegistrationStore extends AutoCloseable {

    /** A store in memory: nothing survives the process. */
    static PushRegistrationStore inMemory() {
        return new InMemoryPushRegistrationStore();
    }

    /**
     * {@link #jdbc(DataSource, String)} with the table prefix {@code push_}: tables {@code push_user_registration} and
     * {@code push_user_schema_version}, beside the app server's {@code push_registration}.
     */
    static PushRegistrationStore jdbc(DataSource dataSource) {
        return jdbc(dataSource, "push_");
    }

    /**
     * A store in a SQL database (tested on H2 and PostgreSQL): tables {@code <prefix>user_registration} and
     * {@code <prefix>user_schema_version}. Creates its tables on first use and checks their
     * schema version; fails when the database holds a newer schema than this code knows.
     *
     * @param dataSource  where to connect; a pooled one for production use
     * @param tablePrefix prefix of the table names: empty or a lower-case identifier of at most 30 characters
     * @throws IllegalArgumentException when the prefix is not a plain identifier
     * @throws IllegalStateException    when the schema cannot be created or is newer than supported
     */
    static PushRegistrationStore jdbc(DataSource dataSource, String tablePrefix) {
        return JdbcPushRegistrationStore.open(dataSource, tablePrefix);
    }

    /**
     * Stores a registration, replacing the account's registration with the same {@code jid} + {@code node}, then
     * drops the account's oldest registrations (by {@link PushRegistration#createdAt()}) beyond
     * {@code maxPerAccount}.
     *
     * @return the registrations dropped to respect the limit, oldest first
     */
    List<PushRegistration> put(PushRegistration registration, int maxPerAccount);

    /** The account's registrations, oldest first. */
    List<PushRegistration> list(String account);

    /** The registration of {@code jid} + {@code node} of an account. */
    Optional<PushRegistration> find(String account, String jid, String node);

    /**
     * Removes one registration.
     *
     * @return {@code true} when it existed
     */
    boolean remove(String account, String jid, String node);

    /**
     * Removes every registration of the account at app server {@code jid} (XEP-0357 disable without a node).
     *
     * @return how many were removed
     */
    int removeAll(String account, String jid);

    /**
     * Adds one to the registration's consecutive error count.
     *
     * @return the new count; empty when the registration does not exist
     */
    OptionalInt incrementErrorCount(String account, String jid, String node);

    /** Sets the registration's error count to zero; nothing happens when it does not exist. */
    void resetErrorCount(String account, String jid, String node);

    /** Releases resources. Idempotent. */
    @Override
    void close();
}
