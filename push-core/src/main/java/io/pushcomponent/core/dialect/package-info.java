/**
 * The dialect SPI: how a family of clients and servers that speak push in their own way plugs into both sides of
 * push-core without push-core knowing it by name.
 *
 * <p>A {@link io.pushcomponent.core.dialect.Dialect} is found through {@link java.util.ServiceLoader} and has two
 * halves. The app-server half ({@link io.pushcomponent.core.dialect.AppServerDialect}) gives provider-id aliases,
 * disco features, extra fields of the {@code register-device} result, the mapping of a published notification's
 * extension elements onto the push request, ad-hoc commands of its own ({@link io.pushcomponent.core.dialect.DialectCommand})
 * and handlers for stanzas the core does not serve (other registration IQs, stateless publishes, notifications sent
 * as messages), which reach the store and the providers through an {@link io.pushcomponent.core.dialect.AppServerContext}.
 * The user's-server half is a list of {@link io.pushcomponent.core.user.PushExtension}s, one per feature (an
 * {@code <enable/>} option, a filter, an extension of the notification).
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
package io.pushcomponent.core.dialect;
