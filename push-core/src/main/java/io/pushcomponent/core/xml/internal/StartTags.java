package io.pushcomponent.core.xml.internal;

import io.pushcomponent.core.xml.XmlRejectedException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the head of a stanza (its name and its {@code id}, {@code type}, {@code from} and {@code to} attributes)
 * straight from the bytes of its start tag, for the one case the parser cannot: a start tag it refused for a cap
 * (more attributes than it allows), so that the stanza can still be answered with its error instead of going
 * unanswered. Reads only what well-formed XML allows; anything else gives no head.
 *
 * <p>Stateless; thread-safe.
 */
public final class StartTags {
    private static final String[] WANTED = {"id", "type", "from", "to"};

    private StartTags() {
    }

    /**
     * The head of the stanza that is the first child of the root element of the document in {@code b[0, length)},
     * as a stream reader frames one (the bytes are well-formed UTF-8), or {@code null} when the start tags cannot be
     * read: the root's start tag is skipped, the stanza's read up to its {@code >}.
     */
    public static XmlRejectedException.StanzaHead stanzaHead(byte[] b, int length) {
        String[] root = new String[WANTED.length];
        int p = tag(b, skipWhitespace(b, 0, length), length, root);
        return p < 0 ? null : head(b, p, length);
    }

    /**
     * The head of the stanza whose start tag comes first in {@code b[0, length)} (UTF-8), after whitespace and an
     * XML declaration if any, or {@code null} when it cannot be read: for a stanza given on its own.
     */
    public static XmlRejectedException.StanzaHead firstHead(byte[] b, int length) {
        int p = skipWhitespace(b, 0, length);
        if (p + 1 < length && b[p] == '<' && b[p + 1] == '?') {
            while (p + 1 < length && !(b[p] == '?' && b[p + 1] == '>')) {
                p++;
            }
            p += 2;
        }
        return p > length ? null : head(b, p, length);
    }

    private static XmlRejectedException.StanzaHead head(byte[] b, int from, int length) {
        String[] head = new String[WANTED.length + 1];
        return tag(b, skipWhitespace(b, from, length), length, head) < 0 ? null
                : new XmlRejectedException.StanzaHead(head[WANTED.length], head[0], head[1], head[2], head[3]);
    }

    /**
     * Reads the start tag at {@code p} into {@code out} (the wanted attributes' values, then the element name when
     * there is room) and returns the index after its {@code >}, or -1 when it is not a start tag XML allows.
     */
    private static int tag(byte[] b, int p, int limit, String[] out) {
        if (p >= limit || b[p] != '<') {
            return -1;
        }
        int nameStart = ++p;
        p = nameEnd(b, p, limit);
        if (p == nameStart) {
            return -1;
        }
        if (out.length > WANTED.length) {
            out[WANTED.length] = new String(b, nameStart, p - nameStart, StandardCharsets.UTF_8);
        }
        while (true) {
            int afterSpace = skipWhitespace(b, p, limit);
            if (afterSpace >= limit) {
                return -1;
            }
            if (b[afterSpace] == '>') {
                return afterSpace + 1;
            }
            if (b[afterSpace] == '/') {
                return afterSpace + 1 < limit && b[afterSpace + 1] == '>' ? afterSpace + 2 : -1;
            }
            if (afterSpace == p) {
                return -1;
            }
            int attributeStart = afterSpace;
            p = nameEnd(b, attributeStart, limit);
            int attributeEnd = p;
            p = skipWhitespace(b, p, limit);
            if (attributeEnd == attributeStart || p >= limit || b[p] != '=') {
                return -1;
            }
            p = skipWhitespace(b, p + 1, limit);
            if (p >= limit || b[p] != '\'' && b[p] != '"') {
                return -1;
            }
            byte quote = b[p];
            int valueStart = ++p;
            while (p < limit && b[p] != quote) {
                if (b[p] == '<') {
                    return -1;
                }
                p++;
            }
            if (p >= limit) {
                return -1;
            }
            int slot = wanted(b, attributeStart, attributeEnd);
            if (slot >= 0) {
                String value = unescape(new String(b, valueStart, p - valueStart, StandardCharsets.UTF_8));
                if (value == null) {
                    return -1;
                }
                out[slot] = value;
            }
            p++;
        }
    }

    private static int wanted(byte[] b, int from, int to) {
        for (int i = 0; i < WANTED.length; i++) {
            String name = WANTED[i];
            if (to - from == name.length()) {
                int j = 0;
                while (j < name.length() && b[from + j] == name.charAt(j)) {
                    j++;
                }
                if (j == name.length()) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The value with XML's five entities and character references replaced, or null for any other reference. */
    private static String unescape(String raw) {
        int amp = raw.indexOf('&');
        if (amp < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        int p = 0;
        while (amp >= 0) {
            out.append(raw, p, amp);
            int semicolon = raw.indexOf(';', amp);
            if (semicolon < 0) {
                return null;
            }
            String ref = raw.substring(amp + 1, semicolon);
            switch (ref) {
                case "lt" -> out.append('<');
                case "gt" -> out.append('>');
                case "amp" -> out.append('&');
                case "apos" -> out.append('\'');
                case "quot" -> out.append('"');
                default -> {
                    if (!appendCharacterReference(out, ref)) {
                        return null;
                    }
                }
            }
            p = semicolon + 1;
            amp = raw.indexOf('&', p);
        }
        return out.append(raw, p, raw.length()).toString();
    }

    private static boolean appendCharacterReference(StringBuilder out, String ref) {
        if (ref.length() < 2 || ref.length() > 10 || ref.charAt(0) != '#') {
            return false;
        }
        try {
            int code = ref.charAt(1) == 'x' ? Integer.parseInt(ref.substring(2), 16) : Integer.parseInt(ref.substring(1));
            boolean allowed = code == 0x9 || code == 0xA || code == 0xD || code >= 0x20 && code <= 0xD7FF
                    || code >= 0xE000 && code <= 0xFFFD || code >= 0x10000 && code <= 0x10FFFF;
            if (!allowed) {
                return false;
            }
            out.appendCodePoint(code);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static int nameEnd(byte[] b, int p, int limit) {
        while (p < limit) {
            byte c = b[p];
            if (isWhitespace(c) || c == '/' || c == '>' || c == '=' || c == '<' || c == '\'' || c == '"') {
                break;
            }
            p++;
        }
        return p;
    }

    private static int skipWhitespace(byte[] b, int p, int limit) {
        while (p < limit && isWhitespace(b[p])) {
            p++;
        }
        return p;
    }

    private static boolean isWhitespace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
