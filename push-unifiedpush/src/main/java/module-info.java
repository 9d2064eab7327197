/**
 * A UnifiedPush distributor for XMPP clients: the {@code http://gultsch.de/xmpp/drafts/unified-push} registration
 * ({@link io.pushcomponent.unifiedpush.UnifiedPushDialect}, a dialect of push-core's app server) and the RFC 8030
 * endpoint whose messages are relayed to the client ({@link io.pushcomponent.unifiedpush.UnifiedPushDistributor}).
 * The implementation lives in a package that is not exported.
 *
 * @see <a href="https://unifiedpush.org/">UnifiedPush</a>
 */
module io.pushcomponent.unifiedpush {
    requires transitive io.pushcomponent.core;
    requires jakarta.xml.bind;
    requires org.slf4j;

    exports io.pushcomponent.unifiedpush;

    opens io.pushcomponent.unifiedpush.internal to jakarta.xml.bind, org.glassfish.jaxb.runtime, org.glassfish.jaxb.core;

    provides io.pushcomponent.core.dialect.Dialect with io.pushcomponent.unifiedpush.UnifiedPushDialect;
    provides io.pushcomponent.core.xml.XmlElements with io.pushcomponent.unifiedpush.internal.UpElements;
}
