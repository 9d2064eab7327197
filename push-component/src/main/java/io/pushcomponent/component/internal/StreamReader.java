package io.pushcomponent.component.internal;

import io.pushcomponent.component.internal.StreamFault.Condition;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.core.xml.XmlLimits;
import io.pushcomponent.core.xml.XmlRejectedException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the server's side of a XEP-0114 stream: the one path from the socket's bytes to parsed stanzas.
 *
 * <p>It works in two steps. A byte-level framer finds where each first-level child of the stream begins and ends,
 * tracking only what XML needs for that (tags, attribute quotes, CDATA sections) and counting the characters and
 * the nesting depth of the element as it goes; only a whole element that is within the caps is parsed, by
 * {@link StanzaCodec#read(XMLStreamReader)} over push-core's hardened StAX factory, inside an element that carries
 * the stream header's namespace declarations. So the caps hold before any parser buffers anything, and an element
 * over a cap is not a broken stream: its start tag (name, {@code id}, {@code type}, {@code from}, {@code to}) is kept,
 * the rest of its bytes are skipped without being kept (only their structure is followed, to find the end), and the
 * reader yields {@link Refused} with the stanza error to answer, then goes on with the next stanza.
 *
 * <p>Everything that breaks the stream itself throws a {@link StreamFault} with the RFC 6120 condition to send:
 * a DTD, comment, processing instruction or entity reference anywhere, the stream header included
 * ({@code restricted-xml}, §11.1); input that is not well-formed or not UTF-8 ({@code not-well-formed}, §11.6);
 * an encoding other than UTF-8 declared ({@code unsupported-encoding}); a header in the wrong namespace
 * ({@code invalid-namespace}); text between stanzas, or a second stream header ({@code bad-format}); a first-level
 * element that is not a stanza ({@code unsupported-stanza-type}). The server's own {@code <stream:error/>} is
 * yielded as {@link ServerError}. No DTD or external entity is ever loaded, so nothing is read from disk.
 *
 * <p><b>Thread-safety:</b> not thread-safe; one reader thread per connection. <b>Memory:</b> at most about four
 * bytes per character of {@link XmlLimits#maxStanzaChars()} are held, whatever the server sends.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-4.9">RFC 6120 §4.9 Stream Errors</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-11">RFC 6120 §11 XML Usage</a>
 */
final class StreamReader {
    static final String STREAMS_NS = "http://etherx.jabber.org/streams";
    static final String STREAM_ERRORS_NS = "urn:ietf:params:xml:ns:xmpp-streams";
    static final String COMPONENT_NS = "jabber:component:accept";
    private static final int MAX_ERROR_TEXT = 256;
    /**
     * Bytes waiting from which the server counts as sending faster than stanzas are handled one at a time
     * ({@link #backlogged()}): four of the usual publishes, half the read buffer.
     */
    static final int BACKLOG = 4096;

    /** What the reader yields. */
    sealed interface Event permits Header, Handshake, Framed, Received, Refused, ServerError, End {
    }

    /**
     * The server's stream header.
     *
     * @param id   the stream id the handshake is computed from; {@code null} when the header has none
     * @param from the server's {@code from}; may be {@code null}
     */
    record Header(String id, String from) implements Event {
    }

    /** The server accepted the handshake ({@code <handshake/>}). */
    record Handshake() implements Event {
    }

    /**
     * A whole stanza within the caps, framed but not yet parsed (only from {@link #frame()}); {@link #parse} parses
     * it. Its bytes are usually the reader's own buffer, which the next {@link #frame()} overwrites: parse it before
     * framing the next stanza, or parse its {@link #detach()} copy on another thread.
     *
     * @param bytes  from index 0, the element inside an element that declares what the stream header declares
     * @param length how many bytes of {@code bytes} that is
     */
    record Framed(byte[] bytes, int length) implements Event {
        /** A copy with bytes of its own, which framing the next stanza leaves alone. */
        Framed detach() {
            return new Framed(Arrays.copyOf(bytes, length), length);
        }
    }

    /** A stanza, parsed. */
    record Received(Stanza stanza) implements Event {
    }

    /**
     * A stanza that was refused and skipped; the stream goes on.
     *
     * @param reason     why, for the log; quotes nothing of the input
     * @param errorReply the stanza error to send back, when RFC 6120 §8.3 allows one; may be {@code null}
     */
    record Refused(String reason, Stanza errorReply) implements Event {
        /** The stanza error to send back, if any. */
        Optional<Stanza> reply() {
            return Optional.ofNullable(errorReply);
        }
    }

    /**
     * The server ended the stream with a stream error.
     *
     * @param condition the defined condition, e.g. {@code host-unknown}
     * @param text      the server's text, shortened; may be {@code null}
     */
    record ServerError(String condition, String text) implements Event {
    }

    /** The server closed its stream ({@code </stream:stream>}). */
    record End() implements Event {
    }

    /** The size of the buffer stanzas are framed in: 16 KiB. */
    private static final int FRAME_BUFFER = 16 * 1024;

    private static final Handshake HANDSHAKE = new Handshake();
    private static final End END = new End();

    private static final int OUTSIDE = 0;
    private static final int LT = 1;
    private static final int NAME = 2;
    private static final int ATTRS = 3;
    private static final int QUOTED = 4;
    private static final int END_TAG = 5;
    private static final int TEXT = 6;
    private static final int BANG = 7;
    private static final int CDATA = 8;
    private static final int DECL = 9;
    private static final int QMARK = 10;

    private static final int NEED_MORE = 0;
    private static final int HEADER_DONE = 1;
    private static final int ELEMENT_DONE = 2;
    private static final int SKIPPED = 3;
    private static final int STREAM_END = 4;

    private static final byte[] CDATA_OPEN = "[CDATA[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMENT_OPEN = "--".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] XML_DECL = "xml".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM = "stream".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "error".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HANDSHAKE_NAME = "handshake".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IQ = "iq".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PRESENCE = "presence".getBytes(StandardCharsets.US_ASCII);

    /** Bytes that end a run in each framer state; 0x80-0xBF (UTF-8 continuation bytes) are counted. */
    private static final boolean[] NAME_STOP = stops(" \t\r\n>/<'\"=", false);
    private static final boolean[] TAG_STOP = stops(">'\"<", true);
    private static final boolean[] VALUE_STOP = stops("'\"<&", true);
    private static final boolean[] TEXT_STOP = stops("<", true);
    private static final boolean[] END_TAG_STOP = stops(">", true);

    private final InputStream in;
    private final StanzaCodec codec;
    private final XMLInputFactory factory;
    private final int maxChars;
    private final int maxDepth;
    private final int maxBuffer;

    private byte[] buf = new byte[8192];
    /** Bytes the last read from the connection returned. */
    private int lastRead;
    private int pos;
    private int limit;
    private int state = OUTSIDE;
    private int depth;
    private byte quote;
    private boolean slash;
    private int brackets;
    /** Where the current first-level element (or, before the header, the stream) starts; -1 between elements. */
    private int elemStart;
    private int tagStart;
    private int nameStart;
    private int nameEnd;
    /** The end of the current first-level element's start tag; -1 while it is not complete. */
    private int headEnd = -1;
    /** UTF-8 continuation bytes in the current element, so that characters = bytes - continuations. */
    private int continuations;
    private boolean skipping;
    private String skipReason;
    private Stanza skipReply;
    private boolean headerSeen;
    private boolean handshakeSeen;
    private boolean ended;

    private byte[] wrapOpen;
    private byte[] wrapClose;
    private byte[] headerName;
    private byte[] errorName;
    private byte[] parseBuf = new byte[8192];
    /**
     * Where stanzas are framed for {@link Framed}, reused from one to the next (a publish is about 1 KB; an array
     * for each one was about a tenth of what a publish allocates). A stanza that does not fit gets an array of its
     * own rather than growing it.
     */
    private final byte[] frameBuf = new byte[FRAME_BUFFER];

    /**
     * A reader of {@code in}, which it reads from the first byte the server sends.
     *
     * @param factory push-core's hardened factory ({@code XmppXml.inputFactory(codec.limits())})
     */
    StreamReader(InputStream in, StanzaCodec codec, XMLInputFactory factory) {
        this.in = Objects.requireNonNull(in, "in");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.factory = Objects.requireNonNull(factory, "factory");
        XmlLimits limits = codec.limits();
        this.maxChars = limits.maxStanzaChars();
        this.maxDepth = limits.maxDepth();
        this.maxBuffer = 4 * maxChars + 64;
    }

    /**
     * The next event: first the {@link Header}, then {@link Handshake}, {@link Received}, {@link Refused} in the
     * order the server sent them, and last {@link ServerError} or {@link End}.
     *
     * @throws StreamFault  when the server's stream broke a rule; send its condition, close the stream
     * @throws EOFException when the connection ended without the stream being closed
     * @throws IOException  when reading the socket failed
     */
    Event next() throws IOException {
        Event e = frame();
        return e instanceof Framed framed ? parse(framed) : e;
    }

    /**
     * Like {@link #next()}, but a stanza within the caps comes as {@link Framed}, to be {@linkplain #parse parsed}
     * by the caller, on whichever thread it likes: the reader thread then only frames.
     *
     * @throws StreamFault  when the server's stream broke a rule; send its condition, close the stream
     * @throws EOFException when the connection ended without the stream being closed
     * @throws IOException  when reading the socket failed
     */
    Event frame() throws IOException {
        if (ended) {
            return END;
        }
        while (true) {
            int result = scan();
            switch (result) {
                case HEADER_DONE -> {
                    return header();
                }
                case ELEMENT_DONE -> {
                    Event e = element();
                    elemStart = -1;
                    headEnd = -1;
                    return e;
                }
                case SKIPPED -> {
                    Refused refused = new Refused(skipReason, skipReply);
                    skipping = false;
                    skipReason = null;
                    skipReply = null;
                    elemStart = -1;
                    headEnd = -1;
                    return refused;
                }
                case STREAM_END -> {
                    ended = true;
                    return END;
                }
                default -> {
                    checkCaps();
                    fill();
                }
            }
        }
    }

    /**
     * Whether the server is sending faster than stanzas are handled one at a time: at least {@value #BACKLOG} bytes
     * are read and not yet framed, or the last read from the connection returned that many (the socket held more
     * than one stanza's worth). Told from what was read, without asking the connection (no system call).
     */
    boolean backlogged() {
        return limit - pos >= BACKLOG || lastRead >= BACKLOG;
    }

    // ---- framing ----

    private int scan() throws StreamFault {
        final byte[] b = buf;
        final int lim = limit;
        int p = pos;
        int st = state;
        scan:
        while (p < lim) {
            switch (st) {
                case OUTSIDE -> {
                    byte c = b[p];
                    if (c == '<') {
                        tagStart = p;
                        if (depth > 0) {
                            elemStart = p;
                            continuations = 0;
                        }
                        st = LT;
                        p++;
                    } else if (isSpace(c)) {
                        p++;
                    } else {
                        pos = p;
                        throw strayText(b, p, lim);
                    }
                }
                case LT -> {
                    byte c = b[p];
                    if (c == '/') {
                        if (depth == 0) {
                            throw new StreamFault(Condition.NOT_WELL_FORMED, "the stream begins with an end tag");
                        }
                        st = END_TAG;
                        p++;
                    } else if (c == '!') {
                        st = BANG;
                        p++;
                    } else if (c == '?') {
                        st = QMARK;
                        p++;
                    } else if (isNameStart(c)) {
                        if (depth <= 1) {
                            nameStart = p;
                            st = NAME;
                        } else {
                            st = ATTRS;
                        }
                        p++;
                    } else if (depth == 0 && c == 0) {
                        throw utf16();
                    } else {
                        throw new StreamFault(Condition.NOT_WELL_FORMED, "'<' is not followed by a name");
                    }
                }
                case NAME -> {
                    while (p < lim) {
                        byte c = b[p];
                        if (NAME_STOP[c & 0xFF]) {
                            if (c == '>' || c == '/' || isSpace(c)) {
                                break;
                            }
                            throw new StreamFault(Condition.NOT_WELL_FORMED, "an element name is not well-formed");
                        }
                        p++;
                    }
                    if (p == lim) {
                        break scan;
                    }
                    if (depth <= 1) {
                        nameEnd = p;
                        if (depth == 1) {
                            checkFirstLevelName();
                        }
                    }
                    st = ATTRS;
                }
                case ATTRS -> {
                    int cont = continuations;
                    byte c = 0;
                    while (p < lim) {
                        c = b[p];
                        if (TAG_STOP[c & 0xFF]) {
                            if (c >= 0) {
                                break;
                            }
                            cont++;
                        }
                        p++;
                    }
                    continuations = cont;
                    if (p == lim) {
                        slash = b[lim - 1] == '/';
                        break scan;
                    }
                    if (c == '<') {
                        throw new StreamFault(Condition.NOT_WELL_FORMED, "'<' inside a start tag");
                    }
                    if (p > 0) {
                        slash = b[p - 1] == '/';
                    }
                    p++;
                    if (c == '>') {
                        int r = startTagEnd(p);
                        st = state;
                        if (r != NEED_MORE) {
                            pos = p;
                            return r;
                        }
                    } else {
                        quote = c;
                        st = QUOTED;
                    }
                }
                case QUOTED -> {
                    byte q = quote;
                    int cont = continuations;
                    while (p < lim) {
                        byte c = b[p];
                        if (VALUE_STOP[c & 0xFF]) {
                            if (c == q) {
                                break;
                            }
                            if (c < 0) {
                                cont++;
                            } else if (c == '<') {
                                throw new StreamFault(Condition.NOT_WELL_FORMED, "'<' inside an attribute value");
                            } else if (c == '&') {
                                continuations = cont;
                                int length = reference(b, p, lim);
                                if (length == 0) {
                                    break scan;
                                }
                                p += length;
                                continue;
                            }
                        }
                        p++;
                    }
                    continuations = cont;
                    if (p == lim) {
                        break scan;
                    }
                    p++;
                    st = ATTRS;
                }
                case TEXT -> {
                    int cont = continuations;
                    while (p < lim) {
                        byte c = b[p];
                        if (TEXT_STOP[c & 0xFF]) {
                            if (c == '<') {
                                break;
                            }
                            cont++;
                        }
                        p++;
                    }
                    continuations = cont;
                    if (p == lim) {
                        break scan;
                    }
                    tagStart = p++;
                    st = LT;
                    if (p < lim) {
                        byte next = b[p];
                        if (next == '/') {
                            st = END_TAG;
                            p++;
                        } else if (isNameStart(next)) {
                            st = ATTRS;
                            p++;
                        }
                    }
                }
                case END_TAG -> {
                    int cont = continuations;
                    while (p < lim) {
                        byte c = b[p];
                        if (END_TAG_STOP[c & 0xFF]) {
                            if (c == '>') {
                                break;
                            }
                            cont++;
                        }
                        p++;
                    }
                    continuations = cont;
                    if (p == lim) {
                        break scan;
                    }
                    p++;
                    int r = endTagEnd(p);
                    st = state;
                    if (r != NEED_MORE) {
                        pos = p;
                        return r;
                    }
                }
                case BANG -> {
                    byte c = b[p];
                    if (c == '-') {
                        int m = match(b, p, lim, COMMENT_OPEN);
                        if (m == 0) {
                            break scan;
                        }
                        throw m > 0 ? restricted("a comment") : notWellFormed("'<!-' does not open a comment");
                    } else if (c == '[') {
                        int m = match(b, p, lim, CDATA_OPEN);
                        if (m == 0) {
                            break scan;
                        }
                        if (m < 0) {
                            throw notWellFormed("'<![' does not open a CDATA section");
                        }
                        if (depth == 0) {
                            throw notWellFormed("a CDATA section before the stream header");
                        }
                        if (depth == 1) {
                            throw betweenStanzas("a CDATA section");
                        }
                        p += CDATA_OPEN.length;
                        brackets = 0;
                        st = CDATA;
                    } else if (c >= 'A' && c <= 'Z') {
                        throw restricted("a DTD or markup declaration");
                    } else {
                        throw notWellFormed("'<!' opens nothing XML knows");
                    }
                }
                case CDATA -> {
                    while (p < lim) {
                        byte c = b[p++];
                        if (c == '>' && brackets >= 2) {
                            st = TEXT;
                            continue scan;
                        }
                        brackets = c == ']' ? brackets + 1 : 0;
                        if (c < -64) {
                            continuations++;
                        }
                    }
                }
                case QMARK -> {
                    int m = match(b, p, lim, XML_DECL);
                    if (m == 0 || m > 0 && p + XML_DECL.length == lim) {
                        break scan;
                    }
                    boolean declaration = m > 0 && isSpace(b[p + XML_DECL.length]);
                    if (!declaration) {
                        throw restricted("a processing instruction");
                    }
                    if (depth == 1) {
                        throw secondHeader();
                    }
                    if (depth > 1) {
                        throw notWellFormed("an XML declaration inside a stanza");
                    }
                    p += XML_DECL.length;
                    slash = false;
                    st = DECL;
                }
                case DECL -> {
                    while (p < lim) {
                        byte c = b[p++];
                        if (c == '>' && slash) {
                            st = OUTSIDE;
                            continue scan;
                        }
                        slash = c == '?';
                    }
                }
                default -> throw new IllegalStateException("framer state " + st);
            }
        }
        pos = p;
        state = st;
        return NEED_MORE;
    }

    /** The start tag ending at {@code p} (just after its {@code >}) is complete. */
    private int startTagEnd(int p) throws StreamFault {
        if (depth == 0) {
            headEnd = p;
            depth = 1;
            state = OUTSIDE;
            return HEADER_DONE;
        }
        if (depth == 1) {
            headEnd = p;
        }
        if (slash) {
            if (depth == 1) {
                state = OUTSIDE;
                return skipping ? SKIPPED : ELEMENT_DONE;
            }
            state = TEXT;
            return NEED_MORE;
        }
        depth++;
        if (depth - 1 > maxDepth && !skipping) {
            startSkipping("the stanza nests elements deeper than " + maxDepth + " levels");
        }
        state = TEXT;
        return NEED_MORE;
    }

    private int endTagEnd(int p) throws StreamFault {
        depth--;
        if (depth == 0) {
            if (!sameName(buf, tagStart + 2, p - 1, headerName)) {
                throw notWellFormed("the end tag does not match the stream header");
            }
            state = OUTSIDE;
            return STREAM_END;
        }
        if (depth == 1) {
            state = OUTSIDE;
            return skipping ? SKIPPED : ELEMENT_DONE;
        }
        state = TEXT;
        return NEED_MORE;
    }

    /**
     * Checks a first-level element's name as soon as it is read, so that a second stream header is caught before
     * the reader waits for an end tag that never comes, no unknown element is ever skipped as a stanza, and the
     * server can never send the element that stands for a refused one in the parser's input. A name longer than
     * the size cap is no stanza's.
     */
    private void checkFirstLevelName() throws StreamFault {
        if (skipping) {
            throw unsupported();
        }
        int local = nameStart;
        for (int i = nameStart; i < nameEnd; i++) {
            if (buf[i] == ':') {
                local = i + 1;
            }
        }
        if (sameName(buf, local, nameEnd, STREAM)) {
            throw secondHeader();
        }
        if (!(sameName(buf, local, nameEnd, IQ) || sameName(buf, local, nameEnd, MESSAGE)
                || sameName(buf, local, nameEnd, PRESENCE) || sameName(buf, local, nameEnd, ERROR)
                || sameName(buf, nameStart, nameEnd, HANDSHAKE_NAME))) {
            throw unsupported();
        }
    }

    private void checkCaps() throws StreamFault {
        if (depth == 0) {
            if (pos > maxBuffer) {
                throw new StreamFault(Condition.POLICY_VIOLATION, "the stream header is larger than "
                        + maxBuffer + " bytes");
            }
            return;
        }
        if (!skipping && elemStart >= 0 && chars() > maxChars) {
            startSkipping("the stanza is larger than " + maxChars + " characters");
        }
    }

    private int chars() {
        return pos - elemStart - continuations;
    }

    /** From now on the element's bytes are skipped; its start tag, if complete, gives the stanza error to send. */
    private void startSkipping(String reason) throws StreamFault {
        skipping = true;
        skipReason = reason;
        if (headEnd >= 0) {
            skipReply = errorReply(head(elemStart, headEnd),
                    StanzaError.of(StanzaError.Type.MODIFY, StanzaError.Condition.POLICY_VIOLATION, reason));
        } else {
            skipReason = reason + "; its start tag alone passes the limit, so it is not answered";
        }
    }

    private void fill() throws IOException {
        int keep;
        if (depth == 0) {
            keep = 0;
        } else if (skipping) {
            keep = state == BANG || state == QMARK || state == LT ? tagStart : pos;
        } else if (elemStart >= 0) {
            keep = elemStart;
        } else {
            keep = pos;
        }
        if (keep > 0) {
            System.arraycopy(buf, keep, buf, 0, limit - keep);
            limit -= keep;
            pos -= keep;
            tagStart -= keep;
            nameStart -= keep;
            nameEnd -= keep;
            if (elemStart >= 0) {
                elemStart -= keep;
            }
            if (headEnd >= 0) {
                headEnd -= keep;
            }
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, Math.min(Math.max(buf.length * 2, 8192), maxBuffer + 8192));
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            throw new EOFException(depth == 0 ? "the server closed the connection before its stream header"
                    : "the server closed the connection without closing the stream");
        }
        limit += n;
        lastRead = n;
    }

    // ---- parsing ----

    private Header header() throws StreamFault {
        headerSeen = true;
        boolean empty = slash;
        XMLStreamReader r = null;
        try {
            requireUtf8(buf, 0, headEnd);
            r = factory.createXMLStreamReader(new ByteArrayInputStream(buf, 0, headEnd), "UTF-8");
            while (r.next() != XMLStreamConstants.START_ELEMENT) {
                if (r.getEventType() == XMLStreamConstants.DTD) {
                    throw restricted("a DTD");
                }
            }
            String encoding = r.getCharacterEncodingScheme();
            if (encoding != null && !"UTF-8".equalsIgnoreCase(encoding)) {
                throw new StreamFault(Condition.UNSUPPORTED_ENCODING, "the stream is declared as " + shorten(encoding)
                        + "; XMPP streams are UTF-8 (RFC 6120 section 11.6)");
            }
            if (!STREAMS_NS.equals(r.getNamespaceURI())) {
                throw new StreamFault(Condition.INVALID_NAMESPACE, "the stream header is not in the namespace "
                        + STREAMS_NS);
            }
            if (!"stream".equals(r.getLocalName())) {
                throw new StreamFault(Condition.BAD_FORMAT, "the stream header is not a <stream/> element");
            }
            String content = r.getNamespaceContext().getNamespaceURI("");
            if (!COMPONENT_NS.equals(content)) {
                throw new StreamFault(Condition.INVALID_NAMESPACE, "the stream's content namespace is not "
                        + COMPONENT_NS);
            }
            String qname = r.getPrefix() == null || r.getPrefix().isEmpty() ? "stream" : r.getPrefix() + ":stream";
            headerName = qname.getBytes(StandardCharsets.UTF_8);
            errorName = (r.getPrefix() == null || r.getPrefix().isEmpty() ? "error" : r.getPrefix() + ":error")
                    .getBytes(StandardCharsets.UTF_8);
            StringBuilder open = new StringBuilder("<").append(qname);
            for (int i = 0; i < r.getNamespaceCount(); i++) {
                String prefix = r.getNamespacePrefix(i);
                open.append(prefix == null || prefix.isEmpty() ? " xmlns" : " xmlns:" + prefix).append("='")
                        .append(escapeAttribute(r.getNamespaceURI(i))).append('\'');
            }
            wrapOpen = open.append('>').toString().getBytes(StandardCharsets.UTF_8);
            wrapClose = ("</" + qname + ">").getBytes(StandardCharsets.UTF_8);
            Header header = new Header(r.getAttributeValue(null, "id"), r.getAttributeValue(null, "from"));
            if (empty) {
                ended = true;
            }
            return header;
        } catch (XMLStreamException e) {
            throw faultOf(e, true);
        } finally {
            close(r);
            elemStart = -1;
            headEnd = -1;
        }
    }

    private Event element() throws StreamFault {
        if (chars() > maxChars) {
            startSkipping("the stanza is larger than " + maxChars + " characters");
            Refused refused = new Refused(skipReason, skipReply);
            skipping = false;
            skipReason = null;
            skipReply = null;
            return refused;
        }
        int local = nameStart;
        for (int i = nameStart; i < nameEnd; i++) {
            if (buf[i] == ':') {
                local = i + 1;
            }
        }
        if (sameName(buf, nameStart, nameEnd, HANDSHAKE_NAME)) {
            if (handshakeSeen) {
                throw new StreamFault(Condition.UNSUPPORTED_STANZA_TYPE, "the server sent a second <handshake/>");
            }
            handshakeSeen = true;
            return HANDSHAKE;
        }
        if (sameName(buf, local, nameEnd, ERROR)) {
            return serverError();
        }
        if (!handshakeSeen) {
            throw new StreamFault(Condition.NOT_AUTHORIZED, "the server sent a stanza before it accepted the"
                    + " handshake");
        }
        int n = pos - elemStart;
        int length = wrapOpen.length + n + wrapClose.length;
        byte[] bytes = length <= frameBuf.length ? frameBuf : new byte[length];
        System.arraycopy(wrapOpen, 0, bytes, 0, wrapOpen.length);
        System.arraycopy(buf, elemStart, bytes, wrapOpen.length, n);
        System.arraycopy(wrapClose, 0, bytes, wrapOpen.length + n, wrapClose.length);
        return new Framed(bytes, length);
    }

    /**
     * Parses a stanza that {@link #frame()} framed: {@link Received}, or {@link Refused} when it is over a cap that
     * only parsing finds. Thread-safe: it uses nothing of the framing state, so it may run on any thread.
     *
     * @throws StreamFault when the stanza breaks the stream (restricted or not well-formed XML, not a stanza)
     */
    Event parse(Framed framed) throws StreamFault {
        try {
            return new Received(codec.readEnclosed(framed.bytes(), framed.length()));
        } catch (XmlRejectedException e) {
            return switch (e.reason()) {
                case POLICY_VIOLATION -> new Refused(e.getMessage(), e.head().map(h -> errorReply(h,
                        e.toStanzaError())).orElse(null));
                case RESTRICTED_XML -> throw new StreamFault(Condition.RESTRICTED_XML, e.getMessage());
                case NOT_WELL_FORMED -> throw new StreamFault(Condition.NOT_WELL_FORMED, e.getMessage());
                case BAD_REQUEST -> throw unsupported();
            };
        } catch (XMLStreamException e) {
            throw faultOf(e, false);
        }
    }

    private ServerError serverError() throws StreamFault {
        if (!sameName(buf, nameStart, nameEnd, errorName)) {
            throw unsupported();
        }
        XMLStreamReader r = null;
        try {
            r = open(elemStart, pos, true);
            r.nextTag();
            r.nextTag();
            String condition = null;
            String text = null;
            int level = 1;
            while (level > 0) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    level++;
                    if (level == 2 && STREAM_ERRORS_NS.equals(r.getNamespaceURI())) {
                        if ("text".equals(r.getLocalName())) {
                            text = shorten(r.getElementText());
                            level--;
                        } else if (condition == null) {
                            condition = r.getLocalName();
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    level--;
                }
            }
            ended = true;
            return new ServerError(condition == null ? "undefined-condition" : condition, text);
        } catch (XMLStreamException e) {
            throw faultOf(e, false);
        } finally {
            close(r);
        }
    }

    /** The start tag between {@code from} and {@code to}, read on its own (never expanded, never loaded). */
    private XmlRejectedException.StanzaHead head(int from, int to) throws StreamFault {
        XMLStreamReader r = null;
        try {
            r = open(from, to, false);
            r.nextTag();
            r.nextTag();
            if (!isStanzaNamespace(r.getNamespaceURI())) {
                throw unsupported();
            }
            return new XmlRejectedException.StanzaHead(r.getLocalName(), r.getAttributeValue(null, "id"),
                    r.getAttributeValue(null, "type"), r.getAttributeValue(null, "from"),
                    r.getAttributeValue(null, "to"));
        } catch (XMLStreamException e) {
            throw faultOf(e, false);
        } finally {
            close(r);
        }
    }

    private static boolean isStanzaNamespace(String ns) {
        return ns == null || ns.isEmpty() || COMPONENT_NS.equals(ns) || "jabber:client".equals(ns)
                || "jabber:server".equals(ns);
    }

    /** A reader over the element's bytes inside an element that declares what the stream header declares. */
    private XMLStreamReader open(int from, int to, boolean closed) throws XMLStreamException, StreamFault {
        requireUtf8(buf, from, to);
        int n = wrapOpen.length + (to - from) + wrapClose.length;
        if (parseBuf.length < n) {
            parseBuf = new byte[Math.max(n, parseBuf.length * 2)];
        }
        System.arraycopy(wrapOpen, 0, parseBuf, 0, wrapOpen.length);
        System.arraycopy(buf, from, parseBuf, wrapOpen.length, to - from);
        int len = wrapOpen.length + (to - from);
        if (closed) {
            System.arraycopy(wrapClose, 0, parseBuf, len, wrapClose.length);
            len += wrapClose.length;
        }
        return factory.createXMLStreamReader(new ByteArrayInputStream(parseBuf, 0, len), "UTF-8");
    }

    /**
     * The stanza error answering a refused stanza, as RFC 6120 §8.3 allows: to an IQ request ({@code get} or
     * {@code set}) with an {@code id}, to a message or presence that is not itself an error; never to an error or
     * an IQ response.
     */
    static Stanza errorReply(XmlRejectedException.StanzaHead head, StanzaError error) {
        return head == null ? null
                : error.replyTo(head.name(), head.id(), head.type(), head.from(), head.to()).orElse(null);
    }

    // ---- faults ----

    private StreamFault strayText(byte[] b, int from, int to) {
        if (depth == 0) {
            return isUtf16(b, from, to) ? utf16() : notWellFormed("the server sent text before its stream header");
        }
        int end = from;
        while (end < to && end - from < 4096 && b[end] != '<') {
            end++;
        }
        CharBuffer chars = CharBuffer.allocate(end - from);
        if (strictUtf8().decode(ByteBuffer.wrap(b, from, end - from), chars, false).isError()) {
            return notUtf8();
        }
        chars.flip();
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
                return notWellFormed("the stream contains a character XML does not allow");
            }
            if (c == '&' && !isPredefinedReference(chars, i)) {
                return restricted("an entity reference");
            }
        }
        return betweenStanzas("text");
    }

    private static boolean isPredefinedReference(CharBuffer chars, int amp) {
        String rest = chars.subSequence(amp + 1, Math.min(chars.length(), amp + 12)).toString();
        int semi = rest.indexOf(';');
        if (semi < 0) {
            return true;
        }
        String name = rest.substring(0, semi);
        return name.equals("amp") || name.equals("lt") || name.equals("gt") || name.equals("quot")
                || name.equals("apos") || name.matches("#[0-9]+|#x[0-9a-fA-F]+");
    }

    /**
     * Checks that {@code b[from, to)} is well-formed UTF-8 before a parser sees it: Woodstox decodes overlong forms
     * (RFC 3629 forbids them), the JDK's decoder refuses them.
     */
    private static void requireUtf8(byte[] b, int from, int to) throws StreamFault {
        if (strictUtf8().decode(ByteBuffer.wrap(b, from, to - from), CharBuffer.allocate(to - from), true)
                .isError()) {
            throw notUtf8();
        }
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** A UTF-16 byte order mark, or {@code <} as UTF-16 big-endian ({@code 00 3C}), where the stream begins. */
    private static boolean isUtf16(byte[] b, int from, int to) {
        if (to - from < 2) {
            return false;
        }
        int b0 = b[from] & 0xFF;
        int b1 = b[from + 1] & 0xFF;
        return b0 == 0xFE && b1 == 0xFF || b0 == 0xFF && b1 == 0xFE || b0 == 0 && b1 == '<';
    }

    /** A stream in UTF-16 (detected by its first bytes, as XML 1.0 appendix F does): not XMPP's encoding. */
    private static StreamFault utf16() {
        return new StreamFault(Condition.UNSUPPORTED_ENCODING, "the stream is in UTF-16; XMPP streams are UTF-8"
                + " (RFC 6120 section 11.6)");
    }

    private static StreamFault notUtf8() {
        return notWellFormed("the stream is not valid UTF-8 (RFC 3629; RFC 6120 section 11.6)");
    }

    private static StreamFault restricted(String what) {
        return new StreamFault(Condition.RESTRICTED_XML, "the server sent " + what
                + ", which XMPP does not allow (RFC 6120 section 11.1)");
    }

    private static StreamFault notWellFormed(String what) {
        return new StreamFault(Condition.NOT_WELL_FORMED, what);
    }

    private static StreamFault betweenStanzas(String what) {
        return new StreamFault(Condition.BAD_FORMAT, "the server sent " + what + " between stanzas, where a stream"
                + " holds only elements (RFC 6120 section 4.9.3.1)");
    }

    /**
     * A second stream header inside the stream. RFC 6120 restarts a stream only after TLS or SASL negotiation
     * (§4.3.3), which XEP-0114 has none of, so this is never a restart. It is not a stanza either (so not
     * {@code unsupported-stanza-type}), and with an XML declaration in front it is not even well-formed; the one
     * condition true of every form it takes is {@code bad-format}, "XML that cannot be processed" (§4.9.3.1).
     */
    private static StreamFault secondHeader() {
        return new StreamFault(Condition.BAD_FORMAT, "the server sent a second stream header inside the stream,"
                + " which XEP-0114 never restarts (RFC 6120 sections 4.3.3 and 4.9.3.1)");
    }

    private static StreamFault unsupported() {
        return new StreamFault(Condition.UNSUPPORTED_STANZA_TYPE, "the server sent a first-level element that is"
                + " not a stanza of a component stream (RFC 6120 section 4.9.3.24)");
    }

    private static StreamFault faultOf(XMLStreamException e, boolean header) {
        String detail = detail(e);
        String lower = detail.toLowerCase(Locale.ROOT);
        if ((lower.contains("entity") || lower.contains("dtd")) && !lower.contains("character entity")) {
            return restricted("an entity reference or a DTD");
        }
        if (header && lower.contains("undeclared namespace prefix")) {
            return new StreamFault(Condition.BAD_NAMESPACE_PREFIX, "the stream header uses an undeclared namespace"
                    + " prefix");
        }
        return notWellFormed((header ? "the stream header is not well-formed: " : "not well-formed: ") + detail);
    }

    private static String detail(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int close = msg.indexOf("]\nMessage: ");
        if (msg.startsWith("ParseError at [") && close >= 0) {
            msg = msg.substring(close + 11);
        }
        int nl = msg.indexOf('\n');
        return shorten(nl < 0 ? msg : msg.substring(0, nl));
    }

    // ---- helpers ----

    private static String shorten(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.length() > MAX_ERROR_TEXT ? t.substring(0, MAX_ERROR_TEXT) + "…" : t;
    }

    private static String escapeAttribute(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;");
    }

    private static void close(XMLStreamReader r) {
        if (r != null) {
            try {
                r.close();
            } catch (XMLStreamException e) {
                // a reader over a byte array holds nothing that could fail to close
            }
        }
    }

    /**
     * Checks the reference starting with the {@code &} at {@code p} in an attribute value, where the parser would
     * drop an undeclared entity silently: only the five predefined entities and character references are XMPP.
     *
     * @return the reference's length, or 0 when more bytes are needed to tell
     */
    private static int reference(byte[] b, int p, int lim) throws StreamFault {
        for (int j = p + 1; j < lim; j++) {
            byte c = b[j];
            if (c == ';') {
                String name = new String(b, p + 1, j - p - 1, StandardCharsets.US_ASCII);
                if (name.equals("amp") || name.equals("lt") || name.equals("gt") || name.equals("quot")
                        || name.equals("apos") || name.matches("#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}")) {
                    return j - p + 1;
                }
                if (name.isEmpty() || name.charAt(0) == '#') {
                    throw notWellFormed("a character reference is not well-formed");
                }
                throw restricted("an entity reference");
            }
            if (j - p > 12) {
                throw restricted("an entity reference");
            }
            if (!(isNameStart(c) || c >= '0' && c <= '9' || c == '#' || c == '-' || c == '.')) {
                throw notWellFormed("'&' starts no reference");
            }
        }
        return 0;
    }

    /** 1 when {@code b[p..]} starts with {@code pattern}, -1 when it cannot, 0 when more bytes are needed. */
    private static int match(byte[] b, int p, int lim, byte[] pattern) {
        for (int i = 0; i < pattern.length; i++) {
            if (p + i >= lim) {
                return 0;
            }
            if (b[p + i] != pattern[i]) {
                return -1;
            }
        }
        return 1;
    }

    private static boolean sameName(byte[] b, int from, int to, byte[] name) {
        int end = to;
        while (end > from && isSpace(b[end - 1])) {
            end--;
        }
        return end - from == name.length && Arrays.equals(b, from, end, name, 0, name.length);
    }

    private static boolean[] stops(String ascii, boolean continuations) {
        boolean[] table = new boolean[256];
        for (char c : ascii.toCharArray()) {
            table[c] = true;
        }
        if (continuations) {
            Arrays.fill(table, 0x80, 0xC0, true);
        }
        return table;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private static boolean isNameStart(byte c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c < 0;
    }
}
