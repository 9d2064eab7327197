package io.pushcomponent.api.metrics;

/** What became of a publish, for {@link PushMetricsListener#publishAnswered}. */
public enum PublishOutcome {
    /** The provider accepted the push (or a wake-up of the device was already under way): answered with a result. */
    DELIVERED,
    /**
     * The provider refused the push, or its breaker or a {@code Retry-After} pause answered for it; the device is
     * kept: a {@code wait} or {@code modify} error.
     */
    REJECTED,
    /** The provider said the device is gone: its registration was removed, answered {@code cancel/item-not-found}. */
    DEVICE_GONE,
    /** The provider failed or did not answer in time: a {@code wait} error. */
    FAILED,
    /**
     * Refused before any provider was asked: an unknown node, a publisher not allowed, a wrong secret, a malformed
     * publish, the store failing, an unconfigured provider, or too much in flight.
     */
    REFUSED
}
