package io.pushcomponent.tigase.internal;

import io.pushcomponent.core.user.PushExtension;
import io.pushcomponent.tigase.TigasePushFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The user's-server half of Tigase's dialect: one extension per feature, in the order they apply to a notification
 * (the filters, then the call, the priority and last the encryption, which seals what the others decided).
 *
 * <p>Stateless and thread-safe.
 */
public final class Features {
    private static final List<TigasePushFeature> ORDER = List.of(TigasePushFeature.MUTED, TigasePushFeature.GROUPCHAT,
            TigasePushFeature.IGNORE_UNKNOWN, TigasePushFeature.JINGLE, TigasePushFeature.PRIORITY,
            TigasePushFeature.ENCRYPT);
    private Features() {
    }

    /** The extensions of the features that are on, and the away extension (which the away mode switches). */
    public static List<PushExtension> of(Set<TigasePushFeature> on) {
        List<PushExtension> extensions = new ArrayList<>();
        for (TigasePushFeature feature : ORDER) {
            if (on.contains(feature)) {
                extensions.add(create(feature));
            }
        }
        extensions.add(new AwayFeature());
        return List.copyOf(extensions);
    }

    private static PushExtension create(TigasePushFeature feature) {
        return switch (feature) {
            case MUTED -> new MutedFilter();
            case GROUPCHAT -> new GroupchatFilter();
            case IGNORE_UNKNOWN -> new IgnoreUnknownFilter();
            case JINGLE -> new JingleFeature();
            case PRIORITY -> new PriorityFeature();
            case ENCRYPT -> new EncryptFeature();
        };
    }
}
