/**
 * Tigase's dialect of XEP-0357 on both sides of push-core ({@link io.pushcomponent.tigase.TigaseDialect}): provider
 * ids, the {@code tigase:push:*} extensions (encrypted notifications, priority, call pushes, filters, away), Tigase
 * configuration import ({@link io.pushcomponent.tigase.config}) and the REST {@code unregister-device} call
 * ({@link io.pushcomponent.tigase.rest}).
 *
 * <p>The dialect is provided to push-core's {@link io.pushcomponent.core.dialect.Dialect} service. The
 * implementation lives in packages that are not exported.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
module io.pushcomponent.tigase {
    requires transitive io.pushcomponent.core;
    requires transitive java.xml;
    requires transitive io.pushcomponent.http;
    requires jakarta.xml.bind;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.pushcomponent.tigase;
    exports io.pushcomponent.tigase.config;
    exports io.pushcomponent.tigase.rest;

    opens io.pushcomponent.tigase.internal to jakarta.xml.bind, org.glassfish.jaxb.runtime, org.glassfish.jaxb.core;

    provides io.pushcomponent.core.dialect.Dialect with io.pushcomponent.tigase.TigaseDialect;
    provides io.pushcomponent.core.xml.XmlElements with io.pushcomponent.tigase.internal.TigaseElements;
}
