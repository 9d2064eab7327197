/**
 * mod_push_appserver's v1 dialect of XEP-0357, as Monal spoke it before fpush
 * ({@link io.pushcomponent.monallegacy.MonalLegacyDialect}): the {@code v1-register-push} and
 * {@code v1-unregister-push} commands, with the node chosen by the client.
 *
 * <p>The dialect is provided to push-core's {@link io.pushcomponent.core.dialect.Dialect} service. The
 * implementation lives in a package that is not exported.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
module io.pushcomponent.monallegacy {
    requires transitive io.pushcomponent.core;
    requires org.slf4j;

    exports io.pushcomponent.monallegacy;

    provides io.pushcomponent.core.dialect.Dialect with io.pushcomponent.monallegacy.MonalLegacyDialect;
}
