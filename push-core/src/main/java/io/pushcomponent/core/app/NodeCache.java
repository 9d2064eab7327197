package io.pushcomponent.core.app;

import io.pushcomponent.api.store.DeviceRegistration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registrations by node, remembered for a while so that a publish costs no store round trip: known nodes and, as
 * important, unknown ones (Prosody publishes to a dead node up to 16 times). Bounded; entries expire so that
 * component instances sharing one database see each other's unregistrations within the time to live.
 *
 * <p>Thread-safe and lock-free.
 */
final class NodeCache {
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;

    /** {@code registration} is {@code null} for a node known not to exist. */
    private record Entry(DeviceRegistration registration, long expiresAt) {
    }

    NodeCache(long ttlNanos, int maxEntries) {
        this.ttlNanos = ttlNanos;
        this.maxEntries = maxEntries;
    }

    /**
     * The cached answer: empty when nothing is cached, an empty inner optional when the node is known not to
     * exist.
     */
    Optional<Optional<DeviceRegistration>> get(String node) {
        Entry e = entries.get(node);
        if (e == null) {
            return Optional.empty();
        }
        if (System.nanoTime() - e.expiresAt >= 0) {
            entries.remove(node, e);
            return Optional.empty();
        }
        return Optional.of(Optional.ofNullable(e.registration));
    }

    void put(String node, DeviceRegistration registrationOrNull) {
        if (entries.size() >= maxEntries) {
            evict();
        }
        entries.put(node, new Entry(registrationOrNull, System.nanoTime() + ttlNanos));
    }

    void invalidate(String node) {
        entries.remove(node);
    }

    /** Drops expired entries, and a tenth of the rest when that is not enough. */
    private void evict() {
        long now = System.nanoTime();
        entries.values().removeIf(e -> now - e.expiresAt >= 0);
        int toDrop = entries.size() - maxEntries + maxEntries / 10;
        Iterator<String> it = entries.keySet().iterator();
        while (toDrop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
