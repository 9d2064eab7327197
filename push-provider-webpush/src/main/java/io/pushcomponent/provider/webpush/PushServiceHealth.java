package io.pushcomponent.provider.webpush;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The push services (by origin) that are failing, so that one failing service costs only its own subscribers: every
 * browser's subscription names its push service, and anybody can register a subscription at a service of their own.
 * After {@value #FAILURES} failures in a row (no answer, {@code 5xx} or {@code 429} after the retries) a service is
 * paused, first for one second, doubling with each further failure up to {@link #MAX_PAUSE}; a {@code Retry-After}
 * pauses it at once, for that long up to {@link #MAX_PAUSE}. While paused, its sends are answered at once without a
 * request; once the pause ends, the next send is the trial. Any other answer from the service (delivered, ended
 * subscription, refused payload) clears its record.
 *
 * <p>At most {@value #MAX_TRACKED} failing services are tracked; beyond that a new one is not paused (its sends still
 * fail within the request timeout), so the record stays bounded whatever is registered. Thread-safe.
 */
final class PushServiceHealth {
    static final int FAILURES = 5;
    static final int MAX_TRACKED = 10_000;
    static final Duration MAX_PAUSE = Duration.ofMinutes(5);
    private static final long FIRST_PAUSE_NANOS = Duration.ofSeconds(1).toNanos();

    private record State(int failures, long pausedUntilNanos) {
    }

    private final ConcurrentHashMap<String, State> failing = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    PushServiceHealth(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** How long sends to {@code origin} are still paused; zero when one may go. */
    Duration pausedFor(String origin) {
        State s = failing.get(origin);
        if (s == null) {
            return Duration.ZERO;
        }
        long left = s.pausedUntilNanos() - nanoClock.getAsLong();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** Failures in a row of {@code origin} so far. */
    int failures(String origin) {
        State s = failing.get(origin);
        return s == null ? 0 : s.failures();
    }

    /** The service answered something that is not a failure. */
    void answered(String origin) {
        failing.remove(origin);
    }

    /** The service failed; {@code retryAfter} is its advice, {@code null} when it gave none. */
    void failed(String origin, Duration retryAfter) {
        if (failing.size() >= MAX_TRACKED && !failing.containsKey(origin)) {
            return;
        }
        long now = nanoClock.getAsLong();
        failing.compute(origin, (o, s) -> {
            int n = s == null ? 1 : s.failures() + 1;
            long pause = retryAfter == null ? 0 : Math.min(retryAfter.toNanos(), MAX_PAUSE.toNanos());
            if (n >= FAILURES) {
                long backoff = FIRST_PAUSE_NANOS << Math.min(n - FAILURES, 16);
                pause = Math.max(pause, Math.min(backoff, MAX_PAUSE.toNanos()));
            }
            return new State(n, now + pause);
        });
    }
}
