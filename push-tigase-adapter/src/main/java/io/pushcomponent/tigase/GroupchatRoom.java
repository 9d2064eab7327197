package io.pushcomponent.tigase;

import io.pushcomponent.api.Jid;
import java.util.Locale;
import java.util.Objects;

/**
 * One {@code <room jid='…' allow='always|mentioned|never' nick='…'/>} of the {@code tigase:push:filter:groupchat:0}
 * filter: when group chat messages from that room may wake the device.
 *
 * @param jid   the room's bare JID
 * @param allow when its messages are pushed
 * @param nick  the account's nickname in the room; needed for {@link Allow#MENTIONED}, {@code null} otherwise
 */
public record GroupchatRoom(String jid, Allow allow, String nick) {
    /** When a room's messages are pushed. */
    public enum Allow {
        /** Every message. */
        ALWAYS,
        /** Messages whose body mentions the account's nickname. */
        MENTIONED,
        /** None. */
        NEVER;

        /**
         * The value of an {@code allow} attribute.
         *
         * @throws IllegalArgumentException for anything but {@code always}, {@code mentioned}, {@code never}
         */
        public static Allow parse(String value) {
            if (value == null) {
                throw new IllegalArgumentException("a groupchat <room/> needs allow='always|mentioned|never'");
            }
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "always" -> ALWAYS;
                case "mentioned" -> MENTIONED;
                case "never" -> NEVER;
                default -> throw new IllegalArgumentException("allow='" + value
                        + "' is not one of always, mentioned, never");
            };
        }

        /** The attribute value. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public GroupchatRoom {
        Objects.requireNonNull(allow, "allow");
        if (Objects.requireNonNull(jid, "jid").isBlank()) {
            throw new IllegalArgumentException("a groupchat <room/> needs a jid");
        }
        jid = Jid.bareOf(jid.trim());
        if (nick != null && nick.isEmpty()) {
            nick = null;
        }
    }
}
