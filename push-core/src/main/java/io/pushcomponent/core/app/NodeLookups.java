package io.pushcomponent.core.app;

import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The store look-ups of nodes the cache has no answer for, in batches: the nodes asked for while a look-up runs
 * wait in a queue and the next task on the store executor takes up to {@value #MAX_BATCH} of them in one
 * {@link DeviceRegistrationStore#findByNodes} call. Publishes to many different devices (every node new to the
 * cache) then cost one query per batch, not per publish, and a thread that ends a batch goes on with the next while
 * nodes wait. At most {@value #MAX_RUNNING} batches run at once, so the look-ups leave the executor's other threads
 * to registrations.
 *
 * <p>Batches start at least {@value #SPACING_MICROS} µs apart: a batch due sooner after the one before waits, on
 * its store thread, until then, and takes the nodes asked for meanwhile; it starts at once when a full batch
 * ({@value #MAX_BATCH} nodes) waits. A look-up's cost is mostly fixed (on PostgreSQL with a million rows, a query of
 * one node cost 57 µs, of eight 143 µs), and each batch wakes a store thread twice (for its turn and for the
 * database's answer) and the connection's writer once. At 10,000 cold publishes a second, batches 500 µs apart took
 * about five nodes each; 2 ms apart, about twenty, and the component's CPU during the push-benchmark cold row fell by
 * a quarter. Look-ups less frequent than one per spacing do not wait; those of a busy service wait at most the
 * spacing, or less when the nodes come fast enough to fill a batch sooner.
 *
 * <p>Thread-safe; never blocks the caller. Each answer completes on a store executor thread.
 */
final class NodeLookups {
    static final int MAX_BATCH = 64;
    static final int MAX_RUNNING = 2;
    /** The least time between the starts of two batches, unless a full batch waits. */
    static final long SPACING_MICROS = 2_000;

    private final DeviceRegistrationStore store;
    private final Executor executor;
    private final long spacingNanos;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** The nodes in {@link #queue}: {@link ConcurrentLinkedQueue#size()} walks the queue. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    /** The threads waiting for their batch's turn, woken when a full batch waits. */
    private final Set<Thread> awaitingTurn = ConcurrentHashMap.newKeySet();
    /** The earliest {@link System#nanoTime()} the next batch may start at. */
    private final AtomicLong nextStart;

    private record Pending(String node, CompletableFuture<Optional<DeviceRegistration>> answer) {
    }

    NodeLookups(DeviceRegistrationStore store, Executor executor) {
        this(store, executor, TimeUnit.MICROSECONDS.toNanos(SPACING_MICROS));
    }

    /** With another spacing than {@link #SPACING_MICROS}, for tests. */
    NodeLookups(DeviceRegistrationStore store, Executor executor, long spacingNanos) {
        this.store = store;
        this.executor = executor;
        this.spacingNanos = spacingNanos;
        this.nextStart = new AtomicLong(System.nanoTime() - spacingNanos);
    }

    /** The registration of {@code node}, from the store; completes exceptionally when the store fails. */
    CompletableFuture<Optional<DeviceRegistration>> find(String node) {
        Pending pending = new Pending(node, new CompletableFuture<>());
        queue.offer(pending);
        if (waiting.incrementAndGet() == MAX_BATCH) {
            awaitingTurn.forEach(LockSupport::unpark);
        }
        startBatch();
        return pending.answer();
    }

    /** Starts a batch on the executor when nodes wait and fewer than {@link #MAX_RUNNING} run. */
    private void startBatch() {
        while (!queue.isEmpty()) {
            int now = running.get();
            if (now >= MAX_RUNNING) {
                return;
            }
            if (running.compareAndSet(now, now + 1)) {
                try {
                    executor.execute(this::runBatch);
                } catch (RejectedExecutionException e) {
                    running.decrementAndGet();
                    failWaiting(e);
                }
                return;
            }
        }
    }

    /**
     * Looks up batches, one after the other, while nodes wait: the thread that ends a batch takes the next one
     * itself rather than handing it to another executor thread, a wake-up less per batch.
     */
    private void runBatch() {
        try {
            do {
                int reserved = awaitTurn();
                List<Pending> batch = new ArrayList<>(MAX_BATCH);
                for (Pending p; batch.size() < MAX_BATCH && (p = queue.poll()) != null; ) {
                    batch.add(p);
                }
                waiting.addAndGet(reserved - batch.size());
                if (!batch.isEmpty()) {
                    lookUp(batch);
                }
            } while (!queue.isEmpty());
        } finally {
            running.decrementAndGet();
            startBatch();
        }
    }

    /**
     * Claims the next start time, at least the spacing after the last one claimed, and waits until it comes or a full
     * batch waits. Of several threads waiting for their turn, only one starts early for a full batch: it reserves
     * the batch's nodes from {@code waiting}, so that the others wait on instead of taking part of the same batch.
     *
     * @return the nodes reserved ({@link #MAX_BATCH} when it starts early for a full batch, else 0)
     */
    private int awaitTurn() {
        long now = System.nanoTime();
        long claimed = nextStart.getAndAccumulate(now, (free, at) -> (free - at > 0 ? free : at) + spacingNanos);
        long start = claimed - now > 0 ? claimed : now;
        if (start == now) {
            return 0;
        }
        Thread self = Thread.currentThread();
        awaitingTurn.add(self);
        try {
            for (long wait = start - now; wait > 0 && !self.isInterrupted(); wait = start - System.nanoTime()) {
                if (reserveFullBatch()) {
                    return MAX_BATCH;
                }
                LockSupport.parkNanos(this, wait);
            }
            return 0;
        } finally {
            awaitingTurn.remove(self);
        }
    }

    private boolean reserveFullBatch() {
        for (int w = waiting.get(); w >= MAX_BATCH; w = waiting.get()) {
            if (waiting.compareAndSet(w, w - MAX_BATCH)) {
                return true;
            }
        }
        return false;
    }

    private void lookUp(List<Pending> batch) {
        Map<String, DeviceRegistration> found;
        try {
            found = store.findByNodes(batch.stream().map(Pending::node).toList());
        } catch (RuntimeException e) {
            batch.forEach(p -> p.answer().completeExceptionally(e));
            return;
        }
        for (Pending p : batch) {
            p.answer().complete(Optional.ofNullable(found.get(p.node())));
        }
    }

    /** The executor no longer takes tasks (the server is closing): every waiting look-up fails. */
    private void failWaiting(RejectedExecutionException e) {
        for (Pending p; (p = queue.poll()) != null; ) {
            waiting.decrementAndGet();
            p.answer().completeExceptionally(e);
        }
    }
}
