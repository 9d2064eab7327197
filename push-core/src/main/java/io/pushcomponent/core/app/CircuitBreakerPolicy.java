package io.pushcomponent.core.app;

import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.RetryPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the app server shields publishers from a provider that is down: its circuit breaker and how long it honours a
 * provider's {@code Retry-After}.
 *
 * <p>After {@code failures} transport failures in a row (the provider could not be reached, failed, answered
 * {@code UNAVAILABLE}, or took longer than the provider timeout) the breaker <em>opens</em>: publishes to that
 * provider are answered {@code wait/resource-constraint} at once, without a send. When the open time has passed, the
 * next publish is sent as a trial (the breaker is <em>half-open</em>; other publishes are still answered at once);
 * the trial's success closes the breaker, its failure opens it again for a longer time. Open times follow
 * {@code openTime}: the first lasts up to {@link RetryPolicy#initialDelay()}, each failed trial doubles it up to
 * {@link RetryPolicy#maxDelay()}, jittered. Per-device rejections (a dead token, a too large payload) never count.
 *
 * <p>A rejection carrying the provider's {@code Retry-After} ({@code QUOTA_EXCEEDED} or {@code UNAVAILABLE})
 * applies to the provider as a whole: until it passes, publishes are answered {@code wait/resource-constraint} at
 * once. A {@code Retry-After} longer than {@code maxPause} is cut to {@code maxPause}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param failures transport failures in a row that open the breaker; at least 1
 * @param openTime how long the breaker stays open before a trial, growing after each failed trial
 * @param maxPause the longest provider-wide pause a {@code Retry-After} causes
 */
public record CircuitBreakerPolicy(int failures, RetryPolicy openTime, Duration maxPause) {

    /** Setting: transport failures in a row that open the breaker; default 5. */
    public static final String FAILURES = "breaker-failures";
    /** Setting: the first open time; default 1 s. Milliseconds or ISO-8601 ({@code PT1S}). */
    public static final String OPEN_TIME = "breaker-open-time";
    /** Setting: the longest open time, reached by doubling after each failed trial; default 30 s. */
    public static final String MAX_OPEN_TIME = "breaker-max-open-time";
    /** Setting: the longest provider-wide pause a provider's {@code Retry-After} causes; default 5 min. */
    public static final String MAX_PAUSE = "breaker-max-pause";
    /** The setting keys, which every provider's block in a configuration file may hold. */
    public static final Set<String> SETTING_KEYS = Set.of(FAILURES, OPEN_TIME, MAX_OPEN_TIME, MAX_PAUSE);

    /** 5 failures; open for up to 1 s, then up to 2, 4, ... 30 s; {@code Retry-After} honoured up to 5 minutes. */
    public static final CircuitBreakerPolicy DEFAULT = new CircuitBreakerPolicy(5,
            RetryPolicy.unlimited(Duration.ofSeconds(1), Duration.ofSeconds(30)), Duration.ofMinutes(5));

    /**
     * @throws IllegalArgumentException when {@code failures < 1}, the open time's initial delay is zero, or
     *                                  {@code maxPause} is negative
     */
    public CircuitBreakerPolicy {
        Objects.requireNonNull(openTime, "openTime");
        Objects.requireNonNull(maxPause, "maxPause");
        if (failures < 1 || openTime.initialDelay().isZero() || maxPause.isNegative()) {
            throw new IllegalArgumentException("a circuit breaker needs failures >= 1, a positive open time and a "
                    + "maxPause >= 0; was " + failures + ", " + openTime.initialDelay() + " and " + maxPause);
        }
    }

    /**
     * The policy a provider's settings ask for: {@link #SETTING_KEYS}, each defaulting to {@link #DEFAULT}'s.
     *
     * @throws IllegalArgumentException naming the key when a value is malformed or out of range
     */
    public static CircuitBreakerPolicy from(ProviderSettings settings) {
        int failures = settings.integer(FAILURES, DEFAULT.failures());
        Duration open = settings.duration(OPEN_TIME, DEFAULT.openTime().initialDelay());
        Duration maxOpen = settings.duration(MAX_OPEN_TIME, DEFAULT.openTime().maxDelay().compareTo(open) < 0 ? open
                : DEFAULT.openTime().maxDelay());
        Duration maxPause = settings.duration(MAX_PAUSE, DEFAULT.maxPause());
        String id = settings.providerId();
        if (failures < 1) {
            throw new IllegalArgumentException("provider '" + id + "': '" + FAILURES + "' must be at least 1, was "
                    + failures);
        }
        if (open.isNegative() || open.isZero()) {
            throw new IllegalArgumentException("provider '" + id + "': '" + OPEN_TIME + "' must be positive, was "
                    + open);
        }
        if (maxOpen.compareTo(open) < 0) {
            throw new IllegalArgumentException("provider '" + id + "': '" + MAX_OPEN_TIME + "' must not be shorter "
                    + "than '" + OPEN_TIME + "', was " + maxOpen);
        }
        if (maxPause.isNegative()) {
            throw new IllegalArgumentException("provider '" + id + "': '" + MAX_PAUSE + "' must not be negative, was "
                    + maxPause);
        }
        return new CircuitBreakerPolicy(failures, RetryPolicy.unlimited(open, maxOpen), maxPause);
    }

    /** {@code settings} without {@link #SETTING_KEYS}: what the provider's factory gets. */
    public static ProviderSettings withoutBreakerSettings(ProviderSettings settings) {
        Map<String, Object> values = new LinkedHashMap<>(settings.values());
        values.keySet().removeAll(SETTING_KEYS);
        return new ProviderSettings(settings.providerId(), values, settings.baseDir());
    }
}
