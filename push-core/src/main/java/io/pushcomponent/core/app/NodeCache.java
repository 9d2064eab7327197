package io.pushcomponent.core.app;

import io.pushcomponent.api.store.DeviceRegistration;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Registrations by node, remembered for a while so that a publish costs no store round trip: known nodes and, as
 * important, unknown ones (Prosody publishes to a dead node up to 16 times). A look-up's answer is kept from the
 * node's second look-up on ({@link #putIfCurrent}); what registering and removing write is kept at once. Bounded;
 * each entry expires after between half and all of the time to live, drawn at random: nodes cached at one moment (a
 * busy service's many devices after a start) expired at one moment too, and every publish to them waited for the
 * store while it read them all again; spread out, they are read again a few at a time. An entry read in the last
 * quarter of its life is read again from the store ahead of time ({@link #get(String, Consumer)}, {@link
 * #refreshed}) while it goes on being served, so a node published to at least every quarter of the time to live
 * never costs a publish a store round trip; one published to less often expires and is read again when next asked.
 *
 * <p>Component instances sharing one database see each other's changes through the store's watch
 * ({@link #invalidateRemote}, {@link #invalidateAll}) at once, and within the time to live without one. While a watch
 * is down ({@link #watchLost()}) entries are kept for {@link #UNWATCHED_TTL_NANOS} at most, so that nothing stale is
 * served for longer than that.
 *
 * <p>Thread-safe and lock-free.
 */
final class NodeCache {
    /** The longest an entry is trusted while the store's watch is down: 1 s. */
    static final long UNWATCHED_TTL_NANOS = 1_000_000_000L;

    /** Slots of {@link #seen}, as a power of two: 2^17 (1 MB), several seconds of distinct nodes at 10,000/s. */
    static final int SEEN_BITS = 17;
    /** Slots per bucket of {@link #seen}, as a power of two: a node's hash may be kept in any of 4. */
    static final int SEEN_WAY_BITS = 2;

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    /** Hashes of nodes looked up once (never 0), by slot; see {@link #seenBefore}. */
    private final AtomicLongArray seen = new AtomicLongArray(1 << SEEN_BITS);
    private final long ttlNanos;
    private final int maxEntries;
    /** Counts invalidations heard from the store's watch; a look-up that overlapped one is not cached. */
    private final AtomicLong epoch = new AtomicLong();
    private final LongSupplier nanoTime;
    private volatile boolean watchLost;

    /**
     * {@code registration} is {@code null} for a node known not to exist. From {@code refreshAt} on, the first
     * {@link #get} claims the entry's refresh; a claimed entry's {@code refreshAt} is its {@code expiresAt}.
     */
    private record Entry(DeviceRegistration registration, long refreshAt, long expiresAt) {
    }

    /**
     * A refresh claimed by {@link #get(String, Consumer)}: look {@code node} up in the store and hand the answer to
     * {@link #refreshed}, which replaces the {@code claimed} entry unless it changed or an invalidation since
     * {@code epoch} came meanwhile.
     */
    record Refresh(String node, Entry claimed, long epoch) {
    }

    NodeCache(long ttlNanos, int maxEntries) {
        this(ttlNanos, maxEntries, System::nanoTime);
    }

    /** A cache that reads the time from {@code nanoTime} (a test's clock). */
    NodeCache(long ttlNanos, int maxEntries, LongSupplier nanoTime) {
        this.ttlNanos = ttlNanos;
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    /**
     * The cached answer: empty when nothing is cached, an empty inner optional when the node is known not to
     * exist. The first call to find the entry in the last quarter of its life hands {@code refresh} the entry's
     * refresh, on the calling thread and before it returns; the entry is served meanwhile, until it expires.
     */
    Optional<Optional<DeviceRegistration>> get(String node, Consumer<Refresh> refresh) {
        Entry e = entries.get(node);
        if (e == null) {
            return Optional.empty();
        }
        long now = nanoTime.getAsLong();
        if (now - e.expiresAt >= 0) {
            entries.remove(node, e);
            return Optional.empty();
        }
        if (now - e.refreshAt >= 0 && e.refreshAt != e.expiresAt) {
            long epochNow = epoch.get();
            Entry claimed = new Entry(e.registration, e.expiresAt, e.expiresAt);
            if (entries.replace(node, e, claimed)) {
                refresh.accept(new Refresh(node, claimed, epochNow));
            }
        }
        return Optional.of(Optional.ofNullable(e.registration));
    }

    void put(String node, DeviceRegistration registrationOrNull) {
        if (entries.size() >= maxEntries) {
            evict();
        }
        // keyed by the registration's own copy of the node where there is one: the publish's copy is then garbage
        String key = registrationOrNull != null && registrationOrNull.node().equals(node) ? registrationOrNull.node()
                : node;
        entries.put(key, entry(registrationOrNull));
    }

    /**
     * What a claimed refresh read from the store replaces the entry with, for a new time to live; unless the entry
     * changed since the claim (a registration written or removed here, an invalidation) or the store's watch
     * reported a change meanwhile (the look-up may have read the row before it): then the newer state stands.
     *
     * <p>A registration equal to the cached one keeps the cached object, so the copy just read dies young: the
     * cached one, long since in the old generation, is not copied again. Otherwise each refresh would promote a
     * fresh copy, and the young collections' pauses grew with the time between them (in push-benchmark at
     * 10,000 publishes/s, about 1 MB promoted per collection, one every 4 s, pauses of 4–17 ms).
     */
    void refreshed(Refresh refresh, DeviceRegistration registrationOrNull) {
        if (epoch.get() == refresh.epoch()) {
            DeviceRegistration cached = refresh.claimed().registration();
            entries.replace(refresh.node(), refresh.claimed(),
                    entry(Objects.equals(cached, registrationOrNull) ? cached : registrationOrNull));
        }
    }

    /** An entry cached now, for between half and all of the time to live; its refresh due in its last quarter. */
    private Entry entry(DeviceRegistration registrationOrNull) {
        long ttl = watchLost ? Math.min(ttlNanos, UNWATCHED_TTL_NANOS) : ttlNanos;
        ttl -= ThreadLocalRandom.current().nextLong(ttl / 2 + 1);
        long now = nanoTime.getAsLong();
        return new Entry(registrationOrNull, now + ttl - ttl / 4, now + ttl);
    }

    /** The current invalidation epoch: read before a store look-up, given to {@link #putIfCurrent}. */
    long epoch() {
        return epoch.get();
    }

    /**
     * Caches what a store look-up found, from the node's second look-up on: the first only leaves the node's hash
     * in {@link #seen}. Nothing is cached when an invalidation from the watch arrived since the look-up began (it
     * may have read the row before the change that invalidation reports).
     */
    void putIfCurrent(String node, DeviceRegistration registrationOrNull, long epochBefore) {
        boolean again = seenBefore(node);
        if (again && epoch.get() == epochBefore) {
            put(node, registrationOrNull);
        }
    }

    /**
     * Whether {@code node} was looked up not long ago; remembers it otherwise. Publishes that repeat (a chat's
     * messages, a dead node Prosody retries) are cached from their second look-up; a publish to a node nobody
     * publishes to again (many devices, each seldom) never enters the cache, so its registration dies young instead
     * of being promoted with the cache into the old generation and collected there.
     *
     * <p>A node's hash goes into one of the four slots of its bucket, drawn at random when none is free. With one
     * slot per node, nodes that shared it and were published to in turn pushed each other out before every second
     * look-up and were never cached: of push-benchmark's 10,000 nodes published to round robin, 763 (7.6 %; of any
     * 10,000 nodes, 734 expected), so that 7.6 % of the publishes waited for the store for as long as the service
     * ran. Four nodes in a bucket all fit; a fifth only makes a node's second look-up find its hash gone now and
     * then.
     */
    private boolean seenBefore(String node) {
        long hash = seenHash(node);
        int first = seenBucket(hash);
        int ways = 1 << SEEN_WAY_BITS;
        int free = -1;
        for (int i = first; i < first + ways; i++) {
            long held = seen.get(i);
            if (held == hash) {
                return true;
            }
            if (held == 0 && free < 0) {
                free = i;
            }
        }
        seen.set(free >= 0 ? free : first + ThreadLocalRandom.current().nextInt(ways), hash);
        return false;
    }

    /** The hash {@link #seen} keeps of {@code node}; never 0, which marks a free slot. */
    static long seenHash(String node) {
        return (node.hashCode() * 0x9E3779B97F4A7C15L) | 1;
    }

    /** The first slot of the bucket {@code hash} is kept in. */
    static int seenBucket(long hash) {
        return (int) (hash >>> (Long.SIZE - SEEN_BITS + SEEN_WAY_BITS)) << SEEN_WAY_BITS;
    }

    void invalidate(String node) {
        entries.remove(node);
    }

    /** The store's watch reports these nodes removed or changed, possibly by another instance. */
    void invalidateRemote(Collection<String> nodes) {
        epoch.incrementAndGet();
        nodes.forEach(entries::remove);
    }

    /**
     * The store's watch reports changes it cannot name (or is back after being down): every entry goes, and entries
     * live for the full time to live again.
     */
    void invalidateAll() {
        epoch.incrementAndGet();
        watchLost = false;
        entries.clear();
    }

    /** The store's watch is down: every entry goes, and new ones live {@link #UNWATCHED_TTL_NANOS} at most. */
    void watchLost() {
        epoch.incrementAndGet();
        watchLost = true;
        entries.clear();
    }

    /** Drops expired entries, and a tenth of the rest when that is not enough. */
    private void evict() {
        long now = nanoTime.getAsLong();
        entries.values().removeIf(e -> now - e.expiresAt >= 0);
        int toDrop = entries.size() - maxEntries + maxEntries / 10;
        Iterator<String> it = entries.keySet().iterator();
        while (toDrop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
