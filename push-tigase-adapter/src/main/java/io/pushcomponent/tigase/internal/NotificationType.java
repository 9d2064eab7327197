package io.pushcomponent.tigase.internal;

/** The {@code type} of an encrypted notification's JSON, as Siskin and Beagle decode it. */
enum NotificationType {
    /** A one-to-one message. */
    CHAT("chat"),
    /** A group chat (MUC) message; {@code nickname} names the occupant. */
    GROUPCHAT("groupchat"),
    /** A Jingle call proposal or its retraction. */
    CALL("call"),
    /** The account was removed from the server. */
    ACCOUNT_REMOVED("account-removed");

    private final String wire;

    NotificationType(String wire) {
        this.wire = wire;
    }

    /** The value written to the JSON. */
    public String wire() {
        return wire;
    }
}
