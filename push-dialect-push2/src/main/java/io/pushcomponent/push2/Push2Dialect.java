package io.pushcomponent.push2;

import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.dialect.Dialect;
import io.pushcomponent.core.user.PushExtension;
import io.pushcomponent.push2.internal.Push2AppServer;
import io.pushcomponent.push2.internal.Push2UserServer;
import java.util.List;
import java.util.Objects;

/**
 * Push 2.0 ({@code urn:xmpp:push2:0}), which Cheogram and Borogove (Snikket's SDK) enable and Prosody's
 * {@code mod_push2} serves, on both sides of push-core.
 *
 * <ul>
 *   <li><b>User's server</b> (one {@link PushExtension}, with the extended variant of the push settings on): a
 *       client's {@code <enable xmlns='urn:xmpp:push2:0'>} with {@code <service/>}, {@code <client/>} and
 *       {@code <match profile/>}s (all, important, archived, archived-with-body; a grace period; filters by chat
 *       with mention and reply) each with a {@code <send/>} profile ({@code notify-only:0}, or
 *       {@code sce+rfc8291+rfc8292:0}: the stanza forwarded inside an RFC 8291-encrypted envelope, with an RFC 8292
 *       token); {@code <disable/>}. A matching message while the client's session is gone becomes a
 *       {@code <message><notification xmlns='urn:xmpp:push2:0'/></message>} to the service; {@code wait} errors are
 *       retried with back-off, and a registration failing for {@link Push2Settings#disableAfter()} is disabled. It
 *       runs beside XEP-0357 in the same {@code PushEnablementService}; an XEP-0357 registration at the same service
 *       and node as a Push 2.0 registration's {@code <client/>} gets no publishes of its own.</li>
 *   <li><b>App server</b>: a notification message addressed to the push service, whose {@code <client/>} is the
 *       node of a registration, is delivered to that device: its encrypted payload passed through unchanged
 *       (APNs: an alert with {@code mutable-content}, a VoIP push for {@code <voip/>}; FCM: data), its priority
 *       from {@code <priority/>}; failures come back as a message error.</li>
 * </ul>
 *
 * <p>{@link java.util.ServiceLoader} creates it with {@link Push2Settings#defaults()}; {@code push-component}
 * discovers it. Immutable and thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/inbox/push2.html">Push 2.0</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8291">RFC 8291: Message Encryption for Web Push</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8292">RFC 8292: VAPID for Web Push</a>
 */
public final class Push2Dialect implements Dialect {
    /** The dialect's id. */
    public static final String ID = "push2";
    /** The protocol's namespace. */
    public static final String NAMESPACE = "urn:xmpp:push2:0";

    private final Push2Settings settings;
    private final AppServerDialect appServer = new Push2AppServer();
    private final List<PushExtension> userServer;

    /** With {@link Push2Settings#defaults()}; what {@link java.util.ServiceLoader} creates. */
    public Push2Dialect() {
        this(Push2Settings.defaults());
    }

    /** With {@code settings} for the user's-server side. */
    public Push2Dialect(Push2Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.userServer = List.of(new Push2UserServer(settings));
    }

    @Override
    public String id() {
        return ID;
    }

    /** The user's-server side's settings. */
    public Push2Settings settings() {
        return settings;
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
