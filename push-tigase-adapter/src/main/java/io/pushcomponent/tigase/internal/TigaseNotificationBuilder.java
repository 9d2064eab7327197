package io.pushcomponent.tigase.internal;

import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import java.util.List;
import java.util.Objects;

/**
 * User's-server side: the children Tigase's extensions add to a notification the server publishes for a message.
 *
 * <ul>
 *   <li>{@code tigase:push:jingle:0}: {@code <jingle xmlns='tigase:push:jingle:0' sid='…'><media>audio</media>
 *       </jingle>} for a call (no media for a retraction), so the app server knows to ring.</li>
 *   <li>{@code tigase:push:priority:0}: {@code <priority xmlns='tigase:push:priority:0'>high|low</priority>}.</li>
 *   <li>{@code tigase:push:encrypt:0}: {@code <encrypted/>} in place of the summary form, holding unread count,
 *       sender, type, nickname, body and call details. They are sealed for the device's key, so the body and sender
 *       go in even where the server's {@code with-body}/{@code with-sender} keep them out of plain notifications.</li>
 * </ul>
 *
 * <p>Each feature adds its own element ({@link Features}), typed ({@link TigaseElements}). Thread-safe.
 */
final class TigaseNotificationBuilder {
    private final NotificationEncryptor encryptor;

    /** A builder encrypting with {@code encryptor}. */
    TigaseNotificationBuilder(NotificationEncryptor encryptor) {
        this.encryptor = Objects.requireNonNull(encryptor, "encryptor");
    }

    /** {@code <jingle xmlns='tigase:push:jingle:0' sid='…'><media>audio</media></jingle>} for a call action. */
    static Jingle jingle(JingleAction call) {
        return Jingle.of(call);
    }

    /** {@code <priority xmlns='tigase:push:priority:0'>high|low</priority>}. */
    static Priority priority(PushPriority priority) {
        return Priority.of(priority);
    }

    /**
     * {@code <encrypted xmlns='tigase:push:encrypt:0' iv='…' [type='voip']>…</encrypted>} sealing the notification's
     * content for the device's key.
     *
     * @param verdict the push the notification is
     * @param message the message the notification is about
     * @param unread  the account's count of unread (offline) messages
     * @param key     the key the client handed over
     */
    Encrypted encrypted(PushVerdict.Push verdict, IncomingMessage message, int unread, PushEncryptionKey key) {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(message, "message");
        return new Encrypted(encryptor.encrypt(content(verdict, message, unread), key));
    }

    private static EncryptedNotificationContent content(PushVerdict.Push verdict, IncomingMessage message,
                                                        int unread) {
        boolean isCall = verdict.kind() == PushKind.CALL || verdict.kind() == PushKind.CALL_ENDED;
        NotificationType type = isCall ? NotificationType.CALL
                : message.isGroupchat() ? NotificationType.GROUPCHAT : NotificationType.CHAT;
        JingleAction call = verdict.jingle();
        return new EncryptedNotificationContent(Math.max(0, unread), message.senderBareJid(), type,
                message.nickname(), isCall ? null : message.body(), call == null ? null : call.sid(),
                call == null ? List.of() : call.media());
    }
}
