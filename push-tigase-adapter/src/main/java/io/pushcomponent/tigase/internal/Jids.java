package io.pushcomponent.tigase.internal;

import java.util.Locale;

/** The little JID handling the filters need: bare JIDs compared case-insensitively, resources split off. */
final class Jids {
    private Jids() {
    }

    /** The bare JID of {@code jid}, lower-cased (local part and domain are case-insensitive); {@code null} stays. */
    static String bare(String jid) {
        if (jid == null) {
            return null;
        }
        int slash = jid.indexOf('/');
        String bare = slash < 0 ? jid : jid.substring(0, slash);
        return bare.trim().toLowerCase(Locale.ROOT);
    }

    /** The resource of {@code jid} (a room occupant's nickname), {@code null} when none. */
    static String resource(String jid) {
        if (jid == null) {
            return null;
        }
        int slash = jid.indexOf('/');
        return slash < 0 || slash == jid.length() - 1 ? null : jid.substring(slash + 1);
    }
}
