package io.pushcomponent.webpush.crypto.internal;

import io.pushcomponent.webpush.crypto.WebPushCryptoException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON a JWT needs (RFC 8259): writing an object of strings and numbers, reading any document into maps, lists,
 * strings, {@link BigDecimal}s, booleans and nulls. Stateless and thread-safe.
 */
public final class Json {
    private static final int MAX_DEPTH = 16;

    private final String text;
    private int position;

    private Json(String text) {
        this.text = text;
    }

    /** Writes an object whose values are strings or numbers, in the map's order. */
    public static String write(Map<String, ?> object) {
        StringBuilder out = new StringBuilder("{");
        object.forEach((key, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            string(out, key);
            out.append(':');
            if (value instanceof Number) {
                out.append(value);
            } else {
                string(out, String.valueOf(value));
            }
        });
        return out.append('}').toString();
    }

    /** Reads a document whose top level is an object. */
    public static Map<String, Object> readObject(String text) {
        Json json = new Json(text);
        json.skipSpace();
        if (!json.peek('{')) {
            throw json.error("an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) json.value(0);
        json.skipSpace();
        if (json.position != text.length()) {
            throw json.error("the end of the document");
        }
        return object;
    }

    /** A string as a JSON string literal. */
    public static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2);
        string(out, value);
        return out.toString();
    }

    private static void string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("less nesting");
        }
        skipSpace();
        if (position >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(position);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> object = new LinkedHashMap<>();
        position++;
        skipSpace();
        if (peek('}')) {
            position++;
            return object;
        }
        while (true) {
            skipSpace();
            if (!peek('"')) {
                throw error("a member name");
            }
            String key = string();
            skipSpace();
            expect(':');
            if (object.containsKey(key)) {
                throw error("no duplicate member " + key);
            }
            object.put(key, value(depth + 1));
            skipSpace();
            if (peek(',')) {
                position++;
            } else {
                expect('}');
                return object;
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> array = new ArrayList<>();
        position++;
        skipSpace();
        if (peek(']')) {
            position++;
            return array;
        }
        while (true) {
            array.add(value(depth + 1));
            skipSpace();
            if (peek(',')) {
                position++;
            } else {
                expect(']');
                return array;
            }
        }
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        position++;
        while (position < text.length()) {
            char c = text.charAt(position++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                if (position >= text.length()) {
                    break;
                }
                char escaped = text.charAt(position++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (position + 4 > text.length()) {
                            throw error("four hexadecimal digits");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                        } catch (NumberFormatException e) {
                            throw error("four hexadecimal digits");
                        }
                        position += 4;
                    }
                    default -> throw error("a valid escape");
                }
            } else if (c < 0x20) {
                throw error("no control character in a string");
            } else {
                out.append(c);
            }
        }
        throw error("the end of a string");
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, position)) {
            throw error(word);
        }
        position += word.length();
        return value;
    }

    private BigDecimal number() {
        int start = position;
        while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
        try {
            return new BigDecimal(text.substring(start, position));
        } catch (NumberFormatException e) {
            position = start;
            throw error("a value");
        }
    }

    private void skipSpace() {
        while (position < text.length() && " \t\r\n".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
    }

    private boolean peek(char c) {
        return position < text.length() && text.charAt(position) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("'" + c + "'");
        }
        position++;
    }

    private WebPushCryptoException error(String expected) {
        return new WebPushCryptoException("malformed JSON: expected " + expected + " at offset " + position);
    }
}
