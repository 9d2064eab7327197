/**
 * Tigase's dialect of XEP-0357 on both sides of push-core: provider ids, the {@code tigase:push:*} extensions
 * (encrypted notifications, priority, call pushes, filters), Tigase configuration import and the REST
 * {@code unregister-device} call.
 *
 * <p>The user's-server side extension is provided to push-core's {@link io.pushcomponent.core.user.PushExtension}
 * service; the app server side is {@link io.pushcomponent.tigase.TigaseNotificationMapper}.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
module io.pushcomponent.tigase {
    requires transitive io.pushcomponent.core;
    requires transitive java.xml;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.pushcomponent.tigase;
    exports io.pushcomponent.tigase.config;
    exports io.pushcomponent.tigase.rest;

    provides io.pushcomponent.core.user.PushExtension with io.pushcomponent.tigase.TigaseUserExtension;
}
