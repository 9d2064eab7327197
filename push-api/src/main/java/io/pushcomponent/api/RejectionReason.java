package io.pushcomponent.api;

/**
 * Why a provider did not deliver a push, normalised across providers.
 *
 * <p>{@link #isPermanent()} tells whether sending the same push again can succeed; {@link #invalidatesDevice()}
 * tells whether the device registration is dead and must be removed (the app server then answers the publish
 * with {@code cancel/item-not-found} and sends the XEP-0357 remote-disabling message). A rejection concerns only the
 * registration the push was sent for, never other registrations of the same token.
 */
public enum RejectionReason {
    /**
     * The token is unknown, expired or unregistered (FCM {@code UNREGISTERED}, APNs {@code Unregistered}), or
     * belongs to another sender (FCM {@code SENDER_ID_MISMATCH}: FCM has no topics, the token is simply not ours).
     */
    INVALID_TOKEN(true, true),
    /** The token belongs to another app or topic (APNs {@code DeviceTokenNotForTopic}). */
    TOPIC_MISMATCH(true, true),
    /**
     * The push went to the device's second token ({@link Device#secondToken()}, e.g. a PushKit VoIP token) and the
     * provider refused that token as unknown, expired, malformed or not for the topic. The device's ordinary token is
     * not concerned, so the registration is kept; the app server drops only its second token, and pushes that would
     * have used it go to the ordinary token. Providers report this instead of {@link #INVALID_TOKEN} or
     * {@link #TOPIC_MISMATCH} whenever the failed push was addressed to the second token.
     */
    SECOND_TOKEN_INVALID(true, false),
    /** This push is too large; the device is fine. */
    PAYLOAD_TOO_LARGE(true, false),
    /** The provider refused this request as malformed; the device is fine. */
    BAD_REQUEST(true, false),
    /** Our credentials were refused (after one refresh); an operator must act. */
    AUTH_FAILED(true, false),
    /** Rate limited (FCM {@code QUOTA_EXCEEDED}, APNs {@code TooManyRequests}); try later. */
    QUOTA_EXCEEDED(false, false),
    /** The provider is down or overloaded (5xx, shutdown, timeout); try later. */
    UNAVAILABLE(false, false),
    /** Anything else the provider said. */
    UNKNOWN(false, false);

    private final boolean permanent;
    private final boolean invalidatesDevice;

    RejectionReason(boolean permanent, boolean invalidatesDevice) {
        this.permanent = permanent;
        this.invalidatesDevice = invalidatesDevice;
    }

    /** {@code true} when sending the same push again cannot succeed. */
    public boolean isPermanent() {
        return permanent;
    }

    /** {@code true} when the device registration is dead and must be removed. */
    public boolean invalidatesDevice() {
        return invalidatesDevice;
    }
}
