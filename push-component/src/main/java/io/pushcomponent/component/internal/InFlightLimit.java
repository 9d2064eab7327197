package io.pushcomponent.component.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Bounds the work of one connection: it counts the stanzas read and not yet answered (their replies not yet
 * written, or handled when there is none), and, among them, those waiting for the handler to complete (a store or
 * a provider).
 *
 * <ul>
 *   <li>At {@code max} stanzas in flight the connection stops reading ({@link #awaitRoom}) until some are answered:
 *       the server's writes then wait in TCP, so memory stays bounded whatever the server offers, even when it
 *       stops reading our replies.</li>
 *   <li>A request that arrives while {@code shedAt} stanzas are waiting for the handler is answered at once with
 *       {@code wait/resource-constraint} instead ({@link #tryStartHandling()} fails): a slow provider or store then
 *       costs its own publishes an immediate {@code wait} error, not everyone's stanzas a stalled stream.</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> thread-safe; {@link #awaitRoom} is called by the connection's reader thread only.
 */
final class InFlightLimit {
    private final int max;
    private final int shedAt;
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
     */
    InFlightLimit(int max, int shedAt) {
        if (max < 1 || shedAt < 1 || shedAt > max) {
            throw new IllegalArgumentException("need 1 <= shedAt <= max, were " + shedAt + " and " + max);
        }
        this.max = max;
        this.shedAt = shedAt;
    }

    /** The limit for {@code max} in flight: requests are shed when all but a reserve (for parsing and writing) wait. */
    static InFlightLimit of(int max) {
        return new InFlightLimit(max, Math.max(1, max - Math.min(256, max / 4)));
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

    /**
     * Waits until fewer than {@code max} stanzas are in flight, or {@code stop} says to give up (checked at least
     * every {@code pollNanos}).
     *
     * @return {@code true} when there is room
     */
    boolean awaitRoom(BooleanSupplier stop, long pollNanos) throws InterruptedException {
        if (inFlight.get() < max) {
            return true;
        }
        synchronized (monitor) {
            waiting = true;
            try {
                while (inFlight.get() >= max) {
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
        if (now == 0 || waiting) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
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
        return true;
    }

    /** Counts a stanza as waiting for the handler even beyond {@code shedAt} (one that cannot be answered). */
    void startHandling() {
        handling.incrementAndGet();
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
