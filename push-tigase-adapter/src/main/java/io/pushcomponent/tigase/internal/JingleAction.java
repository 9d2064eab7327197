package io.pushcomponent.tigase.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A XEP-0353 Jingle Message Initiation action carried by a message: a {@code <propose/>} rings the callee's
 * devices, a {@code <retract/>} stops them ringing.
 *
 * @param kind  propose or retract
 * @param sid   the session id ({@code id} attribute)
 * @param media the media of the proposed session ({@code audio}, {@code video}); empty for a retraction
 * @see <a href="https://xmpp.org/extensions/xep-0353.html">XEP-0353: Jingle Message Initiation</a>
 */
record JingleAction(Kind kind, String sid, List<String> media) {
    /** Which action. */
    enum Kind {
        /** A call is proposed. */
        PROPOSE,
        /** The caller gave up. */
        RETRACT
    }

    public JingleAction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sid, "sid");
        media = media == null ? List.of() : List.copyOf(media);
    }

    /**
     * The action among a message's children: a {@code propose} or {@code retract} in {@code urn:xmpp:jingle-message:0}
     * with a session id; {@code null} when there is none (other actions such as {@code accept} are between the
     * user's own devices and never push).
     *
     * @param children the message's children; elements other than DOM {@link Element}s are skipped
     */
    static JingleAction of(Iterable<?> children) {
        for (Object child : children) {
            if (!(child instanceof Element e) || !TigaseNamespaces.JINGLE_MESSAGE.equals(e.getNamespaceURI())) {
                continue;
            }
            String sid = e.hasAttribute("id") ? e.getAttribute("id") : e.getAttribute("sid");
            if (sid.isEmpty()) {
                return null;
            }
            return switch (e.getLocalName()) {
                case "propose" -> new JingleAction(Kind.PROPOSE, sid, media(e));
                case "retract" -> new JingleAction(Kind.RETRACT, sid, List.of());
                default -> null;
            };
        }
        return null;
    }

    private static List<String> media(Element propose) {
        List<String> media = new ArrayList<>();
        for (Node n = propose.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element d && "description".equals(d.getLocalName())
                    && TigaseNamespaces.JINGLE_RTP.equals(d.getNamespaceURI()) && !d.getAttribute("media").isEmpty()) {
                media.add(d.getAttribute("media"));
            }
        }
        return media;
    }
}
