package io.pushcomponent.api;

/** Delivery urgency, mapped by providers onto their own priorities. */
public enum PushPriority {
    /** Deliver now, wake the device (APNs 10, FCM {@code high}). */
    HIGH,
    /** Deliver when convenient for the device's battery (APNs 5, FCM {@code normal}). */
    NORMAL
}
