package io.pushcomponent.api.metrics;

/** What a provider made of one push, for {@link PushMetricsListener#providerSent}. */
public enum SendOutcome {
    /** Accepted by the provider. */
    DELIVERED,
    /** Refused by the provider, with a {@link io.pushcomponent.api.RejectionReason}. */
    REJECTED,
    /** The provider could not be reached, failed, or did not answer within the delivery timeout. */
    FAILED
}
