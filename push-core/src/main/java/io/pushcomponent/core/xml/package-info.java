/**
 * The XMPP XML layer's codec: {@link io.pushcomponent.core.xml.StanzaCodec} reads and writes stanzas,
 * {@link io.pushcomponent.core.xml.XmppXml} is the one hardened StAX factory that all XMPP input goes through,
 * {@link io.pushcomponent.core.xml.XmlLimits} caps what a stanza may cost and
 * {@link io.pushcomponent.core.xml.Namespaces} names the protocols. The element model lives in one package per
 * protocol:
 *
 * <ul>
 *   <li>{@link io.pushcomponent.core.xml.stanza}: RFC 6120 stanzas and stanza errors;</li>
 *   <li>{@link io.pushcomponent.core.xml.forms}: XEP-0004 data forms;</li>
 *   <li>{@link io.pushcomponent.core.xml.disco}: XEP-0030 service discovery;</li>
 *   <li>{@link io.pushcomponent.core.xml.commands}: XEP-0050 ad-hoc commands;</li>
 *   <li>{@link io.pushcomponent.core.xml.pubsub}: XEP-0060 publish-subscribe;</li>
 *   <li>{@link io.pushcomponent.core.xml.push}: XEP-0357 enable, disable and notification.</li>
 * </ul>
 *
 * <p>Model objects are mutable and not thread-safe; the codec is thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
package io.pushcomponent.core.xml;
