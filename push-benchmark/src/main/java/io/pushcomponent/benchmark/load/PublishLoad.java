package io.pushcomponent.benchmark.load;

import io.pushcomponent.benchmark.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Offers publishes to the component and times their answers: the engine of {@link LoadGenerator}, independent of
 * how stanzas travel.
 *
 * <p><b>Open loop</b> ({@code offeredPerSecond > 0}): publish {@code k} is due at {@code start + k / rate}, and its
 * latency is measured from that intended time, not from when it was actually written. When the component (or
 * this generator) falls behind, the publishes sent late carry the wait they suffered, so coordinated omission does
 * not hide a stall. <b>Closed loop</b> ({@code offeredPerSecond == 0}): as fast as the component answers, with at
 * most {@code maxInFlight} unanswered; latency is then measured from the actual send (service time under
 * saturation) and the figure that matters is the throughput.
 *
 * <p>Publishes due during the warm-up are sent but not counted; those due during the measurement window are timed,
 * and answers arriving in that window count towards the throughput. Publishes are the captured Prosody publish
 * with id {@code p<k>} and the node of fixture registration {@code k mod registrations}, spread round-robin over
 * the connections.
 *
 * <p><b>Thread-safety:</b> {@link #run} runs on one thread (the sender); {@link #onStanza} may be called
 * concurrently by any number of reader threads. One instance runs once.
 */
final class PublishLoad {
    /** Writes one or more stanzas to the component over connection {@code connection}. */
    @FunctionalInterface
    interface Wire {
        void send(int connection, String stanzas) throws IOException;
    }

    /** Slots for send times, indexed by publish number; a publish older than this many sends counts as lost. */
    private static final int RING = 1 << 20;
    /** The most publishes written to the connections in one go when several are due. */
    private static final int MAX_BATCH = 64;
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final double offeredPerSecond;
    private final int maxInFlight;
    private final long warmupNanos;
    private final long measureNanos;
    private final int connections;
    private final String[] nodes;

    private final AtomicLongArray sentAt = new AtomicLongArray(RING);
    private final AtomicLongArray sentNumber = new AtomicLongArray(RING);
    private final Semaphore window;
    private final Recorder latencies = new Recorder(HIGHEST_TRACKABLE_NANOS, 3);
    private final AtomicLong answeredInWindow = new AtomicLong();
    private final AtomicLong answeredMeasured = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong answers = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile long startNanos;
    private volatile boolean started;

    PublishLoad(double offeredPerSecond, int maxInFlight, long warmupNanos, long measureNanos, int connections,
                int registrations) {
        if (offeredPerSecond < 0 || maxInFlight < 1 || measureNanos <= 0 || connections < 1 || registrations < 1) {
            throw new IllegalArgumentException("rate >= 0, maxInFlight, measure, connections and registrations > 0");
        }
        this.offeredPerSecond = offeredPerSecond;
        this.maxInFlight = maxInFlight;
        this.warmupNanos = warmupNanos;
        this.measureNanos = measureNanos;
        this.connections = connections;
        this.window = new Semaphore(maxInFlight);
        int distinct = Math.min(registrations, 1 << 16);
        this.nodes = new String[distinct];
        long stride = registrations <= distinct ? 1 : registrations / distinct;
        for (int i = 0; i < distinct; i++) {
            nodes[i] = Fixtures.node((int) (i * stride));
        }
    }

    /** What one run measured. */
    record Outcome(long sent, long measuredSent, long measuredAnswered, long answeredInWindow, long errors,
                   String firstError, long unanswered, long unexpected, double measureSeconds, Histogram latencies) {
        /** Answers per second during the measurement window. */
        double answeredPerSecond() {
            return answeredInWindow / measureSeconds;
        }
    }

    /**
     * Offers the load, then waits up to {@code drainNanos} for the last answers.
     *
     * @throws UncheckedIOException when a connection fails
     */
    Outcome run(Wire wire, long drainNanos) {
        long intervalNanos = offeredPerSecond > 0 ? Math.max(1, Math.round(1e9 / offeredPerSecond)) : 0;
        long measuredSent = 0;
        long k = 0;
        StringBuilder[] batches = new StringBuilder[connections];
        for (int c = 0; c < connections; c++) {
            batches[c] = new StringBuilder(MAX_BATCH * 1200);
        }
        startNanos = System.nanoTime();
        started = true;
        long end = startNanos + warmupNanos + measureNanos;
        boolean running = true;
        while (running) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            if (intervalNanos > 0) {
                long due = startNanos + k * intervalNanos;
                if (due > now) {
                    long wait = due - now;
                    if (wait > 20_000) {
                        LockSupport.parkNanos(wait - 10_000);
                    } else {
                        Thread.onSpinWait();
                    }
                    continue;
                }
            }
            // Everything due now goes out, several stanzas per write when the generator is behind.
            int batched = 0;
            while (batched < MAX_BATCH) {
                long due = intervalNanos > 0 ? startNanos + k * intervalNanos : now;
                if (due > now || due >= end) {
                    break;
                }
                if (batched == 0 ? !acquire(end) : !window.tryAcquire()) {
                    running = batched > 0;
                    break;
                }
                int slot = (int) (k & (RING - 1));
                sentNumber.set(slot, k);
                sentAt.set(slot, due);
                Fixtures.appendProsodyPublish(batches[(int) (k % connections)], "p" + k,
                        nodes[(int) (k % nodes.length)]);
                if (due - startNanos >= warmupNanos) {
                    measuredSent++;
                }
                k++;
                batched++;
            }
            for (int c = 0; c < connections; c++) {
                if (batches[c].length() > 0) {
                    try {
                        wire.send(c, batches[c].toString());
                    } catch (IOException e) {
                        throw new UncheckedIOException("sending publishes on connection " + c + " failed", e);
                    }
                    batches[c].setLength(0);
                }
            }
        }
        long drainUntil = System.nanoTime() + drainNanos;
        while (window.availablePermits() < maxInFlight && System.nanoTime() < drainUntil) {
            LockSupport.parkNanos(1_000_000);
        }
        long unanswered = maxInFlight - window.availablePermits();
        return new Outcome(k, measuredSent, answeredMeasured.get(), answeredInWindow.get(), errors.get(),
                firstError.get(), unanswered, unexpected.get(), measureNanos / 1e9, latencies.getIntervalHistogram());
    }

    private boolean acquire(long end) {
        try {
            while (!window.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() >= end) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Takes one stanza the component sent: the answer to a publish is timed; anything else is counted. */
    void onStanza(String stanza) {
        long now = System.nanoTime();
        long k = publishNumber(stanza);
        if (k < 0 || !started) {
            unexpected.incrementAndGet();
            return;
        }
        int slot = (int) (k & (RING - 1));
        if (sentNumber.get(slot) != k) {
            unexpected.incrementAndGet();
            return;
        }
        window.release();
        answers.incrementAndGet();
        int tagEnd = stanza.indexOf('>');
        String startTag = tagEnd < 0 ? stanza : stanza.substring(0, tagEnd);
        if (startTag.contains("type='error'") || startTag.contains("type=\"error\"")) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, stanza);
        }
        long due = sentAt.get(slot);
        long sinceStart = now - startNanos;
        if (sinceStart >= warmupNanos && sinceStart < warmupNanos + measureNanos) {
            answeredInWindow.incrementAndGet();
        }
        if (due - startNanos >= warmupNanos) {
            answeredMeasured.incrementAndGet();
            latencies.recordValue(Math.min(now - due, HIGHEST_TRACKABLE_NANOS));
        }
    }

    /** The {@code k} of an answer's {@code id='p<k>'} (either quote), or -1 when it is not an answer to a publish. */
    static long publishNumber(String stanza) {
        int tagEnd = stanza.indexOf('>');
        int at = stanza.indexOf(" id=");
        if (at < 0 || (tagEnd >= 0 && at > tagEnd) || at + 6 > stanza.length()) {
            return -1;
        }
        char quote = stanza.charAt(at + 4);
        if ((quote != '\'' && quote != '"') || stanza.charAt(at + 5) != 'p') {
            return -1;
        }
        long k = 0;
        int i = at + 6;
        int digits = 0;
        for (; i < stanza.length() && stanza.charAt(i) != quote; i++) {
            char c = stanza.charAt(i);
            if (c < '0' || c > '9' || ++digits > 18) {
                return -1;
            }
            k = k * 10 + (c - '0');
        }
        return digits == 0 || i == stanza.length() ? -1 : k;
    }
}
