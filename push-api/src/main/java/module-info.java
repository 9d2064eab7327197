/**
 * Values and service-provider interfaces shared by every part of the push component.
 *
 * <p>This module depends on nothing but the SLF4J API, its logging facade. Providers implement
 * {@link io.pushcomponent.api.PushProviderFactory} and register it with {@code provides ... with} (and in
 * {@code META-INF/services} for class-path users).
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
module io.pushcomponent.api {
    requires org.slf4j;

    exports io.pushcomponent.api;
    exports io.pushcomponent.api.metrics;
    exports io.pushcomponent.api.store;

    uses io.pushcomponent.api.PushProviderFactory;
    uses io.pushcomponent.api.store.StoreFactory;
    uses io.pushcomponent.api.metrics.MetricsExporter;
}
