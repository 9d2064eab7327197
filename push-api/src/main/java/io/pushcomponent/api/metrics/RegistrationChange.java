package io.pushcomponent.api.metrics;

/** A change of the registrations, for {@link PushMetricsListener#registrationChanged}. */
public enum RegistrationChange {
    /** A device was registered ({@code register-device} or a dialect's command); not counted when it was already. */
    REGISTERED,
    /** The device's owner unregistered it ({@code unregister-device}, a dialect's command, a REST call). */
    UNREGISTERED,
    /** Removed because its provider said the device is gone. */
    REMOVED_DEVICE_GONE,
    /** Removed to keep the account within its registration limit (its oldest). */
    EVICTED
}
