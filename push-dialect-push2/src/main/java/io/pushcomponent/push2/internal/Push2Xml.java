package io.pushcomponent.push2.internal;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The namespaces of Push 2.0 and of what it forwards, and the few DOM routines the dialect needs: its elements are
 * read from and written as DOM elements, which the stanza codec keeps and writes as they are.
 */
final class Push2Xml {
    static final String NS = "urn:xmpp:push2:0";
    static final String MATCH_ALL = "urn:xmpp:push2:match:all";
    static final String MATCH_IMPORTANT = "urn:xmpp:push2:match:important";
    static final String MATCH_ARCHIVED = "urn:xmpp:push2:match:archived";
    static final String MATCH_ARCHIVED_WITH_BODY = "urn:xmpp:push2:match:archived-with-body";
    static final String SEND_NOTIFY_ONLY = "urn:xmpp:push2:send:notify-only:0";
    static final String SEND_SCE = "urn:xmpp:push2:send:sce+rfc8291+rfc8292:0";
    /** The {@code <encrypted/>} of an RFC 8291-encrypted notification. */
    static final String SCE_RFC8291 = "urn:xmpp:sce:rfc8291:0";
    /** XEP-0420 Stanza Content Encryption: the envelope around the forwarded stanza. */
    static final String SCE = "urn:xmpp:sce:1";
    /** XEP-0297 Stanza Forwarding. */
    static final String FORWARD = "urn:xmpp:forward:0";
    static final String CLIENT = "jabber:client";
    /** XEP-0359 stanza ids: the archive id. */
    static final String SID = "urn:xmpp:sid:0";
    static final String REPLY = "urn:xmpp:reply:0";
    static final String JINGLE_MESSAGE = "urn:xmpp:jingle-message:0";
    static final String CORRECTION = "urn:xmpp:message-correct:0";
    static final String CARBONS = "urn:xmpp:carbons:2";
    static final String OMEMO_LEGACY = "eu.siacs.conversations.axolotl";
    static final String OMEMO_0 = "urn:xmpp:omemo:0";
    static final String OMEMO_2 = "urn:xmpp:omemo:2";
    static final String PGP_LEGACY = "jabber:x:encrypted";
    static final String OPENPGP = "urn:xmpp:openpgp:0";
    static final String OOB = "jabber:x:oob";
    static final String CONFERENCE = "jabber:x:conference";

    private static final DocumentBuilderFactory FACTORY = factory();

    private Push2Xml() {
    }

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setExpandEntityReferences(false);
        f.setXIncludeAware(false);
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's DOM parser refuses secure processing", e);
        }
        return f;
    }

    /** A new, empty document to create elements in. */
    static Document newDocument() {
        try {
            return FACTORY.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's DOM parser is unavailable", e);
        }
    }

    /** Parses a document this dialect wrote (a stored {@code <enable/>}); no DTD is allowed. */
    static Element parse(String xml) {
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
        }
    }

    /** {@code true} when {@code o} is a DOM element named {@code name} in {@code ns}. */
    static boolean is(Object o, String ns, String name) {
        return o instanceof Element e && ns.equals(e.getNamespaceURI()) && name.equals(e.getLocalName());
    }

    /** The first of {@code objects} (a stanza's extensions) that is {@code ns}'s {@code name}. */
    static Optional<Element> find(List<Object> objects, String ns, String name) {
        for (Object o : objects) {
            if (is(o, ns, name)) {
                return Optional.of((Element) o);
            }
        }
        return Optional.empty();
    }

    /** The element children of {@code parent} named {@code name} in {@code ns}, in order. */
    static List<Element> children(Element parent, String ns, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (is(n, ns, name)) {
                found.add((Element) n);
            }
        }
        return found;
    }

    /** The first element child of {@code parent} named {@code name} in {@code ns}. */
    static Optional<Element> child(Element parent, String ns, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (is(n, ns, name)) {
                return Optional.of((Element) n);
            }
        }
        return Optional.empty();
    }

    /**
     * Refuses a second such child: where a notification names one client, priority or payload, two leave the push
     * service to guess which is meant.
     *
     * @throws IllegalArgumentException when {@code parent} has more than one
     */
    static void atMostOne(Element parent, String ns, String name) {
        boolean seen = false;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (is(n, ns, name)) {
                if (seen) {
                    throw new IllegalArgumentException("more than one <" + name + "/>");
                }
                seen = true;
            }
        }
    }

    /** The trimmed text of the first such child; empty when there is none or it is blank. */
    static Optional<String> childText(Element parent, String ns, String name) {
        return child(parent, ns, name).map(e -> e.getTextContent().trim()).filter(t -> !t.isEmpty());
    }

    /** Appends a child with text to {@code parent} and returns it. */
    static Element text(Element parent, String ns, String name, String text) {
        Element child = parent.getOwnerDocument().createElementNS(ns, name);
        child.setTextContent(text);
        parent.appendChild(child);
        return child;
    }

    /** Escapes text for an element's content or a single- or double-quoted attribute. */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
