package io.pushcomponent.core.app;

import java.util.Locale;

/** The little JID handling the app server needs: bare JIDs and domains, compared case-insensitively. */
final class Jids {
    private Jids() {
    }

    /** {@code user@domain} of {@code user@domain/resource}, lower-cased; {@code null} for {@code null}. */
    static String bare(String jid) {
        if (jid == null) {
            return null;
        }
        int slash = jid.indexOf('/');
        return (slash < 0 ? jid : jid.substring(0, slash)).trim().toLowerCase(Locale.ROOT);
    }

    /** The domain part of a JID, lower-cased; {@code null} for {@code null}. */
    static String domain(String jid) {
        String bare = bare(jid);
        if (bare == null) {
            return null;
        }
        int at = bare.indexOf('@');
        return at < 0 ? bare : bare.substring(at + 1);
    }
}
