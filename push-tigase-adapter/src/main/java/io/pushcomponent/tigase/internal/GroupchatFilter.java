package io.pushcomponent.tigase.internal;

import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.tigase.TigasePushFeature;
import java.util.Optional;

/**
 * {@code tigase:push:filter:groupchat:0}: group chat messages push only from the rooms the client listed, always or
 * when they mention its nickname. Thread-safe.
 */
final class GroupchatFilter extends TigaseFeature {
    GroupchatFilter() {
        super(TigasePushFeature.GROUPCHAT, Groupchat.class);
    }

    @Override
    Optional<Notification> apply(NotificationContext context, IncomingMessage message, TigasePushOptions options,
                                 Notification notification) {
        return TigasePushRules.groupchat(message, options) == null ? Optional.of(notification) : Optional.empty();
    }
}
