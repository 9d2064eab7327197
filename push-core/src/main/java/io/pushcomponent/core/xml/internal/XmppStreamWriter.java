package io.pushcomponent.core.xml.internal;

import io.pushcomponent.core.xml.Namespaces;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.namespace.NamespaceContext;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The {@link XMLStreamWriter} JAXB marshals into: it writes XMPP's usual form, whatever prefixes JAXB chose.
 *
 * <p>Every element is written unprefixed, with an {@code xmlns} attribute only where its namespace differs from
 * the one it inherits; the top-level element, in no namespace, gets none and so inherits the stream's default
 * namespace. Attributes are single-quoted; namespaced attributes other than {@code xml:} get a prefix declared on
 * their element. Characters XML 1.0 cannot carry are replaced by U+FFFD.
 *
 * <p>Not thread-safe; one per write.
 */
public final class XmppStreamWriter implements XMLStreamWriter {
    private final Appendable out;
    private final List<String> names = new ArrayList<>(16);
    private final List<String> defaults = new ArrayList<>(16);
    private boolean startOpen;
    private int prefixCounter;

    public XmppStreamWriter(Appendable out) {
        this.out = out;
    }

    private String currentDefault() {
        return defaults.isEmpty() ? "" : defaults.get(defaults.size() - 1);
    }

    private void closeStart() throws IOException {
        if (startOpen) {
            out.append('>');
            startOpen = false;
        }
    }

    @Override
    public void writeStartElement(String prefix, String localName, String namespaceUri) throws XMLStreamException {
        try {
            closeStart();
            String ns = namespaceUri == null ? "" : namespaceUri;
            out.append('<').append(localName);
            if (!ns.equals(currentDefault())) {
                out.append(" xmlns='");
                escape(out, ns, true);
                out.append('\'');
            }
            names.add(localName);
            defaults.add(ns);
            startOpen = true;
        } catch (IOException e) {
            throw new XMLStreamException(e);
        }
    }

    @Override
    public void writeStartElement(String namespaceUri, String localName) throws XMLStreamException {
        writeStartElement("", localName, namespaceUri);
    }

    @Override
    public void writeStartElement(String localName) throws XMLStreamException {
        writeStartElement("", localName, currentDefault());
    }

    @Override
    public void writeEmptyElement(String prefix, String localName, String namespaceUri) throws XMLStreamException {
        writeStartElement(prefix, localName, namespaceUri);
        writeEndElement();
    }

    @Override
    public void writeEmptyElement(String namespaceUri, String localName) throws XMLStreamException {
        writeEmptyElement("", localName, namespaceUri);
    }

    @Override
    public void writeEmptyElement(String localName) throws XMLStreamException {
        writeEmptyElement("", localName, currentDefault());
    }

    @Override
    public void writeEndElement() throws XMLStreamException {
        if (names.isEmpty()) {
            throw new XMLStreamException("end element without a start element");
        }
        int last = names.size() - 1;
        String name = names.remove(last);
        defaults.remove(last);
        try {
            if (startOpen) {
                out.append("/>");
                startOpen = false;
            } else {
                out.append("</").append(name).append('>');
            }
        } catch (IOException e) {
            throw new XMLStreamException(e);
        }
    }

    @Override
    public void writeEndDocument() throws XMLStreamException {
        while (!names.isEmpty()) {
            writeEndElement();
        }
    }

    @Override
    public void writeAttribute(String localName, String value) throws XMLStreamException {
        writeAttribute("", "", localName, value);
    }

    @Override
    public void writeAttribute(String namespaceUri, String localName, String value) throws XMLStreamException {
        writeAttribute("", namespaceUri, localName, value);
    }

    @Override
    public void writeAttribute(String prefix, String namespaceUri, String localName, String value)
            throws XMLStreamException {
        if (!startOpen) {
            throw new XMLStreamException("attribute " + localName + " outside a start tag");
        }
        try {
            out.append(' ');
            if (namespaceUri != null && !namespaceUri.isEmpty()) {
                if (Namespaces.XML.equals(namespaceUri)) {
                    out.append("xml:");
                } else {
                    String p = "a" + (++prefixCounter);
                    out.append("xmlns:").append(p).append("='");
                    escape(out, namespaceUri, true);
                    out.append("' ").append(p).append(':');
                }
            }
            out.append(localName).append("='");
            escape(out, value, true);
            out.append('\'');
        } catch (IOException e) {
            throw new XMLStreamException(e);
        }
    }

    @Override
    public void writeNamespace(String prefix, String namespaceUri) {
        // Declarations are derived from the elements' namespaces in writeStartElement.
    }

    @Override
    public void writeDefaultNamespace(String namespaceUri) {
        // Declarations are derived from the elements' namespaces in writeStartElement.
    }

    @Override
    public void writeCharacters(String text) throws XMLStreamException {
        if (text.isEmpty()) {
            return;
        }
        try {
            closeStart();
            escape(out, text, false);
        } catch (IOException e) {
            throw new XMLStreamException(e);
        }
    }

    @Override
    public void writeCharacters(char[] text, int start, int len) throws XMLStreamException {
        writeCharacters(new String(text, start, len));
    }

    @Override
    public void writeCData(String data) throws XMLStreamException {
        writeCharacters(data);
    }

    @Override
    public void writeComment(String data) throws XMLStreamException {
        throw new XMLStreamException("comments are not allowed in XMPP");
    }

    @Override
    public void writeProcessingInstruction(String target) throws XMLStreamException {
        throw new XMLStreamException("processing instructions are not allowed in XMPP");
    }

    @Override
    public void writeProcessingInstruction(String target, String data) throws XMLStreamException {
        throw new XMLStreamException("processing instructions are not allowed in XMPP");
    }

    @Override
    public void writeDTD(String dtd) throws XMLStreamException {
        throw new XMLStreamException("DTDs are not allowed in XMPP");
    }

    @Override
    public void writeEntityRef(String name) throws XMLStreamException {
        throw new XMLStreamException("entity references are not allowed in XMPP");
    }

    @Override
    public void writeStartDocument() {
        // A stanza is a fragment of a stream: no XML declaration.
    }

    @Override
    public void writeStartDocument(String version) {
        // A stanza is a fragment of a stream: no XML declaration.
    }

    @Override
    public void writeStartDocument(String encoding, String version) {
        // A stanza is a fragment of a stream: no XML declaration.
    }

    @Override
    public void close() {
        // The caller owns the underlying output.
    }

    @Override
    public void flush() {
        // Nothing is buffered here.
    }

    @Override
    public String getPrefix(String uri) {
        return null;
    }

    @Override
    public void setPrefix(String prefix, String uri) {
        // Prefixes are never written.
    }

    @Override
    public void setDefaultNamespace(String uri) {
        // Default namespaces follow the elements written.
    }

    @Override
    public void setNamespaceContext(NamespaceContext context) {
        // Prefixes are never written.
    }

    @Override
    public NamespaceContext getNamespaceContext() {
        return null;
    }

    @Override
    public Object getProperty(String name) {
        throw new IllegalArgumentException("no property " + name);
    }

    /**
     * Appends {@code name='value'} with a space before it, escaped as this writer writes an attribute in no
     * namespace; nothing when {@code value} is {@code null}. For a writer that writes an element without a stream
     * writer.
     */
    public static void appendAttribute(Appendable out, String name, String value) throws IOException {
        if (value != null) {
            out.append(' ').append(name).append("='");
            escape(out, value, true);
            out.append('\'');
        }
    }

    private static void escape(Appendable out, String s, boolean attribute) throws IOException {
        int n = s.length();
        int plainFrom = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String replacement;
            switch (c) {
                case '&' -> replacement = "&amp;";
                case '<' -> replacement = "&lt;";
                case '>' -> replacement = "&gt;";
                case '\'' -> replacement = attribute ? "&apos;" : null;
                case '"' -> replacement = attribute ? "&quot;" : null;
                case '\n' -> replacement = attribute ? "&#10;" : null;
                case '\r' -> replacement = "&#13;";
                case '\t' -> replacement = attribute ? "&#9;" : null;
                default -> replacement = isXmlChar(c, s, i) ? null : "\uFFFD";
            }
            if (replacement != null) {
                out.append(s, plainFrom, i).append(replacement);
                plainFrom = i + 1;
            }
        }
        out.append(s, plainFrom, n);
    }

    private static boolean isXmlChar(char c, String s, int i) {
        if (c >= 0x20 && c < 0xD800) {
            return true;
        }
        if (c < 0x20) {
            return c == '\t' || c == '\n' || c == '\r';
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        }
        return c != 0xFFFE && c != 0xFFFF;
    }
}
