package io.pushcomponent.tigase.internal;

import io.pushcomponent.core.user.PushExtension;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.tigase.TigasePushFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Element;

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

    TigaseFeature(TigasePushFeature feature) {
        this.feature = feature;
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
        List<Element> ours = new ArrayList<>();
        for (Object child : enable.other()) {
            if (child instanceof Element e && feature.namespace().equals(e.getNamespaceURI())) {
                ours.add(e);
            }
        }
        return TigasePushOptions.fromChildren(ours).toData();
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
