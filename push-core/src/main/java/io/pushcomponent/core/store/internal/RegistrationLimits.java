package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeviceRegistration;

/**
 * The largest values a store accepts, the same for every store in this package so that a registration accepted by
 * one is accepted by all. They are the column sizes of {@link JdbcRegistrationStore}'s table and leave room for
 * every real token: APNs tokens are 64 characters, FCM tokens about 160, a bare JID at most 3071 bytes
 * (RFC 7622 §3.1).
 */
final class RegistrationLimits {
    static final int NODE = 255;
    static final int PROVIDER_ID = 255;
    static final int TOKEN = 4096;
    static final int APP_ID = 1024;
    static final int OWNER = 3071;
    static final int SECRET = 1024;

    private RegistrationLimits() {
    }

    /**
     * Refuses a registration with a value longer than its column. The message names the field and the lengths,
     * never the value: tokens and secrets must not reach logs.
     */
    static void check(DeviceRegistration candidate) {
        Device device = candidate.device();
        checkLength("node", candidate.node(), NODE);
        checkLength("provider id", device.providerId(), PROVIDER_ID);
        checkLength("device token", device.token(), TOKEN);
        checkLength("second device token", device.secondToken(), TOKEN);
        checkLength("app id", device.appId(), APP_ID);
        checkLength("owner", candidate.owner(), OWNER);
        checkLength("secret", candidate.secret(), SECRET);
    }

    private static void checkLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new IllegalArgumentException(
                    field + " is " + value.length() + " characters long; at most " + max + " are stored");
        }
    }
}
