package io.pushcomponent.tigase.internal;

import io.pushcomponent.core.user.PushExtension;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.push.Enable;
import java.util.List;
import javax.xml.namespace.QName;

/**
 * {@code tigase:push:away:0}: a client that enables with {@code away='true'} gets pushes also while all its resources
 * are away, xa or dnd. Advertised, and effective, only with {@link PushSettings#awayMode()} on (Tigase's
 * {@code 'away' () {}} bean). Stateless and thread-safe.
 */
final class AwayFeature implements PushExtension {
    private static final QName AWAY = new QName("away");

    @Override
    public String id() {
        return TigaseNamespaces.AWAY;
    }

    @Override
    public List<String> discoFeatures(PushSettings settings) {
        return settings.awayMode() ? List.of(TigaseNamespaces.AWAY) : List.of();
    }

    @Override
    public boolean notifiesWhileAway(Enable enable) {
        String value = enable.otherAttributes().get(AWAY);
        return "true".equals(value) || "1".equals(value);
    }
}
