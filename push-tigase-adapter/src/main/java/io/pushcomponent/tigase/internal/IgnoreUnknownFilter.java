package io.pushcomponent.tigase.internal;

import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.tigase.RosterView;
import io.pushcomponent.tigase.TigasePushFeature;
import java.util.Optional;

/**
 * {@code tigase:push:filter:ignore-unknown:0}: messages other than group chat push only from a contact in the
 * account's roster. The host implements {@link RosterView} as well as {@code PushHost}; with a host that does not,
 * a registration with this filter gets no such pushes (an unknown roster knows nobody). Thread-safe; blocks on the
 * host's roster look-up.
 */
final class IgnoreUnknownFilter extends TigaseFeature {
    private static final RosterView NO_ROSTER = (account, contact) -> false;

    IgnoreUnknownFilter() {
        super(TigasePushFeature.IGNORE_UNKNOWN, IgnoreUnknown.class);
    }

    @Override
    Optional<Notification> apply(NotificationContext context, IncomingMessage message, TigasePushOptions options,
                                 Notification notification) {
        RosterView roster = context.host() instanceof RosterView r ? r : NO_ROSTER;
        return TigasePushRules.unknownSender(context.account(), message, options, roster) == null
                ? Optional.of(notification) : Optional.empty();
    }
}
