package io.pushcomponent.api.store;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.Jid;
import io.pushcomponent.api.PublishSecret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Durable storage of {@link DeviceRegistration}s (service-provider interface).
 *
 * <p>A registration is identified by its node, and also by provider id + device token + owner: the same account
 * registering the same token again gets the same node, while two accounts on one device (multi-account clients
 * such as Siskin) get one node each.
 *
 * <p><b>Secrets:</b> a store keeps a registration's publish secret only in {@link PublishSecret#stored stored form}
 * (a hash): what it finds carries that form, and only {@link #register}'s answer carries the secret itself.
 *
 * <p><b>Thread-safety:</b> implementations are thread-safe and every method is atomic.
 * <p><b>Blocking:</b> methods may block on I/O (a database); callers on an event loop run them on an executor.
 * <p><b>Failures:</b> a method that cannot reach its storage throws {@link RegistrationStoreException} and changes
 * nothing; a registration whose values exceed the store's limits is refused with {@link IllegalArgumentException}.
 * <p><b>Lifecycle:</b> usable until {@link #close()}.
 */
public interface DeviceRegistrationStore extends AutoCloseable {

    /**
     * Stores a registration unless the same owner already registered the same provider id and token, in which case
     * the existing registration is kept (its node and creation time; its second token, app id, sandbox flag and
     * publish secret are replaced by the candidate's: the old secret cannot be returned, as only its hash is kept)
     * and returned. A candidate's secret already in stored form (a registration as found, changed and registered
     * again) is kept as it is.
     *
     * @param candidate the registration to add, with a fresh node and secret
     * @return the stored registration, the candidate or the existing one, with the candidate's secret as given
     */
    DeviceRegistration register(DeviceRegistration candidate);

    /** The registration of a node. */
    Optional<DeviceRegistration> findByNode(String node);

    /**
     * The registrations of several nodes at once: the publish path looks up in one call the nodes it has no cached
     * answer for. The default calls {@link #findByNode} for each; a store with a round trip per call (a database)
     * overrides it to ask once.
     *
     * @param nodes the nodes; repeats are allowed
     * @return the registration of each node that has one, by node; nodes without one are absent
     */
    default Map<String, DeviceRegistration> findByNodes(Collection<String> nodes) {
        Map<String, DeviceRegistration> found = new HashMap<>();
        for (String node : nodes) {
            if (!found.containsKey(node)) {
                findByNode(node).ifPresent(registration -> found.put(node, registration));
            }
        }
        return found;
    }

    /** Every registration of a device token, whoever owns it (several accounts may share a device). */
    List<DeviceRegistration> findByToken(String providerId, String token);

    /** Every registration an account owns, oldest first. */
    List<DeviceRegistration> listByOwner(String owner);

    /**
     * Removes a registration.
     *
     * @return {@code true} when it existed
     */
    boolean unregister(String node);

    /**
     * Removes an account's registrations of a device token, the one way a device is unregistered by its token
     * (XEP-0357 {@code unregister-device}, Tigase's REST call): other accounts' registrations of the same device stay
     * (multi-account clients). The account is compared by its normalised bare JID ({@link Jid}), so any case and
     * any resource of it will do.
     *
     * @param providerId the canonical provider id
     * @param token      the device token
     * @param owner      the account's JID
     * @return the nodes of the registrations removed, empty when the account has none of that token
     */
    default List<String> unregisterDevice(String providerId, String token, String owner) {
        Jid account = Jid.parse(owner);
        List<String> removed = new ArrayList<>();
        for (DeviceRegistration r : findByToken(providerId, token)) {
            if (account.sameBare(r.owner()) && unregister(r.node())) {
                removed.add(r.node());
            }
        }
        return List.copyOf(removed);
    }

    /**
     * Starts reporting changes of registrations made by anyone sharing this store (other processes, operators), for
     * hosts that cache registrations: a publish served from a cache must stop once another process has removed the
     * registration. The listener is called on a thread of the store's own until the watch or the store is closed.
     *
     * <p>The default reports nothing and answers empty: a store only one process uses (in memory, embedded H2), or
     * one that cannot tell. A host then bounds how long it trusts what it cached by a time to live alone. The
     * {@code postgresql} store answers with a watch built on PostgreSQL's {@code LISTEN}/{@code NOTIFY}.
     *
     * <p>A watch that cannot start at once (the database is unreachable) calls
     * {@link RegistrationChangeListener#watchLost()} before this method returns and keeps trying on its thread.
     *
     * @param listener hears of the changes; must not block
     * @return the running watch, to close when done; empty when this store does not report changes
     */
    default Optional<RegistrationWatch> watchChanges(RegistrationChangeListener listener) {
        return Optional.empty();
    }

    /** Number of registrations stored. */
    long count();

    /**
     * Number of registrations per provider, for operators.
     *
     * @return the count of each canonical provider id that has registrations; providers without any are absent
     */
    Map<String, Long> countByProvider();

    /**
     * Adds what became of pushes to the registrations' diagnostics, several registrations in one call: the app
     * server gathers the outcomes in memory and writes them periodically, never once per publish. For each node the
     * counts are added and the last success and last failure (with its reason and condition) are replaced by the
     * change's when the change's are later, so that instances sharing the store may add in any order. Nodes without
     * a registration (removed meanwhile) are skipped. Unregistering a node removes its diagnostics with it;
     * registering the same device again keeps them.
     *
     * @param changes by node: counts to add and the newest success and failure of the interval
     */
    void addDiagnostics(Map<String, DeliveryDiagnostics> changes);

    /**
     * The diagnostics of registrations.
     *
     * @param nodes the nodes; repeats are allowed
     * @return by node, for each node that has a registration: its diagnostics, {@link DeliveryDiagnostics#NONE}
     *         before anything was added; nodes without a registration are absent
     */
    Map<String, DeliveryDiagnostics> diagnostics(Collection<String> nodes);

    /** The owner of the registrations {@link #probe()} writes: an account of a domain that cannot exist. */
    String PROBE_OWNER = "store-probe@probe.invalid";

    /**
     * Checks that the store can write and remove, for health checks (the component's {@code --check-config}):
     * registers a registration no client can hold (owner {@value #PROBE_OWNER}, provider {@code store-probe}, a
     * random node and token) and unregisters it again.
     *
     * @throws RegistrationStoreException when the storage cannot be reached, refuses the write, or does not find
     *                                    the registration it just wrote
     */
    default void probe() {
        String random = UUID.randomUUID().toString();
        DeviceRegistration written = register(new DeviceRegistration("store-probe-" + random,
                Device.of("store-probe", random), PROBE_OWNER, null, Instant.now()));
        if (!unregister(written.node())) {
            throw new RegistrationStoreException("the store probe's registration vanished before it was removed");
        }
    }

    /**
     * The service's key of a name, made (random bytes) and stored on the first call, so that every later call, from
     * this instance after a restart or from another instance on the same storage, returns the same key. Two instances
     * asking at once for a name nobody asked for before get the same key: the one stored first.
     *
     * <p>The default refuses: a store that cannot keep keys cannot serve what needs them (the UnifiedPush
     * distributor's endpoint tokens). push-core's stores keep them.
     *
     * @param name what the key is for, e.g. {@code unifiedpush-endpoint}: up to 64 characters
     * @throws UnsupportedOperationException when this store keeps no keys
     * @throws RegistrationStoreException    when the storage cannot be reached
     */
    default ServiceKey serviceKey(String name) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no service keys");
    }

    /**
     * Records that everything a service issued for {@code subject} up to {@code revokedAt} is revoked (an endpoint
     * token it signed, for example), until {@code keepUntil}, after which nothing issued then would be accepted
     * anyway and the record may be dropped. A later revocation of the same subject replaces an earlier one; an
     * earlier one never replaces a later one.
     *
     * <p>The default refuses, as {@link #serviceKey} does.
     *
     * @param subject   an opaque identifier chosen by the service (a hash, never a token or a JID): up to 64
     *                  characters
     * @param revokedAt everything issued at or before this instant is revoked
     * @param keepUntil when the record may go
     * @throws UnsupportedOperationException when this store keeps no revocations
     * @throws RegistrationStoreException    when the storage cannot be reached
     */
    default void revoke(String subject, Instant revokedAt, Instant keepUntil) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no revocations");
    }

    /**
     * The latest revocation of {@code subject} ({@link #revoke}), empty when there is none or it was kept past its
     * {@code keepUntil} and dropped.
     *
     * @throws UnsupportedOperationException when this store keeps no revocations
     * @throws RegistrationStoreException    when the storage cannot be reached
     */
    default Optional<Instant> revokedAt(String subject) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no revocations");
    }

    /** Releases connections. Idempotent. */
    @Override
    void close();
}
