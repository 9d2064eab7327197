package io.pushcomponent.component.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Bounds the work of one connection: it counts the stanzas read and not yet answered (their replies not yet
 * written, or handled when there is none), and, among them, those waiting for the handler to complete (a store or
 * a provider). The others, in flight but not waiting for the handler, wait for the connection itself: for a parser
 * thread, or for the writer to write their replies ("waiting for CPU" below, since that is what they wait for
 * unless the server stopped reading).
 *
 * <ul>
 *   <li>At {@code max} stanzas in flight the connection stops reading ({@link #awaitRoom}) until some are answered:
 *       the server's writes then wait in TCP, so memory stays bounded whatever the server offers, even when it
 *       stops reading our replies.</li>
 *   <li>It also stops reading while {@code cpuMax} stanzas wait for CPU, until half of them are answered: when the
 *       CPU is what runs out, stanzas read ahead of it are only a queue that every later stanza waits behind, and
 *       after an overload that queue is what delays the first normal answers. Kept short, it still holds more
 *       than the parsers and the writer take in one go, so they never run dry while the server has more to
 *       send.</li>
 *   <li>A request that arrives while {@code shedAt} stanzas are waiting for the handler is answered at once with
 *       {@code wait/resource-constraint} instead ({@link #tryStartHandling()} fails): a slow provider or store then
 *       costs its own publishes an immediate {@code wait} error, not everyone's stanzas a stalled stream.</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> thread-safe; {@link #awaitRoom} is called by the connection's reader thread only.
 */
final class InFlightLimit {
    /** What {@link #of} keeps for stanzas waiting for CPU. */
    static final int RESERVE = 256;

    private final int max;
    private final int shedAt;
    private final int cpuMax;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger handling = new AtomicInteger();
    private final Object monitor = new Object();
    private volatile boolean waiting;

    /**
     * A limit.
     *
     * @param max    the most stanzas read and not yet answered
     * @param shedAt how many may wait for the handler before further requests are answered at once with an error;
     *               at most {@code max}
     * @param cpuMax how many may wait for CPU (in flight, not waiting for the handler) before reading stops; at most
     *               {@code max}
     */
    InFlightLimit(int max, int shedAt, int cpuMax) {
        if (max < 1 || shedAt < 1 || shedAt > max || cpuMax < 1 || cpuMax > max) {
            throw new IllegalArgumentException("need 1 <= shedAt <= max and 1 <= cpuMax <= max, were " + shedAt
                    + ", " + cpuMax + " and " + max);
        }
        this.max = max;
        this.shedAt = shedAt;
        this.cpuMax = cpuMax;
    }

    /**
     * The limit for {@code max} in flight: a reserve of {@value #RESERVE} (a quarter of {@code max} when that is
     * less) is for stanzas waiting for CPU, the rest for those waiting for the handler; requests beyond the rest
     * are shed, and reading stops while the reserve is full.
     */
    static InFlightLimit of(int max) {
        int reserve = Math.max(1, Math.min(RESERVE, max / 4));
        return new InFlightLimit(max, Math.max(1, max - reserve), reserve);
    }

    /** The most stanzas in flight. */
    int max() {
        return max;
    }

    /** The most stanzas waiting for the handler before requests are shed. */
    int shedAt() {
        return shedAt;
    }

    /** Stanzas read and not yet answered. */
    int inFlight() {
        return inFlight.get();
    }

    /** Stanzas waiting for the handler. */
    int handling() {
        return handling.get();
    }

    /** Whether the reader waits in {@link #awaitRoom}. */
    boolean readerWaits() {
        return waiting;
    }

    /** The most stanzas waiting for CPU before reading stops. */
    int cpuMax() {
        return cpuMax;
    }

    /** Room to read one more: below {@code max} in flight and below {@code cpuMax} waiting for CPU. */
    private boolean room() {
        return inFlight.get() < max && inFlight.get() - handling.get() < cpuMax;
    }

    /** Room to read on after a pause: below {@code max} in flight and at most half {@code cpuMax} waiting for CPU. */
    private boolean roomAfterPause() {
        return inFlight.get() < max && inFlight.get() - handling.get() <= cpuMax / 2;
    }

    /**
     * Returns at once while there is room (fewer than {@code max} stanzas in flight and fewer than {@code cpuMax}
     * waiting for CPU); otherwise waits until fewer than {@code max} are in flight and at most half {@code cpuMax}
     * wait for CPU, or {@code stop} says to give up (checked at least every {@code pollNanos}).
     *
     * @return {@code true} when there is room
     */
    boolean awaitRoom(BooleanSupplier stop, long pollNanos) throws InterruptedException {
        if (room()) {
            return true;
        }
        synchronized (monitor) {
            waiting = true;
            try {
                while (!roomAfterPause()) {
                    if (stop.getAsBoolean()) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(monitor, pollNanos);
                }
                return true;
            } finally {
                waiting = false;
            }
        }
    }

    /** Counts a stanza that was read. */
    void acquire() {
        inFlight.incrementAndGet();
    }

    /** Counts a stanza as answered. */
    void release() {
        int now = inFlight.decrementAndGet();
        if (now < 0) {
            inFlight.incrementAndGet();
            throw new IllegalStateException("more stanzas answered than read");
        }
        if (now == 0 || waiting && roomAfterPause()) {
            wake();
        }
    }

    private void wake() {
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /**
     * Counts a stanza as waiting for the handler, unless {@code shedAt} already are.
     *
     * @return {@code false} when the stanza should be answered at once with {@code wait/resource-constraint}
     */
    boolean tryStartHandling() {
        if (handling.incrementAndGet() > shedAt) {
            handling.decrementAndGet();
            return false;
        }
        wakeIfRoom();
        return true;
    }

    /** Counts a stanza as waiting for the handler even beyond {@code shedAt} (one that cannot be answered). */
    void startHandling() {
        handling.incrementAndGet();
        wakeIfRoom();
    }

    /** A stanza went from waiting for CPU to waiting for the handler: that may be the room a paused reader awaits. */
    private void wakeIfRoom() {
        if (waiting && roomAfterPause()) {
            wake();
        }
    }

    /** The handler completed a stanza counted by {@link #tryStartHandling()}. */
    void handled() {
        handling.decrementAndGet();
    }

    /**
     * Waits until no stanza is in flight.
     *
     * @return {@code true} when none is left within {@code timeoutNanos}
     */
    boolean awaitNone(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (monitor) {
            long left;
            while (inFlight.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
        }
        return inFlight.get() == 0;
    }
}
