package io.pushcomponent.tigase.internal;

import io.pushcomponent.core.user.PushExtension;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.tigase.TigasePushFeature;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every one of Tigase's switchable push features does alike: it is advertised in the account's disco#info,
 * reads its own child of a client's {@code <enable/>} (children of other features are theirs, so a feature that is
 * off ignores its child) and stores it with the registration ({@link TigasePushOptions#toData()}), and looks at each
 * notification with the registration's options and the message it is about.
 *
 * <p>Immutable and thread-safe; never blocks apart from the host's roster look-up.
 */
abstract class TigaseFeature implements PushExtension {
    private final TigasePushFeature feature;
    private final Class<?> element;

    /**
     * @param feature the feature
     * @param element the class of its {@code <enable/>} child ({@link TigaseElements})
     */
    TigaseFeature(TigasePushFeature feature, Class<?> element) {
        this.feature = feature;
        this.element = element;
    }

    @Override
    public final String id() {
        return feature.namespace();
    }

    @Override
    public final List<String> discoFeatures(PushSettings settings) {
        return feature.discoFeatures();
    }

    /** @throws IllegalArgumentException when this feature's child is malformed (a bad request for the client) */
    @Override
    public final Map<String, String> parseEnable(Enable enable) {
        return TigasePushOptions.fromChildren(enable.other().stream().filter(element::isInstance).toList()).toData();
    }

    @Override
    public final Optional<Notification> apply(NotificationContext context, Notification notification) {
        Message message = context.message();
        if (message == null || message.from() == null) {
            return Optional.of(notification);
        }
        IncomingMessage incoming = IncomingMessage.of(message.from(), message.type(), message.body().orElse(null),
                message.extensions());
        return apply(context, incoming, TigasePushOptions.fromData(context.registration().extensionData()),
                notification);
    }

    /**
     * This feature's part of the notification about {@code message}.
     *
     * @param options the registration's options (of every feature)
     * @return the notification to publish; empty to publish none to this registration
     */
    abstract Optional<Notification> apply(NotificationContext context, IncomingMessage message,
                                          TigasePushOptions options, Notification notification);
}
