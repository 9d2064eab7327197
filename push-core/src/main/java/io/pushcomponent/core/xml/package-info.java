/**
 * The XMPP XML layer: a JAXB model of the stanzas and extensions XEP-0357 needs (RFC 6120 stanzas and errors,
 * XEP-0030 disco, XEP-0050 ad-hoc commands, XEP-0004 data forms, XEP-0060 pubsub, XEP-0357 enable/disable/
 * notification), {@link io.pushcomponent.core.xml.StanzaCodec} to read and write it, and the one hardened StAX
 * factory, {@link io.pushcomponent.core.xml.XmppXml}, that all XMPP input goes through.
 *
 * <p>Model objects are mutable and not thread-safe; the codec is thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
package io.pushcomponent.core.xml;
