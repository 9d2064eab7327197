package io.pushcomponent.core.xml.internal;

import io.pushcomponent.core.xml.XmlLimits;
import io.pushcomponent.core.xml.XmlRejectedException;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;
import org.codehaus.stax2.XMLStreamReader2;

/**
 * A view of one stanza of an underlying reader, positioned at the stanza's start tag when created.
 *
 * <p>It moves the stanza element and the children that inherit its namespace ({@code jabber:client},
 * {@code jabber:server}, {@code jabber:component:accept} or none) into no namespace, the form the model binds;
 * it rejects DTDs, entity references, processing instructions and comments; it enforces the depth and size caps; and after
 * the stanza's end tag it reports the end of the document without advancing the underlying reader, which stays on
 * that end tag (so a socket is never read beyond the stanza).
 *
 * <p>Not thread-safe; one per parse.
 */
public final class StanzaReader extends StreamReaderDelegate {
    private final XmlLimits limits;
    private final String stanzaNs;
    private final long startOffset;
    private final boolean[] mapped;
    private int depth = 1;
    private boolean currentMapped = true;
    private boolean finished;

    public StanzaReader(XMLStreamReader reader, XmlLimits limits) {
        super(reader);
        this.limits = limits;
        String ns = reader.getNamespaceURI();
        this.stanzaNs = ns == null ? "" : ns;
        this.startOffset = offset(reader);
        this.mapped = new boolean[limits.maxDepth() + 2];
        this.mapped[0] = true;
    }

    @Override
    public int next() throws XMLStreamException {
        if (depth == 0) {
            finished = true;
            return XMLStreamConstants.END_DOCUMENT;
        }
        int event = super.next();
        switch (event) {
            case XMLStreamConstants.START_ELEMENT -> {
                depth++;
                if (depth > limits.maxDepth()) {
                    throw new LimitExceededException(XmlRejectedException.Reason.POLICY_VIOLATION,
                            "stanza nests elements deeper than " + limits.maxDepth() + " levels");
                }
                String ns = super.getNamespaceURI();
                currentMapped = mapped[depth - 2] && stanzaNs.equals(ns == null ? "" : ns);
                mapped[depth - 1] = currentMapped;
            }
            case XMLStreamConstants.END_ELEMENT -> {
                currentMapped = mapped[depth - 1];
                depth--;
            }
            case XMLStreamConstants.DTD -> throw restricted("a DTD");
            case XMLStreamConstants.ENTITY_REFERENCE -> throw restricted("an entity reference");
            case XMLStreamConstants.PROCESSING_INSTRUCTION -> throw restricted("a processing instruction");
            case XMLStreamConstants.COMMENT -> throw restricted("a comment");
            default -> {
            }
        }
        checkSize();
        return event;
    }

    /** Skips to the end of the stanza, still enforcing the caps. */
    public void skipStanza() throws XMLStreamException {
        while (depth > 0) {
            next();
        }
    }

    private void checkSize() throws LimitExceededException {
        long size = offset(getParent()) - startOffset;
        if (size > limits.maxStanzaChars()) {
            throw new LimitExceededException(XmlRejectedException.Reason.POLICY_VIOLATION,
                    "stanza is larger than " + limits.maxStanzaChars() + " characters");
        }
    }

    private static LimitExceededException restricted(String what) {
        return new LimitExceededException(XmlRejectedException.Reason.RESTRICTED_XML,
                "stanza contains " + what + ", which XMPP does not allow (RFC 6120 section 11.1)");
    }

    static long offset(XMLStreamReader reader) {
        if (reader instanceof XMLStreamReader2 r2) {
            return r2.getLocationInfo().getStartingCharOffset();
        }
        return reader.getLocation().getCharacterOffset();
    }

    @Override
    public boolean hasNext() throws XMLStreamException {
        return !finished && super.hasNext();
    }

    @Override
    public int getEventType() {
        return finished ? XMLStreamConstants.END_DOCUMENT : super.getEventType();
    }

    private boolean onMappedElement() {
        return currentMapped && !finished && (isStartElement() || isEndElement());
    }

    @Override
    public String getNamespaceURI() {
        return onMappedElement() ? XMLConstants.NULL_NS_URI : super.getNamespaceURI();
    }

    @Override
    public QName getName() {
        return onMappedElement() ? new QName(super.getLocalName()) : super.getName();
    }

    @Override
    public String getPrefix() {
        return onMappedElement() ? XMLConstants.DEFAULT_NS_PREFIX : super.getPrefix();
    }

    @Override
    public String getNamespaceURI(int index) {
        String uri = super.getNamespaceURI(index);
        return onMappedElement() && stanzaNs.equals(uri) ? XMLConstants.NULL_NS_URI : uri;
    }

    @Override
    public String getNamespaceURI(String prefix) {
        String uri = super.getNamespaceURI(prefix);
        return onMappedElement() && stanzaNs.equals(uri) ? XMLConstants.NULL_NS_URI : uri;
    }
}
