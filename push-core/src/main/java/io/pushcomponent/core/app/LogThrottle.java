package io.pushcomponent.core.app;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Lets a repeated warning through once per interval and key, reporting how many were held back, so that a
 * provider outage or a misbehaving server produces a few log lines an operator can act on, not one per stanza.
 */
final class LogThrottle {
    private final long intervalNanos;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();
    }

    LogThrottle(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** Runs {@code log} with the number of calls held back since the last one, or counts this one as held back. */
    void log(String key, LongConsumer log) {
        Window w = windows.computeIfAbsent(key, k -> new Window());
        long now = System.nanoTime();
        long next = w.nextAt.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && w.nextAt.compareAndSet(next, now + intervalNanos)) {
            log.accept(w.suppressed.getAndSet(0));
        } else {
            w.suppressed.incrementAndGet();
        }
    }
}
