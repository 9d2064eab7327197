package io.pushcomponent.tigase;

import io.pushcomponent.core.user.PushExtension;
import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.push.Notification;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * Tigase's push extensions on the user's-server side, plugged into push-core's {@link PushExtension} SPI (found by
 * {@link java.util.ServiceLoader}; they take part when the {@code EXTENDED} variant of the push settings is on):
 * encrypted notifications, priority hints, call pushes and the muted, groupchat and ignore-unknown filters, as
 * described by {@link TigasePushRules} and {@link TigaseNotificationBuilder}.
 *
 * <p>The options a client sends on enable are stored with its registration ({@link TigasePushOptions#toData()}).
 * The {@code ignore-unknown} filter needs the roster: the host implements {@link RosterView} as well as
 * {@code PushHost}; with a host that does not, a registration with that filter gets no pushes for messages other
 * than group chat (an unknown roster knows nobody).
 *
 * <p>Thread-safe and non-blocking apart from the host's roster look-up.
 */
public final class TigaseUserExtension implements PushExtension {
    /** The extension's id. */
    public static final String ID = "tigase";

    private static final RosterView NO_ROSTER = (account, contact) -> false;

    private final Set<TigasePushFeature> features;
    private final TigaseNotificationBuilder builder;

    /** Every feature on; what {@link java.util.ServiceLoader} creates. */
    public TigaseUserExtension() {
        this(EnumSet.allOf(TigasePushFeature.class));
    }

    /** Only {@code features} on. */
    public TigaseUserExtension(Set<TigasePushFeature> features) {
        this.features = features.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(features));
        this.builder = new TigaseNotificationBuilder(new NotificationEncryptor());
    }

    @Override
    public String id() {
        return ID;
    }

    /** The features on, in declaration order. */
    public Set<TigasePushFeature> features() {
        return features.isEmpty() ? Set.of() : EnumSet.copyOf(features);
    }

    @Override
    public List<String> discoFeatures() {
        List<String> out = new ArrayList<>();
        for (TigasePushFeature f : TigasePushFeature.values()) {
            if (features.contains(f)) {
                out.addAll(f.discoFeatures());
            }
        }
        return out;
    }

    @Override
    public Map<String, String> parseEnable(Enable enable) {
        List<Element> ours = new ArrayList<>();
        for (Object child : enable.other()) {
            if (child instanceof Element e && isOn(e.getNamespaceURI())) {
                ours.add(e);
            }
        }
        return TigasePushOptions.fromChildren(ours).toData();
    }

    @Override
    public boolean triggers(String account, Message message) {
        return features.contains(TigasePushFeature.JINGLE) && JingleAction.of(message.extensions()) != null;
    }

    @Override
    public Optional<Notification> apply(NotificationContext context, Notification notification) {
        TigasePushOptions options = TigasePushOptions.fromData(context.registration().extensionData());
        Message message = context.message();
        if (message == null || message.from() == null) {
            return Optional.of(notification);
        }
        IncomingMessage incoming = IncomingMessage.of(message.from(), message.type(), message.body().orElse(null),
                message.extensions());
        if (!options.isAnyOn() && incoming.jingle() == null) {
            return Optional.of(notification);
        }
        RosterView roster = context.host() instanceof RosterView r ? r : NO_ROSTER;
        PushVerdict verdict = TigasePushRules.decide(context.account(), incoming, options, roster);
        if (!(verdict instanceof PushVerdict.Push push)) {
            return Optional.empty();
        }
        NotificationExtras extras = builder.build(push, options, incoming, context.messageCount());
        Notification out = extras.replacesSummary() ? new Notification() : Notification.of(notification.form()
                .orElse(null));
        out.other().addAll(notification.other());
        out.other().addAll(extras.elements());
        return Optional.of(out);
    }

    private boolean isOn(String namespace) {
        for (TigasePushFeature f : features) {
            if (f.namespace().equals(namespace)) {
                return true;
            }
        }
        return false;
    }
}
