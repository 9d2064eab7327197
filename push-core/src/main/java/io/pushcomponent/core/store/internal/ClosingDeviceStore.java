package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.RegistrationChangeListener;
import io.pushcomponent.api.store.RegistrationWatch;
import io.pushcomponent.api.store.ServiceKey;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store that also closes the connection pool it was opened on ({@link PostgresStoreFactory}), so that its user
 * closes one thing.
 *
 * <p>Thread-safe as the store it wraps.
 */
final class ClosingDeviceStore implements DeviceRegistrationStore {
    private final DeviceRegistrationStore store;
    private final AutoCloseable pool;

    /** Wraps {@code store}; {@link #close()} closes it, then {@code pool}. */
    ClosingDeviceStore(DeviceRegistrationStore store, AutoCloseable pool) {
        this.store = store;
        this.pool = pool;
    }

    @Override
    public DeviceRegistration register(DeviceRegistration candidate) {
        return store.register(candidate);
    }

    @Override
    public Optional<DeviceRegistration> findByNode(String node) {
        return store.findByNode(node);
    }

    @Override
    public Map<String, DeviceRegistration> findByNodes(Collection<String> nodes) {
        return store.findByNodes(nodes);
    }

    @Override
    public List<DeviceRegistration> findByToken(String providerId, String token) {
        return store.findByToken(providerId, token);
    }

    @Override
    public List<DeviceRegistration> listByOwner(String owner) {
        return store.listByOwner(owner);
    }

    @Override
    public boolean unregister(String node) {
        return store.unregister(node);
    }

    @Override
    public Optional<RegistrationWatch> watchChanges(RegistrationChangeListener listener) {
        return store.watchChanges(listener);
    }

    @Override
    public long count() {
        return store.count();
    }

    @Override
    public Map<String, Long> countByProvider() {
        return store.countByProvider();
    }

    @Override
    public void addDiagnostics(Map<String, DeliveryDiagnostics> changes) {
        store.addDiagnostics(changes);
    }

    @Override
    public Map<String, DeliveryDiagnostics> diagnostics(Collection<String> nodes) {
        return store.diagnostics(nodes);
    }

    @Override
    public List<String> unregisterDevice(String providerId, String token, String owner) {
        return store.unregisterDevice(providerId, token, owner);
    }

    @Override
    public void probe() {
        store.probe();
    }

    @Override
    public ServiceKey serviceKey(String name) {
        return store.serviceKey(name);
    }

    @Override
    public void revoke(String subject, Instant revokedAt, Instant keepUntil) {
        store.revoke(subject, revokedAt, keepUntil);
    }

    @Override
    public Optional<Instant> revokedAt(String subject) {
        return store.revokedAt(subject);
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            try {
                pool.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the store's connection pool failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return store.toString();
    }
}
