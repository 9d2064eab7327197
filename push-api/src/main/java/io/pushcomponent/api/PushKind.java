package io.pushcomponent.api;

/** What a push is for; providers choose payload type and priority from it. */
public enum PushKind {
    /** A message (or several) waits: a visible notification. */
    MESSAGE,
    /**
     * Nothing to show: a wake-up (an empty {@code <notification/>}) or a badge clear ({@code message-count} 0).
     * Providers send it as a background push (APNs {@code content-available}, priority 5; FCM normal priority).
     */
    BACKGROUND,
    /** An incoming call: APNs VoIP push to the device's second token, FCM high priority. */
    CALL,
    /** A call proposal was retracted: the device should stop ringing. */
    CALL_ENDED
}
