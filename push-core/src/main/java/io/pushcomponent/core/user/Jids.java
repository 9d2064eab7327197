package io.pushcomponent.core.user;

import java.util.Locale;

/** The little JID handling the user's-server side needs; hosts hand in JIDs they already validated. */
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
}
