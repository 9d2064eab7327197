package io.pushcomponent.core.xml;

import io.pushcomponent.core.xml.internal.ElementTypes;
import io.pushcomponent.core.xml.internal.LimitExceededException;
import io.pushcomponent.core.xml.internal.PublishReader;
import io.pushcomponent.core.xml.internal.StanzaReader;
import io.pushcomponent.core.xml.internal.StartTags;
import io.pushcomponent.core.xml.internal.Utf8;
import io.pushcomponent.core.xml.internal.XmppStreamWriter;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.Unmarshaller;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.codehaus.stax2.XMLInputFactory2;
import org.codehaus.stax2.io.Stax2ByteArraySource;

/**
 * Reads and writes {@link Stanza}s.
 *
 * <p><b>Reading</b> goes through the hardened factory of {@link XmppXml}: a DTD, an entity reference, a processing
 * instruction or a comment is refused ({@code restricted-xml}), a stanza over {@link XmlLimits} is refused
 * ({@code policy-violation}), and so is anything not well-formed or not a stanza; each refusal is an
 * {@link XmlRejectedException} that says why and, where the start tag could be read, carries the stanza's
 * {@code id} and {@code from} so that an IQ can still be answered. The stanza may be in {@code jabber:component:accept},
 * {@code jabber:client}, {@code jabber:server} or no namespace. Unknown elements and attributes are kept.
 *
 * <p><b>Writing</b> produces XMPP's usual default-namespace form without generated prefixes, the stanza element
 * itself without an {@code xmlns} so that it takes the namespace of the stream it is written to:
 * {@code <iq id='1' type='result'><pubsub xmlns='http://jabber.org/protocol/pubsub'>...}.
 *
 * <p><b>Thread-safety:</b> thread-safe; one instance serves a whole process. The JAXB context is created once per
 * process, and each thread reuses its own unmarshaller and marshaller.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-11">RFC 6120 §11 XML Usage</a>
 */
public final class StanzaCodec {
    private static final Set<String> STANZA_NAMES = Set.of("iq", "message", "presence");
    private static final int HEAD_PREFIX_CHARS = 4096;

    private final XmlLimits limits;
    private final JAXBContext context;
    private final XMLInputFactory inputFactory;
    private final ThreadLocal<Unmarshaller> unmarshallers;
    private final ThreadLocal<Marshaller> marshallers;

    private StanzaCodec(XmlLimits limits, JAXBContext context) {
        this.limits = limits;
        this.context = context;
        this.inputFactory = XmppXml.inputFactory(limits);
        this.unmarshallers = ThreadLocal.withInitial(() -> {
            try {
                Unmarshaller u = context.createUnmarshaller();
                u.setEventHandler(event -> true);
                return u;
            } catch (JAXBException e) {
                throw new IllegalStateException("cannot create a JAXB unmarshaller", e);
            }
        });
        this.marshallers = ThreadLocal.withInitial(() -> {
            try {
                Marshaller m = context.createMarshaller();
                m.setProperty(Marshaller.JAXB_FRAGMENT, Boolean.TRUE);
                return m;
            } catch (JAXBException e) {
                throw new IllegalStateException("cannot create a JAXB marshaller", e);
            }
        });
    }

    /**
     * A codec with {@link XmlLimits#DEFAULT} that binds push-core's elements and those of every {@link XmlElements}
     * that {@link java.util.ServiceLoader} finds.
     *
     * @throws IllegalArgumentException when two element classes claim the same element, or one is not a root element
     */
    public static StanzaCodec create() {
        return create(XmlLimits.DEFAULT);
    }

    /**
     * A codec with the given limits that binds push-core's elements and those of every {@link XmlElements} that
     * {@link java.util.ServiceLoader} finds.
     *
     * @throws IllegalArgumentException when two element classes claim the same element, or one is not a root element
     */
    public static StanzaCodec create(XmlLimits limits) {
        return new StanzaCodec(Objects.requireNonNull(limits, "limits"), ElementTypes.discovered());
    }

    /**
     * A codec with the given limits that binds push-core's elements and those of {@code elements}, without
     * discovery: for a host that registers its extensions itself.
     *
     * @throws IllegalArgumentException when two element classes claim the same element, or one is not a root element
     */
    public static StanzaCodec create(XmlLimits limits, Collection<? extends XmlElements> elements) {
        return new StanzaCodec(Objects.requireNonNull(limits, "limits"),
                ElementTypes.of(List.copyOf(Objects.requireNonNull(elements, "elements"))));
    }

    /** The limits applied to every read. */
    public XmlLimits limits() {
        return limits;
    }

    /**
     * Reads one stanza from a string holding exactly one element (and optional surrounding whitespace).
     *
     * <p>A XEP-0357 publish of exactly the usual shape (see {@link #readEnclosed(byte[])}) with nothing but
     * whitespace around it is read without JAXB, into the same model; anything else goes through JAXB.
     *
     * @throws XmlRejectedException when the input is refused; the message says why
     */
    public Stanza read(String xml) throws XmlRejectedException {
        Objects.requireNonNull(xml, "xml");
        if (xml.length() > limits.maxStanzaChars()) {
            throw new XmlRejectedException(XmlRejectedException.Reason.POLICY_VIOLATION,
                    "stanza is larger than " + limits.maxStanzaChars() + " characters (" + xml.length() + ")",
                    recoverHead(xml.substring(0, Math.min(xml.length(), HEAD_PREFIX_CHARS))), false, null);
        }
        if (xml.contains(Namespaces.PUBSUB)) {
            Stanza publish = readPublish(xml);
            if (publish != null) {
                return publish;
            }
        }
        XMLStreamReader reader = null;
        try {
            reader = inputFactory.createXMLStreamReader(new StringReader(xml));
            moveToFirstElement(reader);
            Stanza stanza = read(reader);
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.PROCESSING_INSTRUCTION || event == XMLStreamConstants.COMMENT) {
                    throw new XmlRejectedException(XmlRejectedException.Reason.RESTRICTED_XML,
                            (event == XMLStreamConstants.COMMENT ? "a comment" : "a processing instruction")
                                    + " follows the stanza, which XMPP does not allow (RFC 6120 section 11.1)",
                            null, false, null);
                }
            }
            return stanza;
        } catch (XmlRejectedException e) {
            if (e.head().isPresent()) {
                throw e;
            }
            throw new XmlRejectedException(e.reason(), e.getMessage(), recoverHead(xml), false, e.getCause());
        } catch (XMLStreamException | RuntimeException e) {
            XmlRejectedException refused = rejection(e, recoverHead(xml), false);
            if (refused.head().isEmpty() && refused.reason() == XmlRejectedException.Reason.POLICY_VIOLATION) {
                // a start tag over a cap: its head from the bytes, as for a stanza a stream reader framed
                byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
                throw new XmlRejectedException(refused.reason(), refused.getMessage(),
                        StartTags.firstHead(bytes, bytes.length), false, refused.getCause());
            }
            throw refused;
        } finally {
            closeQuietly(reader);
        }
    }

    /**
     * Reads the stanza whose start tag {@code reader} is positioned at, as a stream reader does once per stanza.
     * The reader should come from {@link XmppXml#inputFactory(XmlLimits)}.
     *
     * <p>On return the reader is positioned at the stanza's end tag; it has not read beyond it. After a
     * rejection, the reader can go on only when {@link XmlRejectedException#streamUsable()} says so (a
     * well-formed element that is not a stanza is skipped whole); otherwise the stream must be closed.
     *
     * @throws IllegalStateException when the reader is not at a start tag
     * @throws XmlRejectedException  when the stanza is refused; the message says why
     */
    public Stanza read(XMLStreamReader reader) throws XmlRejectedException {
        if (reader.getEventType() != XMLStreamConstants.START_ELEMENT) {
            throw new IllegalStateException("the reader must be positioned at a start tag, not at event "
                    + reader.getEventType());
        }
        XmlRejectedException.StanzaHead head = head(reader);
        StanzaReader stanzaReader = new StanzaReader(reader, limits);
        try {
            if (!STANZA_NAMES.contains(reader.getLocalName())
                    || !Namespaces.isStanzaNamespace(reader.getNamespaceURI())) {
                String name = reader.getLocalName();
                stanzaReader.skipStanza();
                throw new XmlRejectedException(XmlRejectedException.Reason.BAD_REQUEST,
                        "<" + name + "/> is not a stanza: expected iq, message or presence", head, true, null);
            }
            return (Stanza) unmarshallers.get().unmarshal(stanzaReader);
        } catch (JAXBException | XMLStreamException | RuntimeException e) {
            throw rejection(e, head, false);
        }
    }

    /**
     * Reads the stanza that is the first child of the root element of {@code document} (UTF-8), as a stream reader
     * frames a stanza inside an element that declares what the stream header declares: the same as positioning a
     * reader of {@link XmppXml#inputFactory(XmlLimits)} at that child and calling {@link #read(XMLStreamReader)},
     * with the same refusals.
     *
     * <p>A XEP-0357 publish of exactly the usual shape (a summary form and optional publish-options, nothing else)
     * is read without JAXB, into the same model, and when its bytes are plain enough (no entity or character
     * reference, no carriage return, no prefixed name inside the stanza) straight from the bytes without a StAX
     * reader; anything else goes through JAXB.
     *
     * @throws XMLStreamException    when no parser can be set up over the document
     * @throws XmlRejectedException  when the stanza is refused, its start tag included; the message says why
     */
    public Stanza readEnclosed(byte[] document) throws XMLStreamException, XmlRejectedException {
        return readEnclosed(Objects.requireNonNull(document, "document"), document.length);
    }

    /**
     * Like {@link #readEnclosed(byte[])}, for a document in the first {@code length} bytes of {@code buffer}: a
     * reader that frames stanzas into a buffer of its own reads them from it without a copy.
     *
     * @throws IndexOutOfBoundsException when {@code length} is negative or beyond the buffer
     * @throws XMLStreamException        when no parser can be set up over the document
     * @throws XmlRejectedException      when the stanza is refused (its start tag included: more attributes than
     *                                   the cap is {@code POLICY_VIOLATION}, bytes that are not well-formed UTF-8
     *                                   {@code NOT_WELL_FORMED}); the message says why
     */
    public Stanza readEnclosed(byte[] buffer, int length) throws XMLStreamException, XmlRejectedException {
        Objects.requireNonNull(buffer, "buffer");
        Objects.checkFromIndexSize(0, length, buffer.length);
        boolean withinCap = length <= limits.maxStanzaChars();
        if (withinCap) {
            Stanza publish = PublishReader.read(buffer, length);
            if (publish != null) {
                return publish;
            }
        }
        if (!Utf8.isWellFormed(buffer, 0, length)) {
            throw new XmlRejectedException(XmlRejectedException.Reason.NOT_WELL_FORMED,
                    "the stanza is not well-formed UTF-8 (RFC 3629; RFC 6120 section 11.6)", null, false, null);
        }
        if (withinCap) {
            Stanza publish = readPublish(buffer, length);
            if (publish != null) {
                return publish;
            }
        }
        XMLStreamReader reader = null;
        try {
            reader = reader(buffer, length);
            try {
                reader.nextTag();
                reader.nextTag();
            } catch (XMLStreamException e) {
                // the stanza's start tag: over a cap (one user's stanza, refused alone, answered when its head can
                // be read from the bytes) or not well-formed
                XmlRejectedException refused = rejection(e, null, false);
                throw refused.reason() != XmlRejectedException.Reason.POLICY_VIOLATION ? refused
                        : new XmlRejectedException(refused.reason(), refused.getMessage(),
                                StartTags.stanzaHead(buffer, length), false, refused.getCause());
            }
            return read(reader);
        } finally {
            closeQuietly(reader);
        }
    }

    /**
     * The publish in the first {@code length} bytes of {@code document} when it has exactly the shape
     * {@link PublishReader} reads, else null.
     */
    private Stanza readPublish(byte[] document, int length) {
        XMLStreamReader reader = null;
        try {
            reader = reader(document, length);
            if (reader.nextTag() != XMLStreamConstants.START_ELEMENT
                    || reader.nextTag() != XMLStreamConstants.START_ELEMENT) {
                return null;
            }
            return PublishReader.read(reader);
        } catch (XMLStreamException | RuntimeException e) {
            return null;
        } finally {
            closeQuietly(reader);
        }
    }

    /**
     * The publish in {@code xml} when it has exactly the shape {@link PublishReader} reads and only whitespace
     * around it, else null: a DTD, comment or processing instruction anywhere, or anything that fails, leaves the
     * input to the JAXB path, which gives it the answer it deserves.
     */
    private Stanza readPublish(String xml) {
        XMLStreamReader reader = null;
        try {
            reader = inputFactory.createXMLStreamReader(new StringReader(xml));
            if (!onlyWhitespaceUntil(reader, XMLStreamConstants.START_ELEMENT)) {
                return null;
            }
            Stanza publish = PublishReader.read(reader);
            return publish != null && onlyWhitespaceUntil(reader, XMLStreamConstants.END_DOCUMENT) ? publish : null;
        } catch (XMLStreamException | RuntimeException e) {
            return null;
        } finally {
            closeQuietly(reader);
        }
    }

    /** Moves to the next event of type {@code event}; {@code false} when anything but whitespace comes first. */
    private static boolean onlyWhitespaceUntil(XMLStreamReader reader, int event) throws XMLStreamException {
        while (reader.hasNext()) {
            int next = reader.next();
            if (next == event) {
                return true;
            }
            if (next != XMLStreamConstants.SPACE
                    && !(next == XMLStreamConstants.CHARACTERS && reader.isWhiteSpace())) {
                return false;
            }
        }
        return false;
    }

    /** A reader straight over the bytes, without the stream wrapper and encoding detection of an InputStream. */
    private XMLStreamReader reader(byte[] document, int length) throws XMLStreamException {
        Stax2ByteArraySource source = new Stax2ByteArraySource(document, 0, length);
        source.setEncoding("UTF-8");
        return ((XMLInputFactory2) inputFactory).createXMLStreamReader(source);
    }

    /** Writes {@code stanza} as a string. */
    public String write(Stanza stanza) {
        StringBuilder sb = new StringBuilder(256);
        try {
            marshal(stanza, sb);
        } catch (IOException e) {
            throw new IllegalStateException("a StringBuilder does not fail", e);
        }
        return sb.toString();
    }

    /**
     * Appends {@code stanza} to {@code out}, as {@link #write(Stanza)} writes it: a writer that reuses one buffer
     * for every stanza it writes builds no string per stanza. When writing fails, part of the stanza may have been
     * appended.
     *
     * @throws IllegalArgumentException when the stanza cannot be written
     */
    public void write(Stanza stanza, StringBuilder out) {
        try {
            marshal(stanza, out);
        } catch (IOException e) {
            throw new IllegalStateException("a StringBuilder does not fail", e);
        }
    }

    /** Writes {@code stanza} to {@code out}; does not flush or close it. */
    public void write(Stanza stanza, Writer out) throws IOException {
        marshal(stanza, out);
    }

    /** Writes {@code stanza} to {@code out} as UTF-8 and flushes it; does not close it. */
    public void write(Stanza stanza, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        marshal(stanza, w);
        w.flush();
    }

    private void marshal(Stanza stanza, Appendable out) throws IOException {
        Objects.requireNonNull(stanza, "stanza");
        if (stanza instanceof Iq && stanza.isAddressingOnly()) {
            writeAddressingOnly(stanza, out);
            return;
        }
        try {
            marshallers.get().marshal(stanza, new XmppStreamWriter(out));
        } catch (JAXBException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e.getLinkedException();
            while (cause != null) {
                if (cause instanceof IOException io) {
                    throw io;
                }
                cause = cause.getCause();
            }
            throw new IllegalArgumentException("cannot write " + stanza.elementName() + " stanza: " + e, e);
        }
    }

    /**
     * Writes an IQ that is only its addressing attributes (the answer to almost every publish) directly, in the
     * order and form JAXB writes it (an attribute without a value is left out): setting up a JAXB marshal for it
     * cost about as much as parsing the publish, and a stream writer's element stack is not needed for one empty
     * element.
     */
    private static void writeAddressingOnly(Stanza stanza, Appendable out) throws IOException {
        out.append('<').append(stanza.elementName());
        XmppStreamWriter.appendAttribute(out, "id", stanza.id());
        XmppStreamWriter.appendAttribute(out, "from", stanza.from());
        XmppStreamWriter.appendAttribute(out, "to", stanza.to());
        XmppStreamWriter.appendAttribute(out, "type", stanza.type());
        out.append("/>");
    }

    private static void moveToFirstElement(XMLStreamReader reader) throws XMLStreamException,
            XmlRejectedException {
        while (reader.getEventType() != XMLStreamConstants.START_ELEMENT) {
            switch (reader.next()) {
                case XMLStreamConstants.DTD -> throw new XmlRejectedException(
                        XmlRejectedException.Reason.RESTRICTED_XML,
                        "stanza contains a DTD, which XMPP does not allow (RFC 6120 section 11.1)", null, false, null);
                case XMLStreamConstants.PROCESSING_INSTRUCTION -> throw new XmlRejectedException(
                        XmlRejectedException.Reason.RESTRICTED_XML,
                        "stanza contains a processing instruction, which XMPP does not allow (RFC 6120 section 11.1)",
                        null, false, null);
                case XMLStreamConstants.COMMENT -> throw new XmlRejectedException(
                        XmlRejectedException.Reason.RESTRICTED_XML,
                        "stanza contains a comment, which XMPP does not allow (RFC 6120 section 11.1)", null, false,
                        null);
                case XMLStreamConstants.END_DOCUMENT -> throw new XmlRejectedException(
                        XmlRejectedException.Reason.NOT_WELL_FORMED, "no element found", null, false, null);
                default -> {
                }
            }
        }
    }

    private static XmlRejectedException.StanzaHead head(XMLStreamReader reader) {
        return new XmlRejectedException.StanzaHead(reader.getLocalName(), reader.getAttributeValue(null, "id"),
                reader.getAttributeValue(null, "type"), reader.getAttributeValue(null, "from"),
                reader.getAttributeValue(null, "to"));
    }

    /**
     * The start tag of a refused input, read again on its own: a DTD is skipped unread (never expanded), and
     * anything that fails means there is no head.
     */
    private XmlRejectedException.StanzaHead recoverHead(String xml) {
        XMLStreamReader reader = null;
        try {
            reader = inputFactory.createXMLStreamReader(new StringReader(xml));
            while (reader.hasNext()) {
                if (reader.next() == XMLStreamConstants.START_ELEMENT) {
                    return head(reader);
                }
            }
            return null;
        } catch (XMLStreamException | RuntimeException e) {
            return null;
        } finally {
            closeQuietly(reader);
        }
    }

    private static XmlRejectedException rejection(Exception e, XmlRejectedException.StanzaHead head,
                                                  boolean streamUsable) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof XmlRejectedException r) {
                return r;
            }
            if (t instanceof LimitExceededException limit) {
                return new XmlRejectedException(limit.reason(), limit.getMessage(), head, streamUsable, null);
            }
            Throwable next = t.getCause();
            if (next == null && t instanceof JAXBException j) {
                next = j.getLinkedException();
            }
            if (next == null && t instanceof XMLStreamException x) {
                next = x.getNestedException();
            }
            t = next == t ? null : next;
        }
        String detail = describe(e);
        String lower = detail.toLowerCase(Locale.ROOT);
        XmlRejectedException.Reason reason;
        if (lower.contains("limit") || lower.contains("maximum")) {
            reason = XmlRejectedException.Reason.POLICY_VIOLATION;
        } else if (isCharacterReference(lower)) {
            reason = XmlRejectedException.Reason.NOT_WELL_FORMED;
        } else if (lower.contains("entity") || lower.contains("dtd")) {
            reason = XmlRejectedException.Reason.RESTRICTED_XML;
        } else {
            reason = XmlRejectedException.Reason.NOT_WELL_FORMED;
        }
        return new XmlRejectedException(reason, reason.condition() + ": " + detail, head, streamUsable, e);
    }

    /**
     * Whether the parser's message is about a character reference ({@code &#1;}, a character XML does not allow):
     * XMPP allows character references (RFC 6120 section 11.1 restricts only other entity references), so such
     * input is not well-formed, not restricted. Woodstox calls them character entities.
     *
     * @param lower the message in lower case
     */
    private static boolean isCharacterReference(String lower) {
        return lower.contains("character entity") || lower.contains("character reference");
    }

    /** The parser's first line about the problem, without location noise and without the exception's class. */
    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof JAXBException)) {
            t = t.getCause();
        }
        if (t instanceof JAXBException j && j.getLinkedException() != null) {
            t = j.getLinkedException();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int at = msg.indexOf("\n at [");
        if (at >= 0) {
            msg = msg.substring(0, at);
        }
        int nl = msg.indexOf('\n');
        if (nl >= 0) {
            msg = msg.substring(0, nl);
        }
        if (msg.startsWith("ParseError at [")) {
            int close = msg.indexOf("]\nMessage: ");
            msg = close >= 0 ? msg.substring(close + 11) : msg;
        }
        if (msg.startsWith("[")) {
            int close = msg.indexOf("] ");
            msg = close >= 0 ? msg.substring(close + 2) : msg;
        }
        return msg.length() > 200 ? msg.substring(0, 200) + "…" : msg;
    }

    private static void closeQuietly(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // Closing a reader over a string releases nothing that could fail meaningfully.
            }
        }
    }
}
