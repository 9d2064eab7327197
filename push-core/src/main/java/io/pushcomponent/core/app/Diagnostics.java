package io.pushcomponent.core.app;

import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each registration's delivery diagnostics, gathered in memory on the publish path and added to the store in
 * batches by {@link #flush()}: a publish costs an update in place, never a store write. What a killed process loses is
 * what it had not written yet (below); registrations themselves are never touched.
 *
 * <p>Nothing is allocated for an outcome of a registration already gathered: each node has a mutable
 * {@link Entry} (counts, times in microseconds, the last failure's reason and XMPP error), updated in place under its
 * own monitor, and a flush subtracts what it wrote rather than replacing the entry. An entry is kept across flushes
 * while its node keeps being published, so the entries of nodes published again and again are promoted into the old
 * generation once and stay there, holding no reference to anything young; an entry is retired by the first flush
 * that finds nothing gathered in it since the flush before (a node not published since). An immutable value replaced
 * on every publish was instead always young, copied by every young collection until the next flush, and each
 * replacement wrote a young reference into the old map.
 *
 * <p>Successes of a node published again and again are written seldom. A periodic flush writes an entry's change
 * when it holds a failure, when it is the entry's only outcome (a node published once: the usual, cold case, written
 * so that its entry can be retired), when the node was not published since the periodic flush before (it went quiet),
 * or when the entry's next write is due: a random ½ to 1 of the success interval after its last write (or, for an
 * entry never written, after the flush that first found it published more than once). Otherwise the change (more
 * successes only) waits in the entry; the random share spreads the writes of a hot set first seen together over the
 * interval instead of letting it come due together. Rewriting every hot registration at every flush (10,000 rows
 * each minute for 10,000 hot nodes, each a {@code MERGE} that allocates 11–18 KB on the embedded store) was what
 * the publishes' latency tail was made of. Reads ({@link #read}) add what waits here to what the store holds, so
 * they stay exact; {@link #flush()} (on closing) writes everything. What a killed process loses: the failures, the
 * first outcomes and the last outcomes of quiet nodes gathered since the last periodic flush, and up to a success
 * interval and one and a half flush intervals of successes of the nodes still published (their counts and last
 * success time).
 *
 * <p>First outcomes are written soon: publishes to many different registrations (every one cold) gather one new
 * entry each, so a flush is started at once, on the flush executor, when {@value #FIRST_OUTCOMES_FLUSH_AT} entries
 * were created since the last flush started (at most once per tenth of the minimum gap); it writes them (each a
 * node's only outcome) and leaves hot entries' successes waiting as the periodic flush does. Kept until the periodic
 * flush, the entries of 10,000 cold publishes a second (about 10 MB when 50,000 waited) lived across young
 * collections and each collection copied them; written within a fifth of a second, they die young.
 *
 * <p>Retired is not forgotten: a flush every fifth of a second retires the entry of a node published once a second
 * between two of its publishes, and each publish would then be written again as a first outcome, at the publish rate.
 * So a retired entry leaves its node's 64-bit hash in a fixed table of {@value #RETIRED_SLOTS} slots (one array of
 * longs, the slot chosen by the node's string hash, a newer node overwriting an older one); a new entry whose node
 * is found there was written recently, and its successes wait for their due write as a kept entry's do. A node
 * forgotten (its slot taken) is written once more; two nodes with the same hash only make a first outcome wait like
 * a hot node's.
 *
 * <p>Bounded: a flush is also started at once when {@value #FLUSH_AT} registrations wait (at most once per minimum
 * gap); and while {@value #MAX_PENDING} wait (the store does not keep up), the outcomes of registrations without an
 * entry are not kept but counted, and the next flush logs how many. An entry whose successes a flush left waiting counts
 * as waiting again only when a failure comes. Entries written by the last flush or left waiting for their due write
 * come on top of those waiting: never more than {@value #MAX_ENTRIES} entries in all.
 *
 * <p>Thread-safe: {@link #success} and {@link #failure} from any thread without blocking (an entry's monitor is held
 * for a few field updates, and a monitor to notify a pausing flush when a threshold is reached); {@link #flush} and
 * {@link #read} block on the store and run on a thread that may block.
 */
final class Diagnostics {
    private static final Logger LOG = LoggerFactory.getLogger(Diagnostics.class);
    /** The most registrations a flush writes in one store call. */
    static final int FLUSH_CHUNK = 500;
    /** Registrations waiting that start a flush at once (at most once per minimum gap). */
    static final int FLUSH_AT = 50_000;
    /** Entries created since the last flush started that start a flush at once (at most once per tenth of the gap). */
    static final int FIRST_OUTCOMES_FLUSH_AT = 2_000;
    /** Registrations waiting beyond which the outcomes of further ones are not kept. */
    static final int MAX_PENDING = 100_000;
    /** The most entries kept: those waiting and those written by the last flush, kept for their next outcome. */
    static final int MAX_ENTRIES = 2 * MAX_PENDING;
    /**
     * Slots of the table of retired nodes' hashes (2 MB): with 10,000 cold entries retired a second, a node published
     * once a second finds its slot taken at about one publish in 26, once every 10 s at one in 4.
     */
    static final int RETIRED_SLOTS = 1 << 18;

    /** No time yet. */
    private static final long NEVER = Long.MIN_VALUE;

    private final DeviceRegistrationStore store;
    private final Clock clock;
    /** By node: what was gathered and not yet written, and entries kept for their node's next outcome. */
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    /** Entries with outcomes not yet in the store. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** Entries created (first outcomes) since the last flush started. */
    private final AtomicInteger created = new AtomicInteger();
    /** Hashes ({@link #hash}) of nodes whose entries were retired, each in its node's {@link #slot}; 0: empty. */
    private final AtomicLongArray retired = new AtomicLongArray(RETIRED_SLOTS);
    /**
     * Held for writing while a flush moves changes from {@link #entries} into the store, for reading while a read
     * combines the two, so that a read never sees a change in neither or in both. Publishes do not take it.
     */
    private final ReadWriteLock flushing = new ReentrantReadWriteLock();
    /** One flush at a time (the periodic one, one started early, the last one on closing). */
    private final ReentrantLock flushes = new ReentrantLock();
    /**
     * Notified by {@link #stopPacing()} and when many registrations wait or many entries were created: a flush spread
     * out stops pausing and writes its remaining chunks at once.
     */
    private final Object pacing = new Object();
    /** {@link #stopPacing()} was called. Guarded by {@link #pacing}. */
    private boolean pacingStopped;

    private final Executor flusher;
    /** A flush asked of {@link #flusher} because many registrations wait has not started yet. */
    private final AtomicBoolean flushAsked = new AtomicBoolean();
    /** Outcomes not kept because {@value #MAX_PENDING} registrations waited; logged and reset by a flush. */
    private final LongAdder dropped = new LongAdder();

    private final long minGapNanos;
    /** The least time between two flushes started because {@value #FIRST_OUTCOMES_FLUSH_AT} entries were created. */
    private final long firstOutcomesGapNanos;
    /** The most time between two writes of an entry whose changes are successes only; 0: no wait. */
    private final long successIntervalMicros;
    /** When the last flush started because many registrations waited ({@link System#nanoTime()}). */
    private volatile long lastEarlyFlush;

    /** Which entries a flush writes. */
    private enum Mode {
        /** Every entry with outcomes not yet written (on closing, for tests). */
        ALL,
        /** The periodic flush: entries whose successes may wait, as the class describes, are left waiting. */
        PERIODIC,
        /** Started because many registrations wait: like {@link #PERIODIC}, but no node counts as gone quiet. */
        EARLY
    }

    /**
     * One node's outcomes: the counts gathered since they were last written, and the newest success and failure
     * ever gathered here (writing them again is harmless: the store keeps the later time). Guarded by its monitor.
     */
    private static final class Entry {
        long successes;
        long failures;
        long lastSuccessMicros = NEVER;
        long lastFailureMicros = NEVER;
        String lastFailureReason;
        StanzaError.Type lastFailureType;
        StanzaError.Condition lastFailureCondition;
        /** Removed from {@link #entries}: an outcome must go to a new entry. */
        boolean retired;
        /** Published since the last periodic flush. */
        boolean published;
        /** A flush left its successes waiting: not counted in {@link #waiting} until a failure comes. */
        boolean deferred;
        /** When a change of successes only is next written (clock micros); {@link #NEVER} before it is planned. */
        long dueMicros = NEVER;

        boolean waiting() {
            return successes != 0 || failures != 0;
        }

        /** Counted in {@link #waiting}: outcomes not yet written, and the next flush will look at them. */
        boolean counted() {
            return waiting() && !deferred;
        }

        /** The change to add to the store: the counts gathered since the last write and the newest times. */
        DeliveryDiagnostics change() {
            return new DeliveryDiagnostics(successes, failures, instant(lastSuccessMicros), instant(lastFailureMicros),
                    lastFailureReason, lastFailureType == null ? null : condition(lastFailureType,
                    lastFailureCondition));
        }
    }

    /**
     * @param flusher runs the flushes started because {@value #FLUSH_AT} registrations wait or
     *                {@value #FIRST_OUTCOMES_FLUSH_AT} entries were created; may block on the store
     * @param minGap  the least time between two flushes started because many registrations wait, so that many
     *                registrations published again and again (a hot set larger than {@value #FLUSH_AT}) are not
     *                written over and over; a tenth of it between two started because many entries were created
     * @param successInterval the most time between two writes of a node still published whose changes are
     *                successes only (each write's wait drawn between half of it and all of it);
     *                {@link Duration#ZERO} writes every change at the next flush
     */
    Diagnostics(DeviceRegistrationStore store, Clock clock, Executor flusher, Duration minGap,
                Duration successInterval) {
        this.store = store;
        this.clock = clock;
        this.flusher = flusher;
        this.minGapNanos = minGap.toNanos();
        this.firstOutcomesGapNanos = minGapNanos / 10;
        this.successIntervalMicros = successInterval.toNanos() / 1_000;
        this.lastEarlyFlush = System.nanoTime() - minGapNanos;
    }

    /** The provider accepted a push to {@code node}. */
    void success(String node) {
        gather(node, false, null, null);
    }

    /** A push to {@code node} failed for {@code reason} and its publisher got {@code answer}. */
    void failure(String node, String reason, StanzaError answer) {
        gather(node, true, reason, answer);
    }

    private void gather(String node, boolean failed, String reason, StanzaError answer) {
        long at = nowMicros();
        while (true) {
            Entry entry = entries.get(node);
            if (entry == null) {
                if (waiting.get() >= MAX_PENDING || entries.size() >= MAX_ENTRIES) {
                    dropped.increment();
                    return;
                }
                Entry fresh = new Entry();
                if (successIntervalMicros != 0 && wasRetired(node)) {
                    fresh.dueMicros = at + nextWait();
                }
                entry = entries.putIfAbsent(node, fresh);
                if (entry == null) {
                    entry = fresh;
                    int nowCreated = created.incrementAndGet();
                    if (nowCreated >= FIRST_OUTCOMES_FLUSH_AT) {
                        flushEarly(firstOutcomesGapNanos, nowCreated == FIRST_OUTCOMES_FLUSH_AT);
                    }
                }
            }
            int nowWaiting;
            synchronized (entry) {
                if (entry.retired) {
                    continue;
                }
                boolean counted = entry.counted();
                entry.published = true;
                if (failed) {
                    entry.deferred = false;
                }
                nowWaiting = counted || !failed && entry.deferred ? 0 : waiting.incrementAndGet();
                if (failed) {
                    entry.failures++;
                    if (entry.lastFailureMicros == NEVER || at > entry.lastFailureMicros) {
                        entry.lastFailureMicros = at;
                        entry.lastFailureReason = reason;
                        entry.lastFailureType = answer.type();
                        entry.lastFailureCondition = answer.condition();
                    }
                } else {
                    entry.successes++;
                    entry.lastSuccessMicros = Math.max(entry.lastSuccessMicros, at);
                }
            }
            if (nowWaiting >= FLUSH_AT) {
                flushEarly(minGapNanos, nowWaiting == FLUSH_AT);
            }
            return;
        }
    }

    /**
     * Asks the flush executor for a flush, unless one was asked and has not started or {@code gapNanos} has not passed;
     * when {@code crossed} (the count just reached its threshold), first ends the pauses of a flush spread out, so that
     * the one asked for does not wait for them.
     */
    private void flushEarly(long gapNanos, boolean crossed) {
        if (crossed) {
            synchronized (pacing) {
                pacing.notifyAll();
            }
        }
        if (System.nanoTime() - lastEarlyFlush >= gapNanos && flushAsked.compareAndSet(false, true)) {
            try {
                flusher.execute(() -> {
                    lastEarlyFlush = System.nanoTime();
                    flushAsked.set(false);
                    flush(Duration.ZERO, Mode.EARLY);
                });
            } catch (RejectedExecutionException closing) {
                flushAsked.set(false);
            }
        }
    }

    /**
     * Now in microseconds since the epoch, the precision the stores keep, so that times read the same before and
     * after a flush. Reads the instant's fields only, so that the compiler can leave the instant unallocated.
     */
    private long nowMicros() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static Instant instant(long micros) {
        return micros == NEVER ? null : Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /** Records the outcome of a delivery from the answer to its publish (the first stanza of {@code replies}). */
    void record(String node, String reason, Stanza answer) {
        StanzaError error = answer.error().orElse(null);
        if (error == null) {
            success(node);
        } else {
            failure(node, reason, error);
        }
    }

    /** The XMPP condition as operators read it: {@code type/condition}, e.g. {@code wait/resource-constraint}. */
    static String condition(StanzaError error) {
        return condition(error.type(), error.condition());
    }

    private static String condition(StanzaError.Type type, StanzaError.Condition condition) {
        return type.xmlName() + "/" + condition.xmlName();
    }

    /**
     * Adds everything gathered to the store (successes that could wait too: on closing), in node order, at most
     * {@value #FLUSH_CHUNK} registrations per store call
     * (each its own transaction), and retires the entries of nodes not published since the flush before. One call
     * for everything gathered (10,000 registrations and more on a busy service) kept the whole change live until its
     * commit: the garbage collector promoted it into the old generation and a full collection (tens of milliseconds,
     * every publish waiting) followed nearly every flush; chunks cost the embedded store less than half the CPU time
     * and allocation per registration. Each chunk is written under the lock and what it wrote subtracted from its
     * entries, so a read sees every change exactly once and an outcome gathered meanwhile waits for the next flush.
     * When the store fails, that chunk and the rest are kept for the next flush and the failure is logged.
     *
     * @return how many registrations' diagnostics were written
     */
    int flush() {
        return flush(Duration.ZERO, Mode.ALL);
    }

    /**
     * The periodic flush: like {@link #flush()}, but the changes of entries whose successes may wait (see the class)
     * are left waiting, and its chunks spread evenly over {@code spread}: chunk <i>i</i> of <i>n</i> starts no earlier
     * than <i>i</i>/<i>n</i> of {@code spread} after the first. The periodic flush of many hot registrations wrote
     * them all within a fraction of a second: the store's work took a core from the publishes and the garbage it
     * left made the young collections that followed long, so every publish of those moments waited. Spread out, a
     * chunk's work and garbage come between publishes. More than {@value #FLUSH_AT} registrations waiting, when the
     * flush starts or while it pauses, is the store falling behind (many cold registrations), and
     * {@value #FIRST_OUTCOMES_FLUSH_AT} entries created while it pauses are cold registrations to write soon: the
     * chunks are then written back to back. The pauses end at once when {@link #stopPacing()} is called.
     *
     * @param spread how long the chunks may take in all; {@link Duration#ZERO} writes them back to back
     * @return how many registrations' diagnostics were written
     */
    int flush(Duration spread) {
        return flush(spread, Mode.PERIODIC);
    }

    private int flush(Duration spread, Mode mode) {
        flushes.lock();
        try {
            long notKept = dropped.sumThenReset();
            if (notKept > 0) {
                LOG.warn("did not keep the delivery diagnostics of {} publishes: {} registrations' diagnostics were "
                        + "waiting for the store, which did not keep up", notKept, MAX_PENDING);
            }
            List<String> nodes = new ArrayList<>();
            long now = nowMicros();
            created.set(0);
            entries.forEach((node, entry) -> {
                synchronized (entry) {
                    if (!entry.waiting()) {
                        entry.retired = true;
                        entries.remove(node, entry);
                        retired.setOpaque(slot(node), hash(node));
                    } else if (mode == Mode.ALL || !mayWait(entry, mode, now)) {
                        nodes.add(node);
                    } else if (!entry.deferred) {
                        entry.deferred = true;
                        waiting.decrementAndGet();
                    }
                    if (mode == Mode.PERIODIC) {
                        entry.published = false;
                    }
                }
            });
            Collections.sort(nodes);
            int chunks = (nodes.size() + FLUSH_CHUNK - 1) / FLUSH_CHUNK;
            long start = System.nanoTime();
            long spreadNanos = nodes.size() > FLUSH_AT ? 0 : spread.toNanos();
            int written = 0;
            for (int chunk = 0; chunk < chunks; chunk++) {
                if (chunk > 0) {
                    pace(start + spreadNanos / chunks * chunk);
                }
                int from = chunk * FLUSH_CHUNK;
                int n = flush(nodes.subList(from, Math.min(nodes.size(), from + FLUSH_CHUNK)));
                if (n < 0) {
                    return written;
                }
                written += n;
            }
            return written;
        } finally {
            flushes.unlock();
        }
    }

    /**
     * Whether the change of {@code entry}, which has outcomes not yet written, may wait beyond this flush (the rule
     * in the class's description); plans its first due write when it first may. Under the entry's monitor.
     */
    private boolean mayWait(Entry entry, Mode mode, long now) {
        if (successIntervalMicros == 0 || entry.failures != 0 || mode == Mode.PERIODIC && !entry.published) {
            return false;
        }
        if (entry.dueMicros == NEVER) {
            if (entry.successes == 1) {
                return false;
            }
            entry.dueMicros = now + nextWait();
        }
        return now < entry.dueMicros;
    }

    /** Whether {@code node}'s entry was retired and its slot not taken since. */
    private boolean wasRetired(String node) {
        return retired.getOpaque(slot(node)) == hash(node);
    }

    /**
     * The slot of {@code node}: the top bits of its string hash (which the string caches) multiplied by the golden
     * ratio's 32-bit constant, so that nodes differing only in their last characters spread over the table.
     */
    private static int slot(String node) {
        return (node.hashCode() * 0x9e3779b9) >>> (Integer.SIZE - Integer.numberOfTrailingZeros(RETIRED_SLOTS));
    }

    /** A 64-bit FNV-1a hash of the node's characters, never 0 (an empty slot): which node holds a slot. */
    private static long hash(String node) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < node.length(); i++) {
            hash = (hash ^ node.charAt(i)) * 0x100000001b3L;
        }
        return hash == 0 ? 1 : hash;
    }

    /** A random ½ to 1 of the success interval, in micros. */
    private long nextWait() {
        return ThreadLocalRandom.current().nextLong(successIntervalMicros / 2, successIntervalMicros + 1);
    }

    /**
     * Waits until {@code nanoTime} has passed, unless {@link #stopPacing()} was called, {@value #FLUSH_AT}
     * registrations wait or {@value #FIRST_OUTCOMES_FLUSH_AT} entries were created meanwhile (their flush, asked for
     * now, runs after this one).
     */
    private void pace(long nanoTime) {
        synchronized (pacing) {
            long left = nanoTime - System.nanoTime();
            while (left > 0 && !pacingStopped && waiting.get() < FLUSH_AT
                    && created.get() < FIRST_OUTCOMES_FLUSH_AT) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(pacing, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                left = nanoTime - System.nanoTime();
            }
        }
    }

    /** Ends the pauses of a flush spread out ({@link #flush(Duration)}), now and for every later flush. */
    void stopPacing() {
        synchronized (pacing) {
            pacingStopped = true;
            pacing.notifyAll();
        }
    }

    /** Writes the changes of {@code nodes} into the store; -1 when the store failed (the changes are kept). */
    private int flush(List<String> nodes) {
        flushing.writeLock().lock();
        try {
            Map<String, DeliveryDiagnostics> batch = new HashMap<>();
            Entry[] taken = new Entry[nodes.size()];
            long[] successes = new long[nodes.size()];
            long[] failures = new long[nodes.size()];
            int n = 0;
            for (String node : nodes) {
                Entry entry = entries.get(node);
                if (entry == null) {
                    continue;
                }
                synchronized (entry) {
                    if (!entry.waiting()) {
                        continue;
                    }
                    batch.put(node, entry.change());
                    taken[n] = entry;
                    successes[n] = entry.successes;
                    failures[n] = entry.failures;
                    n++;
                }
            }
            if (n == 0) {
                return 0;
            }
            long nextDue = successIntervalMicros == 0 ? NEVER : nowMicros();
            try {
                store.addDiagnostics(batch);
            } catch (RuntimeException e) {
                LOG.warn("could not write the delivery diagnostics of {} registrations; keeping them for the next "
                        + "try: {}", batch.size(), e.getMessage());
                return -1;
            }
            for (int i = 0; i < n; i++) {
                Entry entry = taken[i];
                synchronized (entry) {
                    boolean counted = entry.counted();
                    entry.successes -= successes[i];
                    entry.failures -= failures[i];
                    entry.deferred = false;
                    if (nextDue != NEVER) {
                        entry.dueMicros = nextDue + nextWait();
                    }
                    if (counted != entry.counted()) {
                        if (counted) {
                            waiting.decrementAndGet();
                        } else {
                            waiting.incrementAndGet();
                        }
                    }
                }
            }
            return n;
        } finally {
            flushing.writeLock().unlock();
        }
    }

    /** How many entries are kept, waiting or not; for tests. */
    int entries() {
        return entries.size();
    }

    /** How many entries count as waiting (outcomes not yet written and not left waiting by a flush); for tests. */
    int waiting() {
        return waiting.get();
    }

    /**
     * The diagnostics of registrations as they are now: what the store holds plus what was gathered since the last
     * flush. Blocks on the store.
     *
     * @return by node, for the nodes the store has a registration of
     */
    Map<String, DeliveryDiagnostics> read(Collection<String> nodes) {
        flushing.readLock().lock();
        try {
            Map<String, DeliveryDiagnostics> stored = new HashMap<>(store.diagnostics(nodes));
            stored.replaceAll((node, kept) -> {
                Entry entry = entries.get(node);
                if (entry == null) {
                    return kept;
                }
                synchronized (entry) {
                    return kept.plus(entry.change());
                }
            });
            return stored;
        } finally {
            flushing.readLock().unlock();
        }
    }
}
