package io.pushcomponent.core.xml.internal;

import io.pushcomponent.core.xml.Namespaces;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.xml.stream.XMLStreamConstants;

/**
 * The events of a stanza read straight from its UTF-8 bytes, for {@link PublishReader}: a publish of the usual
 * shape is read without setting up a StAX reader (which allocated more than half of what a publish cost) and
 * without decoding the bytes into characters first.
 *
 * <p>It reads a strict subset of well-formed XML and nothing else, so that whatever it reads a StAX reader reads
 * the same way: the document is a root element whose attributes are only namespace declarations, whose name may
 * have a prefix it declares itself, and whose first child, after optional whitespace, is the stanza. Inside the
 * stanza, element names are those of the publish shape, unprefixed; attributes are {@code xmlns} (one of the
 * namespaces of the shape or of a stanza) and those the shape uses, each at most once, unprefixed, with whitespace
 * before each, quoted with {@code '} or {@code "}; an end tag must name the element it ends; text and attribute
 * values are valid UTF-8 of characters from U+0020 (and, in text, tab and line feed) with neither C1 controls nor
 * U+FFFE/U+FFFF. Anything else (an entity or character reference, a carriage return, a CDATA section, a comment, a
 * processing instruction, a DTD, {@code ]]>} in text, a prefixed name, another namespace or attribute, bytes that
 * end before the stanza does) is an event of no StAX type, on which {@link PublishReader} gives up, or a refusal
 * by {@link #open}; the caller then reads the stanza with a StAX reader, which gives it the model or the answer it
 * deserves. After the stanza's end tag only the characters are checked (see {@link #restIsPlain()}), not the
 * structure, as a StAX reader positioned there has not parsed it.
 *
 * <p>Not thread-safe: one per thread ({@link #ofThisThread()}), reused from one stanza to the next; it keeps no
 * reference to a document after {@link #close()}.
 */
final class ByteEvents implements PublishReader.Events {
    /** An event of no StAX type: something this reader leaves to a full parser. */
    static final int OTHER = -1;
    /** The root element and the 8 levels of the publish shape, and one more, which the shape never reaches. */
    private static final int MAX_DEPTH = 10;
    private static final int MAX_ATTRIBUTES = 8;

    private static final ThreadLocal<ByteEvents> PER_THREAD = ThreadLocal.withInitial(ByteEvents::new);

    private static final String[] ELEMENTS = {"iq", "pubsub", "publish", "item", "notification", "x", "field",
            "value", "publish-options"};
    private static final String[] ATTRIBUTES = {"id", "from", "to", "type", "node", "var", "label"};
    private static final String[] NAMESPACES = {"", Namespaces.COMPONENT_ACCEPT, Namespaces.CLIENT,
            Namespaces.SERVER, Namespaces.PUBSUB, Namespaces.PUSH, Namespaces.DATA};
    /**
     * Attribute values and texts that every publish repeats (the IQ type, the forms' types, field types and names,
     * form types): one shared string each instead of a new one per publish.
     */
    private static final String[] COMMON_VALUES = {"set", "form", "submit", "hidden", "text-single", "jid-single",
            "FORM_TYPE", "secret", "message-count", "pending-subscription-count", "last-message-sender",
            "last-message-body", Namespaces.PUSH_SUMMARY, Namespaces.PUSH_SUMMARY_LEGACY,
            Namespaces.PUBSUB_PUBLISH_OPTIONS, "0", "1"};
    private static final byte[][] COMMON_VALUE_BYTES = ascii(COMMON_VALUES);
    private static final byte[][] ELEMENT_BYTES = ascii(ELEMENTS);
    private static final byte[][] ATTRIBUTE_BYTES = ascii(ATTRIBUTES);
    private static final byte[][] NAMESPACE_BYTES = ascii(NAMESPACES);
    private static final byte[] XMLNS = "xmlns".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] XML = "xml".getBytes(StandardCharsets.US_ASCII);

    private byte[] b;
    private int limit;
    private int pos;

    private String localName;
    private String namespace;
    private boolean pendingEnd;
    private int attributeCount;
    private final String[] attributeNames = new String[MAX_ATTRIBUTES];
    private final int[] valueStart = new int[MAX_ATTRIBUTES];
    private final int[] valueEnd = new int[MAX_ATTRIBUTES];
    private final boolean[] valueAscii = new boolean[MAX_ATTRIBUTES];
    private int textStart;
    private int textEnd;
    private boolean textAscii;
    private boolean textWhite;

    private int depth;
    private final int[] nameStart = new int[MAX_DEPTH];
    private final int[] nameEnd = new int[MAX_DEPTH];
    private final String[] namespaces = new String[MAX_DEPTH];
    /** The root's namespace declarations' prefixes, -1 for the default namespace's. */
    private final int[] prefixStarts = new int[MAX_ATTRIBUTES];
    private final int[] prefixEnds = new int[MAX_ATTRIBUTES];

    private ByteEvents() {
    }

    /** This thread's reader. */
    static ByteEvents ofThisThread() {
        return PER_THREAD.get();
    }

    /**
     * Starts reading the document in the first {@code length} bytes of {@code document} and moves to the stanza's
     * start tag.
     *
     * @return {@code false} when the document does not begin as this reader requires, or its first child is not
     *         an element of the shape: nothing is known about the input then
     */
    boolean open(byte[] document, int length) {
        b = document;
        limit = length;
        pos = 0;
        depth = 0;
        pendingEnd = false;
        return root() && nextTag() == XMLStreamConstants.START_ELEMENT;
    }

    /** Drops the reference to the document. */
    void close() {
        b = null;
        localName = null;
        namespace = null;
    }

    /**
     * Whether the bytes after the current position hold only characters XML allows, in well-formed UTF-8: a StAX
     * reader decodes and checks its whole input buffer before it parses, so it refuses a short document with a
     * bad byte anywhere, even after the stanza.
     */
    boolean restIsPlain() {
        int p = pos;
        while (p < limit) {
            int c = b[p] & 0xFF;
            if (c >= 0x80) {
                int n = utf8(p);
                if (n == 0) {
                    return false;
                }
                p += n;
            } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F) {
                return false;
            } else {
                p++;
            }
        }
        return true;
    }

    // ---- PublishReader.Events ----

    @Override
    public int next() {
        if (pendingEnd) {
            pendingEnd = false;
            depth--;
            return XMLStreamConstants.END_ELEMENT;
        }
        if (pos >= limit) {
            return OTHER;
        }
        if (b[pos] != '<') {
            return text();
        }
        if (pos + 1 >= limit) {
            return OTHER;
        }
        byte c = b[pos + 1];
        if (c == '/') {
            return endTag();
        }
        return isNameStart(c) ? startTag() : OTHER;
    }

    @Override
    public String getLocalName() {
        return localName;
    }

    @Override
    public String getNamespaceURI() {
        return namespace;
    }

    @Override
    public int getAttributeCount() {
        return attributeCount;
    }

    @Override
    public String getAttributeNamespace(int index) {
        return "";
    }

    @Override
    public String getAttributeLocalName(int index) {
        return attributeNames[index];
    }

    @Override
    public String getAttributeValue(int index) {
        return string(valueStart[index], valueEnd[index], valueAscii[index]);
    }

    @Override
    public String getAttributeValue(String namespaceUri, String name) {
        if (namespaceUri != null && !namespaceUri.isEmpty()) {
            return null;
        }
        for (int i = 0; i < attributeCount; i++) {
            if (attributeNames[i].equals(name)) {
                return getAttributeValue(i);
            }
        }
        return null;
    }

    @Override
    public String getText() {
        return string(textStart, textEnd, textAscii);
    }

    @Override
    public boolean isWhiteSpace() {
        return textWhite;
    }

    @Override
    public void appendText(StringBuilder to) {
        to.append(getText());
    }

    // ---- reading ----

    /** The root element's start tag: namespace declarations only, its prefix (if any) declared by itself. */
    private boolean root() {
        skipSpace();
        if (pos >= limit || b[pos] != '<') {
            return false;
        }
        pos++;
        int start = pos;
        if (!name()) {
            return false;
        }
        int colon = -1;
        if (pos < limit && b[pos] == ':') {
            colon = pos;
            pos++;
            if (!name()) {
                return false;
            }
        }
        int end = pos;
        boolean prefixDeclared = colon < 0;
        boolean defaultSeen = false;
        String ns = "";
        int declarations = 0;
        while (true) {
            int spaces = skipSpace();
            if (pos >= limit) {
                return false;
            }
            if (b[pos] == '>') {
                pos++;
                break;
            }
            int attrStart = pos;
            if (spaces == 0 || !name() || !sameRange(attrStart, pos, XMLNS)) {
                return false;
            }
            int prefixStart = -1;
            int prefixEnd = -1;
            if (pos < limit && b[pos] == ':') {
                pos++;
                prefixStart = pos;
                if (!name()) {
                    return false;
                }
                prefixEnd = pos;
            }
            if (declarations == MAX_ATTRIBUTES || !value(declarations)) {
                return false;
            }
            if (prefixStart < 0) {
                ns = known(NAMESPACES, NAMESPACE_BYTES, valueStart[declarations], valueEnd[declarations]);
                if (defaultSeen || ns == null) {
                    return false;
                }
                defaultSeen = true;
            } else {
                if (valueEnd[declarations] == valueStart[declarations] || sameRange(prefixStart, prefixEnd, XML)
                        || sameRange(prefixStart, prefixEnd, XMLNS)) {
                    return false;
                }
                for (int i = 0; i < declarations; i++) {
                    if (prefixStarts[i] >= 0 && sameRange(prefixStarts[i], prefixEnds[i], prefixStart, prefixEnd)) {
                        return false;
                    }
                }
                if (colon >= 0 && sameRange(start, colon, prefixStart, prefixEnd)) {
                    prefixDeclared = true;
                }
            }
            prefixStarts[declarations] = prefixStart;
            prefixEnds[declarations] = prefixEnd;
            declarations++;
        }
        if (!prefixDeclared) {
            return false;
        }
        nameStart[0] = start;
        nameEnd[0] = end;
        namespaces[0] = ns;
        depth = 1;
        return true;
    }

    /** The next start or end tag over whitespace, or {@link #OTHER}. */
    private int nextTag() {
        while (true) {
            int event = next();
            if (event != XMLStreamConstants.CHARACTERS) {
                return event;
            }
            if (!textWhite) {
                return OTHER;
            }
        }
    }

    private int startTag() {
        pos++;
        int start = pos;
        if (!name() || pos < limit && b[pos] == ':' || depth >= MAX_DEPTH) {
            return OTHER;
        }
        int end = pos;
        String name = known(ELEMENTS, ELEMENT_BYTES, start, end);
        if (name == null) {
            return OTHER;
        }
        String ns = namespaces[depth - 1];
        boolean nsSeen = false;
        int count = 0;
        boolean empty;
        while (true) {
            int spaces = skipSpace();
            if (pos >= limit) {
                return OTHER;
            }
            byte c = b[pos];
            if (c == '>') {
                pos++;
                empty = false;
                break;
            }
            if (c == '/') {
                if (pos + 1 < limit && b[pos + 1] == '>') {
                    pos += 2;
                    empty = true;
                    break;
                }
                return OTHER;
            }
            int attrStart = pos;
            if (spaces == 0 || !name() || pos < limit && b[pos] == ':') {
                return OTHER;
            }
            int attrEnd = pos;
            if (count == MAX_ATTRIBUTES || !value(count)) {
                return OTHER;
            }
            if (sameRange(attrStart, attrEnd, XMLNS)) {
                if (nsSeen) {
                    return OTHER;
                }
                nsSeen = true;
                ns = known(NAMESPACES, NAMESPACE_BYTES, valueStart[count], valueEnd[count]);
                if (ns == null) {
                    return OTHER;
                }
                continue;
            }
            String attribute = known(ATTRIBUTES, ATTRIBUTE_BYTES, attrStart, attrEnd);
            if (attribute == null) {
                return OTHER;
            }
            for (int i = 0; i < count; i++) {
                if (attributeNames[i] == attribute) {
                    return OTHER;
                }
            }
            attributeNames[count++] = attribute;
        }
        nameStart[depth] = start;
        nameEnd[depth] = end;
        namespaces[depth] = ns;
        depth++;
        localName = name;
        namespace = ns;
        attributeCount = count;
        pendingEnd = empty;
        return XMLStreamConstants.START_ELEMENT;
    }

    private int endTag() {
        pos += 2;
        int start = pos;
        if (depth < 2 || !name()) {
            return OTHER;
        }
        int top = depth - 1;
        if (!sameRange(nameStart[top], nameEnd[top], start, pos)) {
            return OTHER;
        }
        skipSpace();
        if (pos >= limit || b[pos] != '>') {
            return OTHER;
        }
        pos++;
        depth--;
        return XMLStreamConstants.END_ELEMENT;
    }

    /** Text up to the next {@code <}. */
    private int text() {
        int start = pos;
        boolean ascii = true;
        boolean white = true;
        while (pos < limit) {
            int c = b[pos] & 0xFF;
            if (c == '<') {
                textStart = start;
                textEnd = pos;
                textAscii = ascii;
                textWhite = white;
                return XMLStreamConstants.CHARACTERS;
            }
            if (c >= 0x80) {
                int n = utf8(pos);
                if (n == 0) {
                    return OTHER;
                }
                ascii = false;
                white = false;
                pos += n;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\n') {
                pos++;
                continue;
            }
            if (c < 0x20 || c == 0x7F || c == '&'
                    || c == '>' && pos - start >= 2 && b[pos - 1] == ']' && b[pos - 2] == ']') {
                return OTHER;
            }
            white = false;
            pos++;
        }
        return OTHER;
    }

    /**
     * Reads {@code S? = S? 'value'} after an attribute name into slot {@code slot}: a value without {@code <},
     * {@code &}, or a character below U+0020.
     */
    private boolean value(int slot) {
        skipSpace();
        if (pos >= limit || b[pos] != '=') {
            return false;
        }
        pos++;
        skipSpace();
        if (pos >= limit) {
            return false;
        }
        byte quote = b[pos];
        if (quote != '\'' && quote != '"') {
            return false;
        }
        pos++;
        int start = pos;
        boolean ascii = true;
        while (pos < limit) {
            int c = b[pos] & 0xFF;
            if (c == quote) {
                valueStart[slot] = start;
                valueEnd[slot] = pos;
                valueAscii[slot] = ascii;
                pos++;
                return true;
            }
            if (c >= 0x80) {
                int n = utf8(pos);
                if (n == 0) {
                    return false;
                }
                ascii = false;
                pos += n;
                continue;
            }
            if (c < 0x20 || c == 0x7F || c == '<' || c == '&') {
                return false;
            }
            pos++;
        }
        return false;
    }

    /**
     * The length of the well-formed UTF-8 sequence of 2 to 4 bytes at {@code p} ({@link Utf8}), or 0 when there is
     * none or it is a C1 control, U+FFFE or U+FFFF.
     */
    private int utf8(int p) {
        int n = Utf8.sequenceLength(b, p, limit);
        int c = b[p] & 0xFF;
        if (n == 2 && c == 0xC2 && (b[p + 1] & 0xFF) < 0xA0
                || n == 3 && c == 0xEF && (b[p + 1] & 0xFF) == 0xBF && (b[p + 2] & 0xFF) >= 0xBE) {
            return 0;
        }
        return n;
    }

    /** An ASCII name ({@code [A-Za-z_][A-Za-z0-9._-]*}, no colon); {@code false} when none starts here. */
    private boolean name() {
        if (pos >= limit || !isNameStart(b[pos])) {
            return false;
        }
        pos++;
        while (pos < limit) {
            byte c = b[pos];
            if (isNameStart(c) || c >= '0' && c <= '9' || c == '.' || c == '-') {
                pos++;
            } else {
                return true;
            }
        }
        return true;
    }

    private int skipSpace() {
        int from = pos;
        while (pos < limit && isSpace(b[pos])) {
            pos++;
        }
        return pos - from;
    }

    private String string(int from, int to, boolean ascii) {
        if (ascii && to - from <= 64) {
            String common = known(COMMON_VALUES, COMMON_VALUE_BYTES, from, to);
            if (common != null) {
                return common;
            }
        }
        return new String(b, from, to - from, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /** The constant whose bytes are {@code b[from, to)}, or {@code null}. */
    private String known(String[] names, byte[][] bytes, int from, int to) {
        for (int i = 0; i < bytes.length; i++) {
            if (sameRange(from, to, bytes[i])) {
                return names[i];
            }
        }
        return null;
    }

    private boolean sameRange(int from, int to, byte[] name) {
        return to - from == name.length && Arrays.equals(b, from, to, name, 0, name.length);
    }

    private boolean sameRange(int from, int to, int otherFrom, int otherTo) {
        return to - from == otherTo - otherFrom && Arrays.equals(b, from, to, b, otherFrom, otherTo);
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private static boolean isNameStart(byte c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    private static byte[][] ascii(String[] names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }
}
