package io.pushcomponent.api;

import java.time.Duration;
import java.util.Objects;

/**
 * What a provider made of a push. A rejection is an ordinary result; only a failure to reach the provider at all
 * completes the provider's stage exceptionally.
 */
public sealed interface DeliveryResult {

    /** {@code true} for {@link Delivered}. */
    boolean isDelivered();

    /**
     * The provider accepted the push.
     *
     * @param providerMessageId the provider's id for it (FCM message name, APNs id); {@code null} when none
     */
    record Delivered(String providerMessageId) implements DeliveryResult {
        @Override
        public boolean isDelivered() {
            return true;
        }
    }

    /**
     * The provider refused the push.
     *
     * @param reason     the normalised reason
     * @param detail     the provider's own words (error code), for logs; never contains a token or secret
     * @param retryAfter how long the provider asked us to wait; {@code null} when it did not say
     */
    record Rejected(RejectionReason reason, String detail, Duration retryAfter) implements DeliveryResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            detail = detail == null ? "" : detail;
        }

        /** A rejection without retry advice. */
        public static Rejected of(RejectionReason reason, String detail) {
            return new Rejected(reason, detail, null);
        }

        @Override
        public boolean isDelivered() {
            return false;
        }
    }
}
