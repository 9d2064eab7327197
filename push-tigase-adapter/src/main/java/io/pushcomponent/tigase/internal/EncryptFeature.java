package io.pushcomponent.tigase.internal;

import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.tigase.TigasePushFeature;
import java.util.Optional;

/**
 * {@code tigase:push:encrypt:0}: for a client that handed over a key, the notification's content (unread count,
 * sender, type, nickname, body, call details) sealed in {@code <encrypted/>} in place of the summary form. It is for
 * the device alone, so the body and sender go in even where the server keeps them out of plain notifications. The
 * other features' elements stay. Thread-safe.
 */
final class EncryptFeature extends TigaseFeature {
    private final TigaseNotificationBuilder builder = new TigaseNotificationBuilder(new NotificationEncryptor());

    EncryptFeature() {
        super(TigasePushFeature.ENCRYPT, Encrypt.class);
    }

    @Override
    Optional<Notification> apply(NotificationContext context, IncomingMessage message, TigasePushOptions options,
                                 Notification notification) {
        if (options.encryption() == null) {
            return Optional.of(notification);
        }
        Notification sealed = new Notification();
        sealed.other().addAll(notification.other());
        return Optional.of(sealed.add(builder.encrypted(TigasePushRules.push(message, options), message,
                context.messageCount(), options.encryption())));
    }
}
