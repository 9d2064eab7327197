package io.pushcomponent.tigase.internal;

import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.tigase.TigasePushFeature;
import java.util.Optional;

/**
 * {@code tigase:push:priority:0}: for a client that asked for it, {@code <priority>high</priority>} with a body or a
 * call proposal, {@code low} otherwise. Thread-safe.
 */
final class PriorityFeature extends TigaseFeature {
    PriorityFeature() {
        super(TigasePushFeature.PRIORITY, Priority.class);
    }

    @Override
    Optional<Notification> apply(NotificationContext context, IncomingMessage message, TigasePushOptions options,
                                 Notification notification) {
        if (!options.priority()) {
            return Optional.of(notification);
        }
        return Optional.of(notification.add(TigaseNotificationBuilder.priority(
                TigasePushRules.push(message, options).priority())));
    }
}
