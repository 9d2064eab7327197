package io.pushcomponent.component.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reads the subset of Tigase's configuration DSL ({@code config.tdsl}) this component uses:
 *
 * <pre>
 * // a comment; so is # and a block comment
 * 'component-jid' = 'push.example.com'      (keys quoted or bare; strings in single or double quotes)
 * 'remote-port' = 5347                      (whole numbers; true, false)
 * 'allowed-publishers' = [ 'example.com' ]  (lists)
 * 'secret' = env('PUSH_SECRET')             (an environment variable; env('NAME', 'default') has a default)
 * push () {                                 (a bean; its attributes go in the parentheses: (active: false))
 *     'log' () { }
 * }
 * </pre>
 *
 * <p>Stateless and thread-safe; each {@link #parse} builds its own tree.
 */
final class Tdsl {

    /** An entry of a bean: a value or a nested bean. */
    sealed interface Entry permits Value, Bean {
        String key();

        int line();
    }

    /**
     * {@code key = value}.
     *
     * @param value a {@link String}, {@link Long}, {@link Double}, {@link Boolean} or a {@link List} of those
     * @param fromEnv {@code true} when the value came from {@code env(...)}
     */
    record Value(String key, int line, Object value, boolean fromEnv) implements Entry {
    }

    /** {@code name (attributes) { entries }}; the root bean has the name {@code ""}. */
    record Bean(String key, int line, Map<String, Object> attributes, Map<String, Entry> entries)
            implements Entry {
        Bean {
            attributes = Collections.unmodifiableMap(attributes);
            entries = Collections.unmodifiableMap(entries);
        }

        /** {@code false} when the bean says {@code (active: false)}. */
        boolean active() {
            return !Boolean.FALSE.equals(attributes.get("active"));
        }
    }

    private enum Kind { STRING, WORD, NUMBER, LPAREN, RPAREN, LBRACE, RBRACE, LBRACKET, RBRACKET, EQUALS, COMMA,
        COLON, END }

    private record Token(Kind kind, String text, int line) {
        String describe() {
            return switch (kind) {
                case STRING -> "a string";
                case END -> "the end of the file";
                default -> "'" + text + "'";
            };
        }
    }

    private final Path file;
    private final String text;
    private final UnaryOperator<String> env;
    private int pos;
    private int line = 1;
    private Token current;

    private Tdsl(Path file, String text, UnaryOperator<String> env) {
        this.file = file;
        this.text = text;
        this.env = env;
    }

    /**
     * Parses a whole file into its root bean.
     *
     * @param file the file name, for messages
     * @param text the file's content
     * @param env  looks up environment variables; returns {@code null} for an unset one
     * @throws ConfigException on the first syntax error, with its line
     */
    static Bean parse(Path file, String text, UnaryOperator<String> env) throws ConfigException {
        Tdsl p = new Tdsl(file, text, env);
        p.advance();
        Map<String, Entry> entries = p.entries(Kind.END);
        return new Bean("", 1, Map.of(), entries);
    }

    private Map<String, Entry> entries(Kind closing) throws ConfigException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (current.kind != closing) {
            if (current.kind != Kind.STRING && current.kind != Kind.WORD) {
                throw error(current.line, "expected a key or a bean name but found " + current.describe()
                        + (closing == Kind.RBRACE && current.kind == Kind.END ? " (a '}' is missing)" : ""));
            }
            Token key = current;
            advance();
            Entry entry;
            if (current.kind == Kind.EQUALS) {
                advance();
                int valueLine = current.line;
                boolean fromEnv = current.kind == Kind.WORD && current.text.equals("env");
                entry = new Value(key.text, valueLine, value(key.text), fromEnv);
            } else if (current.kind == Kind.LPAREN || current.kind == Kind.LBRACE) {
                Map<String, Object> attributes = current.kind == Kind.LPAREN ? attributes(key.text) : Map.of();
                expect(Kind.LBRACE, "'{' to open bean '" + key.text + "'");
                Map<String, Entry> children = entries(Kind.RBRACE);
                advance();
                entry = new Bean(key.text, key.line, attributes, children);
            } else {
                throw error(current.line, "expected '=' or '()' after '" + key.text + "' but found "
                        + current.describe());
            }
            Entry previous = entries.putIfAbsent(key.text, entry);
            if (previous != null) {
                throw error(key.line, "'" + key.text + "' is set twice (also on line " + previous.line() + ")");
            }
        }
        return entries;
    }

    private Map<String, Object> attributes(String bean) throws ConfigException {
        advance();
        Map<String, Object> attributes = new LinkedHashMap<>();
        while (current.kind != Kind.RPAREN) {
            if (current.kind != Kind.WORD && current.kind != Kind.STRING) {
                throw error(current.line, "expected an attribute name or ')' in bean '" + bean + "' but found "
                        + current.describe());
            }
            String name = current.text;
            advance();
            expect(Kind.COLON, "':' after attribute '" + name + "'");
            attributes.put(name, value(name));
            if (current.kind == Kind.COMMA) {
                advance();
            } else if (current.kind != Kind.RPAREN) {
                throw error(current.line, "expected ',' or ')' in bean '" + bean + "' but found "
                        + current.describe());
            }
        }
        advance();
        return attributes;
    }

    private Object value(String key) throws ConfigException {
        Token t = current;
        switch (t.kind) {
            case STRING -> {
                advance();
                return t.text;
            }
            case NUMBER -> {
                advance();
                try {
                    return t.text.contains(".") ? (Object) Double.valueOf(t.text) : (Object) Long.valueOf(t.text);
                } catch (NumberFormatException e) {
                    throw error(t.line, "'" + key + "' is not a valid number");
                }
            }
            case LBRACKET -> {
                advance();
                List<Object> list = new ArrayList<>();
                while (current.kind != Kind.RBRACKET) {
                    list.add(value(key));
                    if (current.kind == Kind.COMMA) {
                        advance();
                    } else if (current.kind != Kind.RBRACKET) {
                        throw error(current.line, "expected ',' or ']' in the list of '" + key + "' but found "
                                + current.describe());
                    }
                }
                advance();
                return List.copyOf(list);
            }
            case WORD -> {
                switch (t.text) {
                    case "true" -> {
                        advance();
                        return Boolean.TRUE;
                    }
                    case "false" -> {
                        advance();
                        return Boolean.FALSE;
                    }
                    case "env" -> {
                        return envCall(key);
                    }
                    default -> throw error(t.line, "'" + key + "': unknown value '" + t.text
                            + "'; strings are quoted: '" + t.text + "'");
                }
            }
            default -> throw error(t.line, "expected a value for '" + key + "' but found " + t.describe());
        }
    }

    private String envCall(String key) throws ConfigException {
        int callLine = current.line;
        advance();
        expect(Kind.LPAREN, "'(' after env");
        if (current.kind != Kind.STRING) {
            throw error(current.line, "env() takes the name of an environment variable in quotes");
        }
        String name = current.text;
        advance();
        String fallback = null;
        if (current.kind == Kind.COMMA) {
            advance();
            if (current.kind != Kind.STRING) {
                throw error(current.line, "the default of env('" + name + "', ...) must be a quoted string");
            }
            fallback = current.text;
            advance();
        }
        expect(Kind.RPAREN, "')' to close env(");
        String value = env.apply(name);
        if (value == null) {
            value = fallback;
        }
        if (value == null) {
            throw error(callLine, "'" + key + "': environment variable " + name + " is not set");
        }
        return value;
    }

    private void expect(Kind kind, String what) throws ConfigException {
        if (current.kind != kind) {
            throw error(current.line, "expected " + what + " but found " + current.describe());
        }
        advance();
    }

    private ConfigException error(int atLine, String message) {
        return new ConfigException(file, atLine, message);
    }

    private void advance() throws ConfigException {
        skipSpaceAndComments();
        if (pos >= text.length()) {
            current = new Token(Kind.END, "", line);
            return;
        }
        char c = text.charAt(pos);
        int startLine = line;
        Kind single = switch (c) {
            case '(' -> Kind.LPAREN;
            case ')' -> Kind.RPAREN;
            case '{' -> Kind.LBRACE;
            case '}' -> Kind.RBRACE;
            case '[' -> Kind.LBRACKET;
            case ']' -> Kind.RBRACKET;
            case '=' -> Kind.EQUALS;
            case ',' -> Kind.COMMA;
            case ':' -> Kind.COLON;
            default -> null;
        };
        if (single != null) {
            pos++;
            current = new Token(single, String.valueOf(c), startLine);
        } else if (c == '\'' || c == '"') {
            current = new Token(Kind.STRING, string(c), startLine);
        } else if (c == '-' || Character.isDigit(c)) {
            int start = pos++;
            while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            current = new Token(Kind.NUMBER, text.substring(start, pos), startLine);
            if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
                pos++;
            }
        } else if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < text.length() && isWordChar(text.charAt(pos))) {
                pos++;
            }
            current = new Token(Kind.WORD, text.substring(start, pos), startLine);
        } else {
            throw error(line, "unexpected character '" + c + "'");
        }
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }

    private String string(char quote) throws ConfigException {
        int startLine = line;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error(startLine, "string is not closed (missing " + quote + ")");
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c == '\n') {
                throw error(startLine, "string is not closed before the end of the line (missing " + quote + ")");
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    throw error(startLine, "string is not closed (missing " + quote + ")");
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case '\\', '\'', '"' -> sb.append(e);
                    default -> throw error(line, "unknown escape \\" + e + " in a string");
                }
            } else {
                sb.append(c);
            }
        }
    }

    private void skipSpaceAndComments() throws ConfigException {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#' || text.startsWith("//", pos)) {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (text.startsWith("/*", pos)) {
                int startLine = line;
                int end = text.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw error(startLine, "comment is not closed (missing */)");
                }
                for (int i = pos; i < end; i++) {
                    if (text.charAt(i) == '\n') {
                        line++;
                    }
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }
}
