package io.pushcomponent.component.internal;

import io.pushcomponent.api.RetryPolicy;
import java.time.Duration;

/**
 * The reconnect loop's back-off: the project's one {@link RetryPolicy} (capped exponential, equal jitter) without a
 * limit on attempts, so that many components restarted together do not reconnect in step. Attempt {@code n} waits a
 * random time between half and all of {@code min(max, min × 2^n)}.
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
        return RetryPolicy.unlimited(min, max).delay(attempt);
    }
}
