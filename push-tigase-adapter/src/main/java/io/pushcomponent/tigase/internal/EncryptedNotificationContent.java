package io.pushcomponent.tigase.internal;

import java.util.List;
import java.util.Objects;

/**
 * What goes, as JSON, into an encrypted notification ({@code tigase:push:encrypt:0}). The device decrypts it and
 * shows it; the app server never sees it in the clear.
 *
 * <p>JSON keys: {@code unread} (a number), {@code sender} (a JID string), {@code type}, {@code nickname},
 * {@code message}, {@code sid}, {@code media}. Absent values are left out, never written as {@code null}: Siskin's
 * decoder rejects a {@code null} {@code unread} or {@code sender} (Tigase's own encoder writes them so).
 *
 * <p>Immutable and thread-safe. {@code toString()} shows the message's length only.
 *
 * @param unread   number of unread messages (0 clears the badge)
 * @param sender   the sender's bare JID (the room's for group chat); {@code null} when there is none
 * @param type     what the notification is about
 * @param nickname the occupant's nickname in a group chat; {@code null} otherwise
 * @param message  the message body; {@code null} when none or when bodies are not forwarded
 * @param sid      the Jingle session id of a call; {@code null} otherwise
 * @param media    the media of a proposed call ({@code audio}, {@code video}); empty otherwise
 */
record EncryptedNotificationContent(int unread, String sender, NotificationType type, String nickname,
                                           String message, String sid, List<String> media) {
    public EncryptedNotificationContent {
        Objects.requireNonNull(type, "type");
        if (unread < 0) {
            throw new IllegalArgumentException("unread must not be negative, got " + unread);
        }
        media = media == null ? List.of() : List.copyOf(media);
    }

    /** The same content with another message body. */
    public EncryptedNotificationContent withMessage(String newMessage) {
        return new EncryptedNotificationContent(unread, sender, type, nickname, newMessage, sid, media);
    }

    @Override
    public String toString() {
        return "EncryptedNotificationContent[unread=" + unread + ", sender=" + sender + ", type=" + type
                + ", nickname=" + nickname + ", message=" + (message == null ? "null" : "(" + message.length()
                + " chars)") + ", sid=" + sid + ", media=" + media + "]";
    }
}
