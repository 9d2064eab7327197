package io.pushcomponent.api;

import java.util.Objects;

/**
 * The device a push goes to, as the provider needs it.
 *
 * @param providerId  canonical id of the provider that delivers to this device (e.g. {@code fcm-http-v1})
 * @param token       the device token (FCM registration token, APNs device token); never blank
 * @param secondToken the optional second token, e.g. the PushKit (VoIP) token of an iOS device; {@code null} if none
 * @param appId       the optional application id (APNs topic / bundle id, FCM app); {@code null} for the provider's
 *                    default
 * @param sandbox     {@code true} to use the provider's sandbox/development environment (APNs)
 */
public record Device(String providerId, String token, String secondToken, String appId, boolean sandbox) {
    public Device {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("device token must not be blank");
        }
        if (secondToken != null && secondToken.isBlank()) {
            secondToken = null;
        }
    }

    /** A device with only a provider and a token. */
    public static Device of(String providerId, String token) {
        return new Device(providerId, token, null, null, false);
    }

    @Override
    public String toString() {
        return "Device[providerId=" + providerId + ", token=" + Redaction.token(token)
                + ", secondToken=" + Redaction.token(secondToken) + ", appId=" + appId + ", sandbox=" + sandbox + "]";
    }
}
