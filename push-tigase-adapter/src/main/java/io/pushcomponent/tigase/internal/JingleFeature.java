package io.pushcomponent.tigase.internal;

import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.tigase.TigasePushFeature;
import java.util.Optional;

/**
 * {@code tigase:push:jingle:0}: a XEP-0353 call proposal or retraction, though bodiless, pushes to a client that
 * enabled calls, with {@code <jingle sid='…'><media>audio</media></jingle>} so that the app server rings the device
 * (a retraction carries no media); a client that did not enable calls, or the caller's own devices, get no push for
 * it. Thread-safe.
 */
final class JingleFeature extends TigaseFeature {
    JingleFeature() {
        super(TigasePushFeature.JINGLE, Jingle.class);
    }

    @Override
    public boolean triggers(String account, Message message) {
        return JingleAction.of(message.extensions()) != null;
    }

    @Override
    Optional<Notification> apply(NotificationContext context, IncomingMessage message, TigasePushOptions options,
                                 Notification notification) {
        if (message.jingle() == null) {
            return Optional.of(notification);
        }
        if (TigasePushRules.call(context.account(), message, options) != null) {
            return Optional.empty();
        }
        return Optional.of(notification.add(TigaseNotificationBuilder.jingle(message.jingle())));
    }
}
