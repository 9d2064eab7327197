package io.pushcomponent.api.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Per-account storage of {@link AccountPushRegistration}s on the user's server (service-provider interface). A
 * registration is identified by account + app-server {@code jid} + {@code node}.
 *
 * <p>push-core ships an in-memory and a JDBC implementation; an XMPP server may implement this over its own user
 * repository instead.
 *
 * <p><b>Thread-safety:</b> implementations are thread-safe and every method is atomic.
 * <p><b>Blocking:</b> methods may block on I/O (a database).
 * <p><b>Failures:</b> a method that cannot reach its storage throws {@link RegistrationStoreException} and changes
 * nothing.
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

    /** The account of the registrations {@link #probe()} writes: an account of a domain that cannot exist. */
    String PROBE_ACCOUNT = "store-probe@probe.invalid";

    /**
     * Checks that the store can write and remove, for health checks: stores a registration of account
     * {@value #PROBE_ACCOUNT} (app server {@code probe.invalid}, a random node) and removes it again.
     *
     * @throws RegistrationStoreException when the storage cannot be reached, refuses the write, or does not find
     *                                    the registration it just wrote
     */
    default void probe() {
        AccountPushRegistration written = AccountPushRegistration.of(PROBE_ACCOUNT, "probe.invalid",
                "store-probe-" + UUID.randomUUID(), Instant.now());
        put(written, Integer.MAX_VALUE);
        if (!remove(written.account(), written.jid(), written.node())) {
            throw new RegistrationStoreException("the store probe's registration vanished before it was removed");
        }
    }

    /** Releases resources. Idempotent. */
    @Override
    void close();
}
