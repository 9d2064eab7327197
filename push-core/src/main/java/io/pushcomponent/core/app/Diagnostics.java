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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each registration's delivery diagnostics, gathered in memory on the publish path and added to the store in
 * batches by {@link #flush()}: a publish costs a map update, never a store write. What a killed process loses is what
 * it gathered since the last flush; registrations themselves are never touched.
 *
 * <p>Bounded: publishes to many different registrations (every one cold) gather one entry each, so a flush is
 * started at once, on the flush executor, when {@value #FLUSH_AT} registrations wait (at most once per minimum gap);
 * and while
 * {@value #MAX_PENDING} wait (the store does not keep up), the outcomes of further registrations are not kept but
 * counted, and the next flush logs how many.
 *
 * <p>Thread-safe: {@link #success} and {@link #failure} from any thread without blocking; {@link #flush} and
 * {@link #read} block on the store and run on a thread that may block.
 */
final class Diagnostics {
    private static final Logger LOG = LoggerFactory.getLogger(Diagnostics.class);
    /** The most registrations a flush writes in one store call. */
    static final int FLUSH_CHUNK = 500;
    /** Registrations waiting that start a flush at once (at most once per minimum gap). */
    static final int FLUSH_AT = 50_000;
    /** Registrations waiting beyond which the outcomes of further ones are not kept. */
    static final int MAX_PENDING = 100_000;

    private final DeviceRegistrationStore store;
    private final Clock clock;
    /** Changes not yet in the store, by node. */
    private final ConcurrentHashMap<String, DeliveryDiagnostics> pending = new ConcurrentHashMap<>();
    /**
     * Held for writing while a flush moves changes from {@link #pending} into the store, for reading while a read
     * combines the two, so that a read never sees a change in neither or in both. Publishes do not take it.
     */
    private final ReadWriteLock flushing = new ReentrantReadWriteLock();

    private final Executor flusher;
    /** A flush asked of {@link #flusher} because many registrations wait has not started yet. */
    private final AtomicBoolean flushAsked = new AtomicBoolean();
    /** Outcomes not kept because {@value #MAX_PENDING} registrations waited; logged and reset by a flush. */
    private final LongAdder dropped = new LongAdder();

    private final long minGapNanos;
    /** When the last flush started because many registrations waited ({@link System#nanoTime()}). */
    private volatile long lastEarlyFlush;

    /**
     * @param flusher runs the flushes started because {@value #FLUSH_AT} registrations wait; may block on the store
     * @param minGap  the least time between two such flushes, so that many registrations published again and again
     *                (a hot set larger than {@value #FLUSH_AT}) are not written over and over
     */
    Diagnostics(DeviceRegistrationStore store, Clock clock, Executor flusher, Duration minGap) {
        this.store = store;
        this.clock = clock;
        this.flusher = flusher;
        this.minGapNanos = minGap.toNanos();
        this.lastEarlyFlush = System.nanoTime() - minGapNanos;
    }

    /** The provider accepted a push to {@code node}. */
    void success(String node) {
        gather(node, DeliveryDiagnostics.success(now()));
    }

    /** A push to {@code node} failed for {@code reason} and its publisher got {@code answer}. */
    void failure(String node, String reason, StanzaError answer) {
        gather(node, DeliveryDiagnostics.failure(now(), reason, condition(answer)));
    }

    private void gather(String node, DeliveryDiagnostics outcome) {
        int waiting = pending.size();
        if (waiting >= MAX_PENDING && !pending.containsKey(node)) {
            dropped.increment();
            return;
        }
        pending.merge(node, outcome, DeliveryDiagnostics::plus);
        if (waiting + 1 >= FLUSH_AT && System.nanoTime() - lastEarlyFlush >= minGapNanos
                && flushAsked.compareAndSet(false, true)) {
            try {
                flusher.execute(() -> {
                    lastEarlyFlush = System.nanoTime();
                    flushAsked.set(false);
                    flush();
                });
            } catch (RejectedExecutionException closing) {
                flushAsked.set(false);
            }
        }
    }

    /** Now, at the precision the stores keep (microseconds), so that times read the same before and after a flush. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Records the outcome of a delivery from the answer to its publish (the first stanza of {@code replies}). */
    void record(String node, String reason, Stanza answer) {
        answer.error().ifPresentOrElse(error -> failure(node, reason, error), () -> success(node));
    }

    /** The XMPP condition as operators read it: {@code type/condition}, e.g. {@code wait/resource-constraint}. */
    static String condition(StanzaError error) {
        return error.type().xmlName() + "/" + error.condition().xmlName();
    }

    /**
     * Adds what was gathered to the store, in node order, at most {@value #FLUSH_CHUNK} registrations per store call
     * (each its own transaction). One call for everything gathered (10,000 registrations and more on a busy
     * service) kept the whole change live until its commit: the garbage collector promoted it into the old
     * generation and a full collection (tens of milliseconds, every publish waiting) followed nearly every flush;
     * chunks cost the embedded store less than half the CPU time and allocation per registration. Each chunk is moved
     * under the lock, so a read sees every change exactly once. When the store fails, that chunk and the rest are
     * kept for the next flush and the failure is logged.
     *
     * @return how many registrations' diagnostics were written
     */
    int flush() {
        long notKept = dropped.sumThenReset();
        if (notKept > 0) {
            LOG.warn("did not keep the delivery diagnostics of {} publishes: {} registrations' diagnostics were "
                    + "waiting for the store, which did not keep up", notKept, MAX_PENDING);
        }
        if (pending.isEmpty()) {
            return 0;
        }
        List<String> nodes = new ArrayList<>(pending.keySet());
        Collections.sort(nodes);
        int written = 0;
        for (int from = 0; from < nodes.size(); from += FLUSH_CHUNK) {
            List<String> chunk = nodes.subList(from, Math.min(nodes.size(), from + FLUSH_CHUNK));
            int n = flush(chunk);
            if (n < 0) {
                return written;
            }
            written += n;
        }
        return written;
    }

    /** Moves the changes of {@code nodes} into the store; -1 when the store failed (the changes are kept). */
    private int flush(List<String> nodes) {
        flushing.writeLock().lock();
        try {
            Map<String, DeliveryDiagnostics> batch = new HashMap<>();
            for (String node : nodes) {
                DeliveryDiagnostics change = pending.remove(node);
                if (change != null) {
                    batch.put(node, change);
                }
            }
            if (batch.isEmpty()) {
                return 0;
            }
            try {
                store.addDiagnostics(batch);
                return batch.size();
            } catch (RuntimeException e) {
                batch.forEach((node, change) -> pending.merge(node, change, (newer, older) -> older.plus(newer)));
                LOG.warn("could not write the delivery diagnostics of {} registrations; keeping them for the next "
                        + "try: {}", batch.size(), e.getMessage());
                return -1;
            }
        } finally {
            flushing.writeLock().unlock();
        }
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
                DeliveryDiagnostics gathered = pending.get(node);
                return gathered == null ? kept : kept.plus(gathered);
            });
            return stored;
        } finally {
            flushing.readLock().unlock();
        }
    }
}
