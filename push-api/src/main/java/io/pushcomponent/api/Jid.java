package io.pushcomponent.api;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An XMPP address, {@code localpart@domainpart/resourcepart}, parsed, checked and normalised so that two addresses
 * of one entity compare {@linkplain #equals equal}. Immutable and thread-safe.
 *
 * <p><b>What is normalised</b> (a subset of RFC 7622's PRECIS profiles that the JDK can do; a JID is never changed
 * in other ways):
 * <ul>
 *   <li>localpart (UsernameCaseMapped, §3.3): fullwidth ASCII forms (U+FF01 to U+FF5E) become ASCII, then Unicode
 *       lower-casing ({@link String#toLowerCase(Locale) Locale.ROOT}), then NFC;</li>
 *   <li>domainpart (§3.2): the ideographic and fullwidth full stops (U+3002, U+FF0E, U+FF61) become {@code .}, one
 *       trailing {@code .} is removed, then lower-casing and NFC as for the localpart; IDNA A-labels
 *       ({@code xn--}) are kept as written, not converted to U-labels;</li>
 *   <li>resourcepart (OpaqueString, §3.4): kept exactly as written.</li>
 * </ul>
 *
 * <p><b>What is refused</b> ({@link IllegalArgumentException}, naming the part and the rule, never the JID): an
 * empty part, a part over {@value #MAX_PART_BYTES} UTF-8 bytes after normalisation; in the localpart the characters
 * {@code " & ' / : < > @}, whitespace, and code points outside PRECIS' IdentifierClass (ASCII graphic characters,
 * letters, digits, combining marks), such as symbols ({@code ♚}) and letter numbers (U+2163); in the domainpart
 * whitespace, control characters, the localpart's forbidden characters and empty labels (other than an IP
 * literal in brackets); in the resourcepart control characters.
 *
 * @param local    the localpart, normalised; {@code null} for a domain JID
 * @param domain   the domainpart, normalised; never {@code null}
 * @param resource the resourcepart as written; {@code null} for a bare JID
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7622">RFC 7622: XMPP Address Format</a>
 */
public record Jid(String local, String domain, String resource) {
    /** The most UTF-8 bytes in each part (RFC 7622 §3.2, §3.3, §3.4). */
    public static final int MAX_PART_BYTES = 1023;

    private static final String LOCALPART_FORBIDDEN = "\"&'/:<>@";

    /**
     * Checks and normalises the parts.
     *
     * @throws IllegalArgumentException when a part breaks a rule above
     */
    public Jid {
        if (local != null) {
            local = normaliseLocal(local);
        }
        domain = normaliseDomain(Objects.requireNonNull(domain, "domain"));
        if (resource != null) {
            checkResource(resource);
        }
    }

    /**
     * Parses {@code localpart@domainpart/resourcepart}, each part but the domain optional. The resource starts at the
     * first {@code /}; the localpart ends at the first {@code @} before it.
     *
     * @throws IllegalArgumentException when the text is not a JID (see the class documentation)
     */
    public static Jid parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String bare = slash < 0 ? text : text.substring(0, slash);
        String resource = slash < 0 ? null : text.substring(slash + 1);
        int at = bare.indexOf('@');
        String local = at < 0 ? null : bare.substring(0, at);
        String domain = at < 0 ? bare : bare.substring(at + 1);
        return new Jid(local, domain, resource);
    }

    /** {@link #parse}, or empty when {@code text} is {@code null} or not a JID. */
    public static Optional<Jid> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code text}'s bare JID in normalised form, e.g. {@code juliet@example.com} for
     * {@code Juliet@Example.com/balcony}.
     *
     * @throws IllegalArgumentException when the text is not a JID
     */
    public static String bareOf(String text) {
        return parse(text).bare().toString();
    }

    /** {@code true} when {@code other} is a JID with the same bare JID as this one (after normalisation). */
    public boolean sameBare(String other) {
        return tryParse(other).map(o -> o.bare().equals(bare())).orElse(false);
    }

    /** This JID without its resource. */
    public Jid bare() {
        return resource == null ? this : new Jid(local, domain, null);
    }

    /** {@code true} when this JID has no resource. */
    public boolean isBare() {
        return resource == null;
    }

    /** {@code true} when this JID has a localpart (an account or a room, not a server or component). */
    public boolean hasLocal() {
        return local != null;
    }

    /** {@code localpart@domainpart/resourcepart}, leaving out the absent parts. */
    @Override
    public String toString() {
        return (local == null ? "" : local + "@") + domain + (resource == null ? "" : "/" + resource);
    }

    private static String normaliseLocal(String local) {
        StringBuilder mapped = new StringBuilder(local.length());
        local.codePoints().forEach(c -> mapped.appendCodePoint(c >= 0xFF01 && c <= 0xFF5E ? c - 0xFEE0 : c));
        String normal = Normalizer.normalize(mapped.toString().toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
        checkLength("localpart", normal);
        normal.codePoints().forEach(c -> {
            if (LOCALPART_FORBIDDEN.indexOf(c) >= 0) {
                throw new IllegalArgumentException("the localpart has a character RFC 7622 forbids there (one of "
                        + LOCALPART_FORBIDDEN + ")");
            }
            if (!isIdentifierChar(c)) {
                throw new IllegalArgumentException("the localpart has whitespace, a control character or a symbol"
                        + " (RFC 7622 allows letters, digits and ASCII graphic characters)");
            }
        });
        return normal;
    }

    /** PRECIS IdentifierClass, approximated with the JDK: ASCII graphic characters, LetterDigits. */
    private static boolean isIdentifierChar(int c) {
        if (c < 0x80) {
            return c > 0x20 && c < 0x7F;
        }
        return switch (Character.getType(c)) {
            case Character.LOWERCASE_LETTER, Character.UPPERCASE_LETTER, Character.OTHER_LETTER,
                 Character.MODIFIER_LETTER, Character.DECIMAL_DIGIT_NUMBER, Character.NON_SPACING_MARK,
                 Character.COMBINING_SPACING_MARK -> true;
            default -> false;
        };
    }

    private static String normaliseDomain(String domain) {
        String dotted = domain.replace('\u3002', '.').replace('\uFF0E', '.').replace('\uFF61', '.');
        if (dotted.endsWith(".") && dotted.length() > 1) {
            dotted = dotted.substring(0, dotted.length() - 1);
        }
        String normal = Normalizer.normalize(dotted.toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
        checkLength("domainpart", normal);
        if (normal.startsWith("[") && normal.endsWith("]")) {
            if (!normal.substring(1, normal.length() - 1).matches("[0-9a-f:.]+")) {
                throw new IllegalArgumentException("the domainpart is not an IPv6 address in brackets");
            }
            return normal;
        }
        boolean badCharacter = normal.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)
                || Character.isSpaceChar(c) || LOCALPART_FORBIDDEN.indexOf(c) >= 0);
        if (badCharacter || normal.startsWith(".") || normal.contains("..")) {
            throw new IllegalArgumentException("the domainpart is not a domain name or IP address");
        }
        return normal;
    }

    private static void checkResource(String resource) {
        checkLength("resourcepart", resource);
        if (resource.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the resourcepart contains control characters");
        }
    }

    private static void checkLength(String part, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("the " + part + " is empty");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_PART_BYTES) {
            throw new IllegalArgumentException("the " + part + " is longer than " + MAX_PART_BYTES + " bytes");
        }
    }
}
