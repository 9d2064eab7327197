package io.pushcomponent.component.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential back-off with jitter: attempt {@code n} waits a random time between half and all of
 * {@code min(max, min × 2^n)}, so that many components restarted together do not reconnect in step.
 *
 * <p>Immutable and thread-safe.
 *
 * @param min the first delay
 * @param max the cap
 */
record Backoff(Duration min, Duration max) {
    Backoff {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < min <= max, was " + min + " and " + max);
        }
    }

    /** The delay before attempt {@code attempt} (0 for the first retry). */
    Duration delay(int attempt) {
        long cap = max.toMillis();
        long base = min.toMillis() << Math.min(attempt, 30);
        long ceiling = base <= 0 || base > cap ? cap : base;
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }
}
