package io.pushcomponent.core.user;

import java.util.Objects;

/**
 * One session (resource) of an account, as the host sees it when a message arrives. Immutable.
 *
 * @param resource the resource
 * @param presence its current presence
 * @param priority its presence priority (RFC 6121 §4.7.2.3); a session with a negative priority never receives
 *                 messages addressed to the bare JID, so it does not count as available
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6121#section-8.5.2">RFC 6121 §8.5.2 Local user, bare JID</a>
 */
public record AccountSession(String resource, Presence presence, int priority) {
    public AccountSession {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(presence, "presence");
    }

    /** An available session with {@code show} absent and priority 0. */
    public static AccountSession online(String resource) {
        return new AccountSession(resource, Presence.ONLINE, 0);
    }

    /** {@code true} when the session has sent available presence and its priority is not negative. */
    public boolean isAvailable() {
        return presence != Presence.NONE && priority >= 0;
    }

    /**
     * A session's presence: {@link #NONE} until it sends initial presence (or after it sent unavailable presence,
     * or while a XEP-0198 stream-management session is hibernated, which hosts should report as {@link #NONE}),
     * otherwise its {@code <show/>}.
     */
    public enum Presence {
        /** Not available: no initial presence, unavailable, or hibernated. */
        NONE,
        /** Available without {@code <show/>}. */
        ONLINE,
        /** {@code <show>chat</show>}. */
        CHAT,
        /** {@code <show>away</show>}. */
        AWAY,
        /** {@code <show>xa</show>}. */
        XA,
        /** {@code <show>dnd</show>}. */
        DND;

        /** {@code true} for away, xa and dnd: the user is not looking at this client. */
        public boolean isAway() {
            return this == AWAY || this == XA || this == DND;
        }
    }
}
