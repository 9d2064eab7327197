/**
 * Push 2.0 ({@code urn:xmpp:push2:0}) on both sides of push-core ({@link io.pushcomponent.push2.Push2Dialect}): the
 * user's server's {@code <enable/>}, match and send profiles and its notification messages; the app server's
 * handling of those messages.
 *
 * <p>The dialect is provided to push-core's {@link io.pushcomponent.core.dialect.Dialect} service. The
 * implementation lives in a package that is not exported.
 *
 * @see <a href="https://xmpp.org/extensions/inbox/push2.html">Push 2.0</a>
 */
module io.pushcomponent.push2 {
    requires transitive io.pushcomponent.core;
    requires transitive java.xml;
    requires io.pushcomponent.webpush.crypto;
    requires org.slf4j;

    exports io.pushcomponent.push2;

    provides io.pushcomponent.core.dialect.Dialect with io.pushcomponent.push2.Push2Dialect;
}
