package io.pushcomponent.tigase;

import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.dialect.Dialect;
import io.pushcomponent.core.user.PushExtension;
import io.pushcomponent.tigase.internal.Features;
import io.pushcomponent.tigase.internal.TigaseAppServer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Tigase's dialect of XEP-0357, so that Tigase's clients (Siskin and Beagle on Apple platforms, Stork on Android) and
 * Tigase servers work with our component and our user's-server side as with Tigase's own.
 *
 * <ul>
 *   <li><b>App server:</b> the provider ids {@code tigase:messenger:apns:1}, {@code apns-binary-api} and
 *       {@code fcm-xmpp-api} as aliases of the APNs and FCM providers; {@code features} and
 *       {@code max-payload-size} in the {@code register-device} result, from the provider's capabilities; the
 *       {@code <encrypted/>}, {@code <priority/>} and {@code <jingle/>} children of a published notification onto
 *       the push request (an encrypted payload passed through, the priority, a call push).</li>
 *   <li><b>User's server:</b> one extension per feature of {@link TigasePushFeature} (encrypted notifications,
 *       priority, call pushes, the muted, groupchat and ignore-unknown filters) and {@code tigase:push:away:0}
 *       ({@code away='true'} on enable, with the away mode on). They take part with the extended variant of the push
 *       settings. For the ignore-unknown filter the host implements {@link RosterView} too.</li>
 * </ul>
 *
 * <p>{@link java.util.ServiceLoader} creates it with every feature on; {@code push-component} discovers it.
 * Embedders of the user's-server side who configure the features use
 * {@link io.pushcomponent.tigase.config.TigaseSessionManagerConfig#dialect()} or {@link #TigaseDialect(Set)}.
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
public final class TigaseDialect implements Dialect {
    /** The dialect's id. */
    public static final String ID = "tigase";

    private final Set<TigasePushFeature> features;
    private final AppServerDialect appServer = new TigaseAppServer();
    private final List<PushExtension> userServer;

    /** Every feature on; what {@link java.util.ServiceLoader} creates. */
    public TigaseDialect() {
        this(EnumSet.allOf(TigasePushFeature.class));
    }

    /** Only {@code features} on the user's-server side (the app-server half is the same). */
    public TigaseDialect(Set<TigasePushFeature> features) {
        this.features = features.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(features));
        this.userServer = Features.of(this.features);
    }

    @Override
    public String id() {
        return ID;
    }

    /** The user's-server features that are on. */
    public Set<TigasePushFeature> features() {
        return features.isEmpty() ? Set.of() : EnumSet.copyOf(features);
    }

    @Override
    public AppServerDialect appServer() {
        return appServer;
    }

    @Override
    public List<PushExtension> userServer() {
        return userServer;
    }
}
