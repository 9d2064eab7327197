/**
 * The user's-server side of XEP-0357, for an XMPP server to embed: {@link io.pushcomponent.core.user.PushEnablementService}
 * handles {@code <enable/>} and {@code <disable/>}, decides when a message warrants a push, publishes to the app
 * server and applies the error policy to its answers. The server implements {@link io.pushcomponent.core.user.PushHost};
 * registrations live in a {@link io.pushcomponent.api.store.AccountPushRegistrationStore}; extensions such as Tigase's plug in
 * through {@link io.pushcomponent.core.user.PushExtension}.
 *
 * <p>Records here are immutable and safe to share between threads; their {@code toString()} never shows
 * publish-options values or extension data.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
package io.pushcomponent.core.user;
