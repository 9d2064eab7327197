package io.pushcomponent.monallegacy;

import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.dialect.Dialect;
import io.pushcomponent.monallegacy.internal.V1AppServer;

/**
 * mod_push_appserver's v1 dialect of XEP-0357, as Monal registered with it before it moved to fpush, so that such a
 * client pointed at this component registers with it as with mod_push_appserver.
 *
 * <ul>
 *   <li>{@code v1-register-push}: a one-step command with the fields {@code type} ({@code apns} or {@code fcm}),
 *       {@code node} (chosen by the client; Monal sends its device's vendor id) and {@code token}; answered
 *       {@code completed} with a form of {@code jid}, {@code node} (the client's) and {@code secret}, which the
 *       client passes to its server's {@code <enable/>}. Registering the node again replaces its token and issues a
 *       new secret; a node another account registered is refused with {@code cancel/conflict}.</li>
 *   <li>{@code v1-unregister-push}: {@code type} and {@code node}; removes the requesting account's registration of
 *       that node, answered with a form of {@code jid} and {@code node}.</li>
 * </ul>
 *
 * <p>Malformed commands (a missing field, an unknown type) are answered {@code modify/not-acceptable}, as
 * mod_push_appserver answers them. Registrations are the account's, like {@code register-device}'s, and publishes to
 * them are served and answered by the app server as any other. {@link java.util.ServiceLoader} creates the dialect;
 * {@code push-component} discovers it. Immutable and thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 * @see <a href="https://xmpp.org/extensions/xep-0050.html">XEP-0050: Ad-Hoc Commands</a>
 */
public final class MonalLegacyDialect implements Dialect {
    /** The dialect's id. */
    public static final String ID = "mod-push-appserver-v1";

    private final AppServerDialect appServer = new V1AppServer();

    /** What {@link java.util.ServiceLoader} creates. */
    public MonalLegacyDialect() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AppServerDialect appServer() {
        return appServer;
    }
}
