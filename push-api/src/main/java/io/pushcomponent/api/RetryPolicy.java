package io.pushcomponent.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try again after a failure: capped exponential back-off with jitter, honouring a delay the server gave
 * (HTTP {@code Retry-After}). The one retry rule of the project: the FCM and APNs providers retry pushes with it and
 * the app server's circuit breaker spaces its trial sends with it.
 *
 * <p>Retry {@code n} (0 for the first) waits a random time between half and all of
 * {@code min(maxDelay, initialDelay × 2^n)} ("equal jitter"), so that the retries of many pushes that failed together
 * do not arrive together. A server-given delay is used as it is, unless it is longer than {@code maxDelay}: then the
 * caller does not retry and passes the server's advice on instead.
 *
 * <p>Immutable and thread-safe.
 *
 * @param initialDelay the longest wait before the first retry; zero retries at once
 * @param maxDelay     the cap on any wait, and the longest server-given delay that is waited out
 * @param maxRetries   how many retries at most; {@link Integer#MAX_VALUE} for no limit
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3">RFC 9110 §10.2.3 Retry-After</a>
 */
public record RetryPolicy(Duration initialDelay, Duration maxDelay, int maxRetries) {

    /** At most 62 doublings: {@code 1 << 62} nanoseconds is already beyond any cap. */
    private static final int MAX_DOUBLINGS = 62;

    /**
     * @throws IllegalArgumentException unless {@code 0 <= initialDelay <= maxDelay} and {@code maxRetries >= 0}
     */
    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || maxRetries < 0) {
            throw new IllegalArgumentException("a retry policy needs 0 <= initialDelay <= maxDelay and maxRetries >= 0,"
                    + " was " + initialDelay + ", " + maxDelay + " and " + maxRetries);
        }
    }

    /** A policy that retries without limit (a reconnect loop, a circuit breaker's trials). */
    public static RetryPolicy unlimited(Duration initialDelay, Duration maxDelay) {
        return new RetryPolicy(initialDelay, maxDelay, Integer.MAX_VALUE);
    }

    /**
     * The wait before retry {@code retry} (0 for the first retry), jittered, ignoring {@link #maxRetries()}.
     *
     * @throws IllegalArgumentException when {@code retry} is negative
     */
    public Duration delay(int retry) {
        if (retry < 0) {
            throw new IllegalArgumentException("retry must not be negative, was " + retry);
        }
        long cap = toNanos(maxDelay);
        long first = toNanos(initialDelay);
        int doublings = Math.min(retry, MAX_DOUBLINGS);
        boolean overflows = doublings >= Long.numberOfLeadingZeros(first) - 1;
        long ceiling = first == 0 ? 0 : overflows ? cap : Math.min(cap, first << doublings);
        long half = ceiling / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    /**
     * Whether and when to retry after {@code retriesDone} retries have already been made.
     *
     * @param retriesDone the retries made so far (0 after the first attempt failed)
     * @param serverDelay the delay the server asked for; {@code null} when it did not say
     * @return the wait before the next retry; empty when no retry is left, or when the server asked for more than
     * {@link #maxDelay()} (the caller then passes {@code serverDelay} on)
     */
    public Optional<Duration> nextDelay(int retriesDone, Duration serverDelay) {
        if (retriesDone >= maxRetries) {
            return Optional.empty();
        }
        if (serverDelay != null) {
            return serverDelay.compareTo(maxDelay) > 0 ? Optional.empty()
                    : Optional.of(serverDelay.isNegative() ? Duration.ZERO : serverDelay);
        }
        return Optional.of(delay(retriesDone));
    }

    private static long toNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
