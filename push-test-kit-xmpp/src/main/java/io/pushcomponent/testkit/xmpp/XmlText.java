package io.pushcomponent.testkit.xmpp;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Writes the element a reader is positioned at back as text, with the namespace declarations and prefixes exactly
 * as the peer wrote them, so that a test can assert on what went over the wire.
 *
 * <p>Stateless.
 */
final class XmlText {
    private XmlText() {
    }

    /** The element at the reader's start tag, whole; leaves the reader on its end tag. */
    static String element(XMLStreamReader r) throws XMLStreamException {
        StringBuilder sb = new StringBuilder(256);
        int depth = 0;
        boolean startOpen = false;
        do {
            int event = depth == 0 ? r.getEventType() : r.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    if (startOpen) {
                        sb.append('>');
                    }
                    depth++;
                    sb.append('<').append(qname(r.getPrefix(), r.getLocalName()));
                    for (int i = 0; i < r.getNamespaceCount(); i++) {
                        String p = r.getNamespacePrefix(i);
                        sb.append(p == null || p.isEmpty() ? " xmlns" : " xmlns:" + p).append("='");
                        escape(sb, r.getNamespaceURI(i) == null ? "" : r.getNamespaceURI(i));
                        sb.append('\'');
                    }
                    for (int i = 0; i < r.getAttributeCount(); i++) {
                        sb.append(' ').append(qname(r.getAttributePrefix(i), r.getAttributeLocalName(i))).append("='");
                        escape(sb, r.getAttributeValue(i));
                        sb.append('\'');
                    }
                    startOpen = true;
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    depth--;
                    if (startOpen) {
                        sb.append("/>");
                        startOpen = false;
                    } else {
                        sb.append("</").append(qname(r.getPrefix(), r.getLocalName())).append('>');
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (startOpen) {
                        sb.append('>');
                        startOpen = false;
                    }
                    escape(sb, r.getText());
                }
                default -> {
                    // comments and other events inside a stanza are not part of what a test compares
                }
            }
        } while (depth > 0);
        return sb.toString();
    }

    private static String qname(String prefix, String local) {
        return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
    }

    private static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
    }
}
