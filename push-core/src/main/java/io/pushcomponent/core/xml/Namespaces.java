package io.pushcomponent.core.xml;

/**
 * The XML namespaces of the protocols this package models.
 *
 * @see <a href="https://xmpp.org/registrar/namespaces.html">XMPP Registrar: protocol namespaces</a>
 */
public final class Namespaces {
    /** Stanzas on a XEP-0114 component stream. */
    public static final String COMPONENT_ACCEPT = "jabber:component:accept";
    /** Stanzas on a client stream (RFC 6120). */
    public static final String CLIENT = "jabber:client";
    /** Stanzas on a server-to-server stream (RFC 6120). */
    public static final String SERVER = "jabber:server";
    /** RFC 6120 stanza error conditions. */
    public static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    /** XEP-0030 disco#info. */
    public static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    /** XEP-0030 disco#items. */
    public static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    /** XEP-0050 ad-hoc commands. */
    public static final String COMMANDS = "http://jabber.org/protocol/commands";
    /** XEP-0004 data forms. */
    public static final String DATA = "jabber:x:data";
    /** XEP-0060 publish-subscribe. */
    public static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    /** XEP-0060 pubsub-specific error conditions ({@code <unsupported feature='...'/>}). */
    public static final String PUBSUB_ERRORS = "http://jabber.org/protocol/pubsub#errors";
    /** XEP-0060 owner use cases (delete, purge, configure a node). */
    public static final String PUBSUB_OWNER = "http://jabber.org/protocol/pubsub#owner";
    /** XEP-0060 publish-options form type. */
    public static final String PUBSUB_PUBLISH_OPTIONS = "http://jabber.org/protocol/pubsub#publish-options";
    /** XEP-0199 XMPP Ping. */
    public static final String PING = "urn:xmpp:ping";
    /** XEP-0357 push notifications. */
    public static final String PUSH = "urn:xmpp:push:0";
    /** XEP-0357 notification summary form type. */
    public static final String PUSH_SUMMARY = "urn:xmpp:push:summary";
    /** The older summary form type, which some server releases still send; read like {@link #PUSH_SUMMARY}. */
    public static final String PUSH_SUMMARY_LEGACY = "urn:xmpp:push:0:summary";
    /** The {@code xml:} prefix's namespace ({@code xml:lang}). */
    public static final String XML = "http://www.w3.org/XML/1998/namespace";

    private Namespaces() {
    }

    /** {@code true} for the namespaces a stanza may carry: the three stream namespaces and none. */
    public static boolean isStanzaNamespace(String ns) {
        return ns == null || ns.isEmpty() || COMPONENT_ACCEPT.equals(ns) || CLIENT.equals(ns) || SERVER.equals(ns);
    }
}
