package io.pushcomponent.api.metrics;

/** A change of the registrations, for {@link PushMetricsListener#registrationChanged}. */
public enum RegistrationChange {
    /**
     * A device was registered ({@code register-device}, or a dialect's command that reports it); not counted when
     * it was registered already.
     */
    REGISTERED,
    /** The device's owner unregistered it ({@code unregister-device}, or a dialect's command that reports it). */
    UNREGISTERED,
    /** Removed because its provider said the device is gone. */
    REMOVED_DEVICE_GONE,
    /** Removed to keep the account within its registration limit (its oldest). */
    EVICTED
}
