package io.pushcomponent.benchmark.remote;

import io.pushcomponent.benchmark.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Offers publishes to a component in another process over its XEP-0114 connections and times the answers, in
 * {@link Phase phases} run one after the other on the same connections.
 *
 * <p>Every publish is the captured Prosody publish, serialised once: each send copies those bytes and overwrites
 * the fixed-width id ({@code p} and ten digits) and the 32-character node in place. Answers are counted by
 * {@link ComponentListener}, which reads the id from the {@code <iq} start tag without parsing XML.
 *
 * <p><b>Open loop</b> ({@code offeredPerSecond > 0}): publish {@code k} of a phase is due at
 * {@code phase start + k / rate} and its latency runs from that intended time to its answer, so a stall of the
 * component, or TCP back-pressure holding up the generator, shows in full (coordinated omission is accounted for).
 * <b>Closed loop</b> ({@code offeredPerSecond == 0}): as fast as answers come, at most {@code maxInFlight}
 * unanswered; latencies are then service times under saturation and the figure that matters is the throughput.
 *
 * <p>Thread-safety: {@link #run} on one thread (the sender); the {@link ComponentListener.ReplySink} methods on any
 * number of reader threads. One instance runs its phases once.
 */
final class RemoteLoad implements ComponentListener.ReplySink {
    /** Writes the 32 ASCII bytes of the node that publish {@code k} goes to at {@code offset}. */
    @FunctionalInterface
    interface Nodes {
        void write(long k, byte[] target, int offset);
    }

    /**
     * One stretch of load.
     *
     * @param name              for the report
     * @param offeredPerSecond  publishes per second, or 0 for as fast as answered
     * @param maxInFlight       the most unanswered publishes at a time
     * @param warmup            sent, not measured
     * @param measure           the measurement window
     * @param drainAfter        whether to wait (at most {@link #DRAIN}) for every answer before the next phase
     * @param catchUp           open loop: whether publishes due before the window's end but not yet sent when it
     *                          ends (the generator was held up) are still sent, late, for at most
     *                          {@link #CATCH_UP}; without it the load stops at the window's end
     * @param maxPublishes      the phase ends after this many publishes even if its time is not up; 0 for no limit
     */
    record Phase(String name, double offeredPerSecond, int maxInFlight, Duration warmup, Duration measure,
                 boolean drainAfter, boolean catchUp, long maxPublishes) {
        /** A phase that runs for its time. */
        Phase(String name, double offeredPerSecond, int maxInFlight, Duration warmup, Duration measure,
              boolean drainAfter, boolean catchUp) {
            this(name, offeredPerSecond, maxInFlight, warmup, measure, drainAfter, catchUp, 0);
        }
    }

    /**
     * What a phase measured.
     *
     * @param phase              what ran
     * @param sent               publishes sent in the phase, warm-up included
     * @param measuredSent       publishes due in the measurement window
     * @param answeredPerSecond  answers of any kind arriving in the measurement window, per second
     * @param resultsPerSecond   result (success) answers arriving in the measurement window, per second
     * @param latencies          nanoseconds from each measured publish's intended (open loop) or actual (closed
     *                           loop) send time to its answer
     * @param errors             error answers to the phase's publishes
     * @param waitErrors         of which {@code type='wait'}
     * @param cancelErrors       of which {@code type='cancel'}
     * @param measuredErrors     of which answers to measured publishes (not to the warm-up's)
     * @param firstError         the first error answer, or {@code null}
     * @param unanswered         publishes of the phase unanswered when the phase (and its drain) ended
     * @param sendStalledNanos   how long the sender was held up by TCP back-pressure (blocked in a write)
     * @param senderLateness     open loop: nanoseconds from each measured publish's intended time to the start of
     *                           the write that carried it, the generator's own part of {@code latencies} (empty in
     *                           a closed loop)
     * @param unsent             open loop: publishes due in the phase that were never sent (the sender was held
     *                           up by back-pressure or by the in-flight limit until the phase ended)
     */
    record PhaseResult(Phase phase, long sent, long measuredSent, double answeredPerSecond, double resultsPerSecond,
                       Histogram latencies, long errors, long waitErrors, long cancelErrors, long measuredErrors,
                       String firstError,
                       long unanswered, long sendStalledNanos, long unsent, Histogram senderLateness) {
        /** A latency percentile in milliseconds, NaN when nothing was measured. */
        double percentileMillis(double percentile) {
            return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1e6;
        }
    }

    /** How long a phase waits for its last answers when it drains. */
    static final Duration DRAIN = Duration.ofSeconds(15);
    /** The longest an open-loop phase keeps sending publishes that fell due before its end. */
    static final Duration CATCH_UP = Duration.ofSeconds(10);
    /** Slots for send times, indexed by publish number; more unanswered publishes than this count as lost. */
    static final int RING = 1 << 20;
    private static final int MAX_BATCH = 64;
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final int ID_DIGITS = 10;

    private final List<ComponentListener.Connection> connections;
    private final Nodes nodes;
    private final byte[] template;
    private final int idOffset;
    private final int nodeOffset;
    private final AtomicLongArray sentAt = new AtomicLongArray(RING);
    private final AtomicLongArray sentNumber = new AtomicLongArray(RING);
    private final AtomicLong answers = new AtomicLong();
    private final AtomicLong others = new AtomicLong();
    private final AtomicReference<String> firstOther = new AtomicReference<>();
    private final List<PhaseState> phases = new ArrayList<>();
    private long next;
    /** Open loop: waits longer than this park the sender, shorter ones spin. */
    private long parkAbove = 20_000;
    /** How long before a publish is due a parked sender asks to wake, for the kernel's wake-up latency. */
    private long wakeEarly = 10_000;
    private boolean timerSlackTightened;

    /** Per-phase counters, written by the readers. */
    private static final class PhaseState {
        final Phase phase;
        final long firstK;
        volatile long measuredFirstK = Long.MAX_VALUE;
        volatile long endK = Long.MAX_VALUE;
        volatile long windowStart = Long.MAX_VALUE;
        volatile long windowEnd = Long.MAX_VALUE;
        final Recorder latencies = new Recorder(HIGHEST_TRACKABLE_NANOS, 3);
        /** Written by the sender alone, read once the phases ended. */
        final Histogram senderLateness = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        final AtomicLong answered = new AtomicLong();
        final AtomicLong answeredInWindow = new AtomicLong();
        final AtomicLong resultsInWindow = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong waitErrors = new AtomicLong();
        final AtomicLong cancelErrors = new AtomicLong();
        final AtomicLong measuredErrors = new AtomicLong();
        final AtomicReference<String> firstError = new AtomicReference<>();

        long stalledNanos;
        long unsent;

        PhaseState(Phase phase, long firstK) {
            this.phase = phase;
            this.firstK = firstK;
        }

        PhaseResult result() {
            double seconds = phase.measure().toNanos() / 1e9;
            return new PhaseResult(phase, endK - firstK, endK - measuredFirstK, answeredInWindow.get() / seconds,
                    resultsInWindow.get() / seconds, latencies.getIntervalHistogram(), errors.get(),
                    waitErrors.get(), cancelErrors.get(), measuredErrors.get(), firstError.get(),
                    endK - firstK - answered.get(),
                    stalledNanos, unsent, senderLateness);
        }
    }

    /**
     * @param connections the component's connections, publishes go round-robin over them
     * @param nodes       which node each publish goes to
     */
    RemoteLoad(List<ComponentListener.Connection> connections, Nodes nodes) {
        this.connections = List.copyOf(connections);
        this.nodes = nodes;
        String publish = Fixtures.prosodyPublish("p" + "0".repeat(ID_DIGITS), "N".repeat(32));
        this.template = publish.getBytes(StandardCharsets.UTF_8);
        this.idOffset = publish.indexOf("id='p") + 5;
        this.nodeOffset = publish.indexOf("N".repeat(32));
    }

    /** Runs the phases in order, each on the publishes left by the one before. */
    List<PhaseResult> run(List<Phase> plan) {
        timerSlackTightened = TimerSlack.tighten();
        if (timerSlackTightened) {
            parkAbove = 8_000;
            wakeEarly = 3_000;
        }
        List<PhaseState> states = new ArrayList<>();
        for (Phase p : plan) {
            states.add(runPhase(p));
        }
        // Read the figures after the last drain: answers to a phase that did not drain arrive during the next.
        List<PhaseResult> results = new ArrayList<>();
        for (PhaseState state : states) {
            results.add(state.result());
        }
        return results;
    }

    /**
     * Whether the sender's timer slack was tightened ({@link TimerSlack}): its parks then end within a few
     * microseconds of the publish's due time instead of up to the kernel's default 50 µs after it.
     */
    boolean timerSlackTightened() {
        return timerSlackTightened;
    }

    /** Non-publish stanzas and connection events seen so far (a closed stream, a stream error, ...). */
    long others() {
        return others.get();
    }

    /** The first of {@link #others()}, or {@code null}. */
    String firstOther() {
        return firstOther.get();
    }

    private PhaseState runPhase(Phase p) {
        PhaseState state = new PhaseState(p, next);
        synchronized (phases) {
            phases.add(state);
        }
        int n = connections.size();
        byte[][] batches = new byte[n][MAX_BATCH * template.length];
        int[] lengths = new int[n];
        long[] dues = new long[MAX_BATCH];
        int measuredDues = 0;
        long interval = p.offeredPerSecond() > 0 ? Math.max(1, Math.round(1e9 / p.offeredPerSecond())) : 0;
        long start = System.nanoTime();
        long measureStart = start + p.warmup().toNanos();
        long end = measureStart + p.measure().toNanos();
        long stop = p.catchUp() && interval > 0 ? end + CATCH_UP.toNanos() : end;
        state.windowStart = measureStart;
        state.windowEnd = end;
        long stalled = 0;
        long k = 0;
        long limit = p.maxPublishes() > 0 ? p.maxPublishes() : Long.MAX_VALUE;
        boolean measuring = false;
        while (k < limit) {
            long now = System.nanoTime();
            if (now >= stop || (interval > 0 ? start + k * interval >= end : now >= end)) {
                break;
            }
            if (interval > 0) {
                long due = start + k * interval;
                if (due > now) {
                    long wait = due - now;
                    if (wait > parkAbove) {
                        LockSupport.parkNanos(wait - wakeEarly);
                    } else {
                        Thread.onSpinWait();
                    }
                    continue;
                }
            }
            int batched = 0;
            while (batched < MAX_BATCH && k < limit) {
                long due = interval > 0 ? start + k * interval : now;
                if (due > now || due >= end || now >= stop || next - answers.get() >= p.maxInFlight()) {
                    break;
                }
                if (!measuring && due >= measureStart) {
                    measuring = true;
                    state.measuredFirstK = next;
                }
                int slot = (int) (next & (RING - 1));
                sentNumber.set(slot, next);
                sentAt.set(slot, interval > 0 ? due : now);
                if (interval > 0 && measuring) {
                    dues[measuredDues++] = due;
                }
                int c = (int) (next % n);
                byte[] b = batches[c];
                int at = lengths[c];
                System.arraycopy(template, 0, b, at, template.length);
                long id = next;
                for (int d = ID_DIGITS - 1; d >= 0; d--) {
                    b[at + idOffset + d] = (byte) ('0' + id % 10);
                    id /= 10;
                }
                nodes.write(next, b, at + nodeOffset);
                lengths[c] = at + template.length;
                next++;
                k++;
                batched++;
            }
            if (batched == 0) {
                // the in-flight window is full: wait for answers
                LockSupport.parkNanos(20_000);
                continue;
            }
            long writing = System.nanoTime();
            for (int i = 0; i < measuredDues; i++) {
                state.senderLateness.recordValue(Math.min(Math.max(0, writing - dues[i]), HIGHEST_TRACKABLE_NANOS));
            }
            measuredDues = 0;
            for (int c = 0; c < n; c++) {
                if (lengths[c] > 0) {
                    long before = System.nanoTime();
                    try {
                        connections.get(c).write(batches[c], 0, lengths[c]);
                    } catch (IOException e) {
                        throw new UncheckedIOException("sending publishes on connection " + c + " failed", e);
                    }
                    long took = System.nanoTime() - before;
                    if (took > 1_000_000) {
                        stalled += took;
                    }
                    lengths[c] = 0;
                }
            }
        }
        state.endK = next;
        if (!measuring) {
            state.measuredFirstK = next;
        }
        state.stalledNanos = stalled;
        state.unsent = interval > 0 ? Math.max(0, (end - start + interval - 1) / interval - k) : 0;
        if (p.drainAfter()) {
            long drainUntil = System.nanoTime() + DRAIN.toNanos();
            while (answers.get() < next && System.nanoTime() < drainUntil) {
                LockSupport.parkNanos(1_000_000);
            }
        }
        return state;
    }

    @Override
    public void onReply(long k, String errorStanza) {
        long now = System.nanoTime();
        int slot = (int) (k & (RING - 1));
        if (sentNumber.get(slot) != k) {
            onOther("an answer to an unknown or forgotten publish p" + k);
            return;
        }
        long sent = sentAt.get(slot);
        answers.incrementAndGet();
        PhaseState state = phaseOf(k);
        if (state == null) {
            return;
        }
        state.answered.incrementAndGet();
        if (now >= state.windowStart && now < state.windowEnd) {
            state.answeredInWindow.incrementAndGet();
            if (errorStanza == null) {
                state.resultsInWindow.incrementAndGet();
            }
        }
        if (errorStanza != null) {
            state.errors.incrementAndGet();
            state.firstError.compareAndSet(null, errorStanza);
            int error = errorStanza.indexOf("<error");
            String errorTag = error < 0 ? "" : errorStanza.substring(error, Math.max(error,
                    errorStanza.indexOf('>', error)));
            if (errorTag.contains("type='wait'") || errorTag.contains("type=\"wait\"")) {
                state.waitErrors.incrementAndGet();
            } else if (errorTag.contains("type='cancel'") || errorTag.contains("type=\"cancel\"")) {
                state.cancelErrors.incrementAndGet();
            }
        }
        if (k >= state.measuredFirstK && k < state.endK) {
            if (errorStanza != null) {
                state.measuredErrors.incrementAndGet();
            }
            state.latencies.recordValue(Math.min(Math.max(0, now - sent), HIGHEST_TRACKABLE_NANOS));
        }
    }

    @Override
    public void onOther(String what) {
        others.incrementAndGet();
        firstOther.compareAndSet(null, what);
    }

    private PhaseState phaseOf(long k) {
        synchronized (phases) {
            for (int i = phases.size() - 1; i >= 0; i--) {
                if (phases.get(i).firstK <= k) {
                    return phases.get(i);
                }
            }
        }
        return null;
    }

    /** Nodes {@code k mod nodes.length} of a pre-computed list: publishes go round-robin over them. */
    static Nodes roundRobin(List<String> nodeList) {
        byte[][] bytes = new byte[nodeList.size()][];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = nodeList.get(i).getBytes(StandardCharsets.US_ASCII);
            if (bytes[i].length != 32) {
                throw new IllegalArgumentException("nodes must be 32 ASCII characters");
            }
        }
        return (k, target, offset) -> System.arraycopy(bytes[(int) (k % bytes.length)], 0, target, offset, 32);
    }
}
