/**
 * Monal's dialect of XEP-0357 ({@link io.pushcomponent.monal.MonalDialect}): fpush's stateless mode, in which the
 * publish's node is the device token and its {@code pushModule} publish-option names the app, with fpush's
 * safeguards (dead tokens refused for a while, a per-token rate limit).
 *
 * <p>The dialect is provided to push-core's {@link io.pushcomponent.core.dialect.Dialect} service, switched off
 * until a host configures it. The implementation lives in a package that is not exported.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
module io.pushcomponent.monal {
    requires transitive io.pushcomponent.core;
    requires org.slf4j;

    exports io.pushcomponent.monal;

    provides io.pushcomponent.core.dialect.Dialect with io.pushcomponent.monal.MonalDialect;
}
