package io.pushcomponent.push2.internal;

import io.pushcomponent.api.Jid;
import io.pushcomponent.core.xml.stanza.Message;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * What Push 2.0's match profiles ask of a message: whether it is a call, whether it has content, whether it is
 * important, whether it was archived, whether it mentions or replies to the account.
 */
final class Stanzas {
    private Stanzas() {
    }

    /** A call proposal or its retraction (XEP-0353): pushed at once, with high priority. */
    static boolean isCall(Message message) {
        List<Object> ext = message.extensions();
        return Push2Xml.find(ext, Push2Xml.JINGLE_MESSAGE, "propose").isPresent()
                || Push2Xml.find(ext, Push2Xml.JINGLE_MESSAGE, "retract").isPresent();
    }

    /** A body, or an encrypted payload whose body we cannot see (OMEMO, OpenPGP). */
    static boolean hasBody(Message message) {
        List<Object> ext = message.extensions();
        if (Push2Xml.find(ext, Push2Xml.OMEMO_LEGACY, "encrypted").isPresent()
                || Push2Xml.find(ext, Push2Xml.OMEMO_0, "encrypted").isPresent()
                || Push2Xml.find(ext, Push2Xml.OMEMO_2, "encrypted").isPresent()
                || Push2Xml.find(ext, Push2Xml.PGP_LEGACY, "x").isPresent()
                || Push2Xml.find(ext, Push2Xml.OPENPGP, "openpgp").isPresent()) {
            return true;
        }
        return message.body().filter(b -> !b.isEmpty()).isPresent();
    }

    /**
     * Important: a call; otherwise a message with content that is not a headline, not a copy of the account's own
     * sent message (a carbon) and not a correction.
     */
    static boolean isImportant(Message message) {
        if (isCall(message)) {
            return true;
        }
        if ("headline".equals(message.type()) || "error".equals(message.type())) {
            return false;
        }
        List<Object> ext = message.extensions();
        if (Push2Xml.find(ext, Push2Xml.CARBONS, "sent").isPresent()
                || Push2Xml.find(ext, Push2Xml.CORRECTION, "replace").isPresent()) {
            return false;
        }
        return hasBody(message);
    }

    /** The archive id the account's archive gave the message ({@code <stanza-id by='account'/>}), if any. */
    static Optional<Element> archiveId(Message message, String account) {
        for (Object o : message.extensions()) {
            if (Push2Xml.is(o, Push2Xml.SID, "stanza-id")) {
                Element e = (Element) o;
                if (Jid.tryParse(e.getAttribute("by")).filter(by -> by.sameBare(account)).isPresent()) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the body names the account: its local part, or its nickname in the room the message comes from. */
    static boolean mentions(Message message, String nickname) {
        return nickname != null && !nickname.isEmpty()
                && message.body().filter(b -> b.toLowerCase(java.util.Locale.ROOT)
                        .contains(nickname.toLowerCase(java.util.Locale.ROOT))).isPresent();
    }

    /** Whether the message replies (XEP-0461) to the account, or to its nickname in the room it comes from. */
    static boolean repliesTo(Message message, String account, String nickname) {
        Optional<Element> reply = Push2Xml.find(message.extensions(), Push2Xml.REPLY, "reply");
        if (reply.isEmpty()) {
            return false;
        }
        Optional<Jid> to = Jid.tryParse(reply.get().getAttribute("to"));
        if (to.isEmpty()) {
            return false;
        }
        if (to.get().sameBare(account)) {
            return true;
        }
        return nickname != null && message.from() != null && to.get().sameBare(message.from())
                && nickname.equals(to.get().resource());
    }
}
