package io.pushcomponent.tigase;

import io.pushcomponent.api.Jid;
import java.util.List;
import java.util.Objects;
import org.w3c.dom.Element;

/**
 * The facts of a message, arriving for an account, that Tigase's filters and extensions look at.
 *
 * <p>Immutable and thread-safe. {@code toString()} shows the body's length only.
 *
 * @param from   the sender's full JID (a room occupant's for group chat)
 * @param type   the message {@code type} ({@code chat}, {@code groupchat}, {@code normal}, ...); {@code normal} when
 *               absent
 * @param body   the body; {@code null} when none
 * @param jingle the Jingle Message Initiation action it carries; {@code null} when none
 */
public record IncomingMessage(String from, String type, String body, JingleAction jingle) {
    public IncomingMessage {
        Objects.requireNonNull(from, "from");
        type = type == null || type.isEmpty() ? "normal" : type;
    }

    /** The facts of a {@code <message/>} element (any namespace). */
    public static IncomingMessage of(Element message) {
        List<Element> children = JingleAction.children(message);
        String body = null;
        for (Element e : children) {
            if ("body".equals(e.getLocalName())) {
                body = e.getTextContent();
                break;
            }
        }
        return of(message.getAttribute("from"), message.getAttribute("type"), body, children);
    }

    /**
     * The facts of a message given in parts, as a host's stanza model holds it.
     *
     * @param children the message's children; DOM {@link Element}s are examined, anything else is skipped
     */
    public static IncomingMessage of(String from, String type, String body, Iterable<?> children) {
        return new IncomingMessage(from, type, body, JingleAction.of(children));
    }

    /** {@code true} for {@code type='groupchat'}. */
    public boolean isGroupchat() {
        return "groupchat".equals(type);
    }

    /** The sender's bare JID (the room's for group chat). */
    public String senderBareJid() {
        return Jid.tryParse(from).map(j -> j.bare().toString()).orElse(null);
    }

    /** The occupant's nickname of a group chat message; {@code null} otherwise. */
    public String nickname() {
        return isGroupchat() ? Jid.tryParse(from).map(Jid::resource).orElse(null) : null;
    }

    @Override
    public String toString() {
        return "IncomingMessage[from=" + from + ", type=" + type + ", body="
                + (body == null ? "null" : "(" + body.length() + " chars)") + ", jingle=" + jingle + "]";
    }
}
