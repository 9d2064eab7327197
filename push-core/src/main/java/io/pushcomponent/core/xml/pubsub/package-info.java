/**
 * XEP-0060 publish-subscribe as XEP-0357 uses it: {@link io.pushcomponent.core.xml.pubsub.PubSub}.
 *
 * <p>Mutable JAXB objects; not thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0060.html">XEP-0060: Publish-Subscribe</a>
 */
package io.pushcomponent.core.xml.pubsub;
