package io.pushcomponent.monal;

import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.dialect.Dialect;
import io.pushcomponent.monal.internal.StatelessPublishes;
import java.util.Objects;
import java.util.Optional;

/**
 * Monal's dialect: fpush's stateless mode. Monal registers nowhere; it enables push on its server with its APNs
 * device token (hexadecimal) as the node and the app server's JID, and names its app in the publish-options:
 *
 * <pre>{@code
 * <enable xmlns='urn:xmpp:push:0' jid='push.example.com' node='<device token>'>
 *   <x xmlns='jabber:x:data' type='submit'>
 *     <field var='FORM_TYPE'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>
 *     <field var='pushModule'><value>monalProdiOS</value></field>
 *   </x>
 * </enable>
 * }</pre>
 *
 * The server then publishes to that node with the publish-options; this dialect sends the push to the token through
 * the provider and app configured for the {@code pushModule} ({@link StatelessSettings}), without a registration.
 *
 * <p>Off by default: the dialect {@link java.util.ServiceLoader} creates (the no-argument constructor) handles
 * nothing, since the stateless mode lets any server that knows a device token push to it; a host turns it on by
 * adding {@code new MonalDialect(settings)} instead.
 *
 * <p><b>Thread-safety:</b> immutable and thread-safe. <b>Lifecycle:</b> holds no resources.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#enabling">XEP-0357 §5 Enabling Notifications</a>
 */
public final class MonalDialect implements Dialect {
    /** The dialect's id. */
    public static final String ID = "monal";

    private final StatelessSettings settings;
    private final AppServerDialect appServer;

    /** The dialect switched off, as {@link java.util.ServiceLoader} creates it. */
    public MonalDialect() {
        this.settings = null;
        this.appServer = AppServerDialect.NONE;
    }

    /** The dialect serving stateless publishes as {@code settings} say. */
    public MonalDialect(StatelessSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.appServer = new StatelessPublishes(settings);
    }

    @Override
    public String id() {
        return ID;
    }

    /** The stateless mode's settings; empty when it is off. */
    public Optional<StatelessSettings> settings() {
        return Optional.ofNullable(settings);
    }

    @Override
    public AppServerDialect appServer() {
        return appServer;
    }
}
