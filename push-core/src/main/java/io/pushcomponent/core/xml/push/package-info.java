/**
 * XEP-0357 elements: {@link io.pushcomponent.core.xml.push.Enable}, {@link io.pushcomponent.core.xml.push.Disable}
 * and {@link io.pushcomponent.core.xml.push.Notification}.
 *
 * <p>Mutable JAXB objects; not thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
package io.pushcomponent.core.xml.push;
