package io.pushcomponent.tigase.internal;

import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.tigase.TigasePushFeature;
import java.util.Optional;

/** {@code tigase:push:filter:muted:0}: no push for a message from a bare JID the client muted. Thread-safe. */
final class MutedFilter extends TigaseFeature {
    MutedFilter() {
        super(TigasePushFeature.MUTED, Muted.class);
    }

    @Override
    Optional<Notification> apply(NotificationContext context, IncomingMessage message, TigasePushOptions options,
                                 Notification notification) {
        return TigasePushRules.muted(message, options) == null ? Optional.of(notification) : Optional.empty();
    }
}
