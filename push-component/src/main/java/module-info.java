/**
 * The runnable XEP-0114 external component: {@link io.pushcomponent.component.Main} reads the configuration file
 * ({@link io.pushcomponent.component.config.ComponentConfig}) and starts a
 * {@link io.pushcomponent.component.PushComponent}, which connects to the XMPP server and serves push-core's app
 * server over it.
 *
 * <p>The connection, the stream reader and writer and the built-in {@code log} provider are in the unexported
 * {@code io.pushcomponent.component.internal}. Providers are found through {@link java.util.ServiceLoader}.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0114.html">XEP-0114: Jabber Component Protocol</a>
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
module io.pushcomponent.component {
    // ComponentConfig exposes the adapter's REST endpoint settings, and through it push-core's and push-api's types.
    requires transitive io.pushcomponent.tigase;
    requires transitive io.pushcomponent.monal;
    requires transitive io.pushcomponent.unifiedpush;
    // ComponentHttp mounts push-http's routes; ComponentConfig exposes its listener settings.
    requires transitive io.pushcomponent.http;
    // The postgresql store's pool: push-core requires HikariCP only statically.
    requires com.zaxxer.hikari;
    requires org.slf4j;
    // sun.misc.Signal: SIGHUP reloads the configuration (Hangup); Java has no supported signal API.
    requires jdk.unsupported;

    exports io.pushcomponent.component;
    exports io.pushcomponent.component.config;

    provides io.pushcomponent.api.PushProviderFactory
            with io.pushcomponent.component.internal.LogPushProviderFactory;
}
