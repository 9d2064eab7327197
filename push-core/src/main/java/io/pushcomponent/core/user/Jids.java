package io.pushcomponent.core.user;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The little JID handling the user's-server side needs. Hosts hand in the JIDs of stanzas they already validated;
 * JIDs clients write into payloads (the push service of {@code <enable/>}) are checked with {@link #problem}.
 */
final class Jids {
    private Jids() {
    }

    /** {@code user@domain} of {@code user@domain/resource}; {@code null} stays {@code null}. */
    static String bare(String jid) {
        if (jid == null) {
            return null;
        }
        int slash = jid.indexOf('/');
        return slash < 0 ? jid : jid.substring(0, slash);
    }

    /** The domain part. */
    static String domain(String jid) {
        String bare = bare(jid);
        return bare.substring(bare.indexOf('@') + 1);
    }

    /** {@code true} when the JID has a local part ({@code user@}). */
    static boolean hasLocalPart(String jid) {
        String bare = bare(jid);
        return bare != null && bare.indexOf('@') > 0;
    }

    /** Compares the bare JIDs, ignoring case as nodeprep and nameprep mostly do. */
    static boolean sameBare(String a, String b) {
        return a != null && b != null && bare(a).toLowerCase(Locale.ROOT).equals(bare(b).toLowerCase(Locale.ROOT));
    }

    /** A plausible JID: not blank, no whitespace, no empty parts. */
    static boolean isPlausible(String jid) {
        if (jid == null || jid.isBlank() || jid.chars().anyMatch(Character::isWhitespace)) {
            return false;
        }
        String bare = bare(jid);
        int at = bare.indexOf('@');
        return !bare.isEmpty() && at != 0 && at != bare.length() - 1 && !jid.endsWith("/");
    }

    /** The most UTF-8 bytes of a JID part (RFC 7622 §3.2, §3.3, §3.4). */
    static final int MAX_PART_BYTES = 1023;
    /** Characters RFC 7622 §3.3.1 forbids in a localpart, besides whitespace and controls. */
    private static final String LOCALPART_FORBIDDEN = "\"&'/:<>@";

    /**
     * What is wrong with a JID a client wrote (RFC 7622's rules, checked without stringprep): an empty or overlong
     * part (over {@value #MAX_PART_BYTES} UTF-8 bytes), whitespace or control characters, a localpart character RFC
     * 7622 forbids, a domain with an empty label or characters no domain has.
     *
     * @return {@code null} when the JID is well-formed; otherwise why not, without the JID itself
     */
    static String problem(String jid) {
        if (jid == null || jid.isEmpty()) {
            return "the JID is empty";
        }
        int slash = jid.indexOf('/');
        String bare = slash < 0 ? jid : jid.substring(0, slash);
        int at = bare.indexOf('@');
        String local = at < 0 ? null : bare.substring(0, at);
        String domain = at < 0 ? bare : bare.substring(at + 1);
        if (local != null) {
            String p = partProblem("localpart", local);
            if (p != null) {
                return p;
            }
            if (local.chars().anyMatch(c -> LOCALPART_FORBIDDEN.indexOf(c) >= 0)) {
                return "the localpart has a character RFC 7622 forbids there (one of " + LOCALPART_FORBIDDEN + ")";
            }
        }
        String p = partProblem("domain", domain);
        if (p != null) {
            return p;
        }
        if (domain.chars().anyMatch(c -> LOCALPART_FORBIDDEN.indexOf(c) >= 0 && c != ':')
                || domain.startsWith(".") || domain.contains("..")) {
            return "the domain is not a domain name or IP address";
        }
        return slash < 0 ? null : partProblem("resourcepart", jid.substring(slash + 1));
    }

    private static String partProblem(String name, String part) {
        if (part.isEmpty()) {
            return "the " + name + " is empty";
        }
        if (part.getBytes(StandardCharsets.UTF_8).length > MAX_PART_BYTES) {
            return "the " + name + " is longer than " + MAX_PART_BYTES + " bytes";
        }
        if (part.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)
                || Character.isSpaceChar(c)) && !"resourcepart".equals(name)) {
            return "the " + name + " contains whitespace or control characters";
        }
        if (part.chars().anyMatch(Character::isISOControl)) {
            return "the " + name + " contains control characters";
        }
        return null;
    }
}
