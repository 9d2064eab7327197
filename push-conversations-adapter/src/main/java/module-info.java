/**
 * Conversations' dialect of XEP-0357 ({@link io.pushcomponent.conversations.ConversationsDialect}): the app server
 * p2's registration commands, {@code register-push-fcm} and {@code unregister-push-fcm}, with p2's privacy model (a
 * registration is kept under a hash of account and device, never under the account's JID).
 *
 * <p>The dialect is provided to push-core's {@link io.pushcomponent.core.dialect.Dialect} service. The
 * implementation lives in a package that is not exported.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
module io.pushcomponent.conversations {
    requires transitive io.pushcomponent.core;
    requires org.slf4j;

    exports io.pushcomponent.conversations;

    provides io.pushcomponent.core.dialect.Dialect with io.pushcomponent.conversations.ConversationsDialect;
}
