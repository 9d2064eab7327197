package io.pushcomponent.api.store;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Per-account storage of {@link AccountPushRegistration}s on the user's server (service-provider interface). A registration
 * is identified by account + app-server {@code jid} + {@code node}.
 *
 * <p>push-core ships an in-memory and a JDBC implementation; an XMPP server may implement this over its own user
 * repository instead.
 *
 * <p><b>Thread-safety:</b> implementations are thread-safe and every method is atomic.
 * <p><b>Blocking:</b> methods may block on I/O (a database).
 * <p><b>Lifecycle:</b> usable until {@link #close()}.
 */
public interface AccountPushRegistrationStore extends AutoCloseable {

    /**
     * Stores a registration, replacing the account's registration with the same {@code jid} + {@code node}, then
     * drops the account's oldest registrations (by {@link AccountPushRegistration#createdAt()}) beyond
     * {@code maxPerAccount}.
     *
     * @return the registrations dropped to respect the limit, oldest first
     */
    List<AccountPushRegistration> put(AccountPushRegistration registration, int maxPerAccount);

    /** The account's registrations, oldest first. */
    List<AccountPushRegistration> list(String account);

    /** The registration of {@code jid} + {@code node} of an account. */
    Optional<AccountPushRegistration> find(String account, String jid, String node);

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
