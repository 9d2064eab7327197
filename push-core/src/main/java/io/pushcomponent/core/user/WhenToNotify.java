package io.pushcomponent.core.user;

import io.pushcomponent.api.store.AccountPushRegistration;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a message for an account warrants a push (XEP-0357 §7 leaves this to the server; these are the
 * rules Prosody and Tigase follow). Pure: the same facts always give the same decision.
 */
final class WhenToNotify {
    private WhenToNotify() {
    }

    /**
     * What the decision needs to know about a message.
     *
     * @param type            the message {@code type} attribute ({@code normal} when absent)
     * @param hasContent      {@code true} when it has a {@code <body/>} or an OMEMO {@code <encrypted/>}
     * @param fromAccount     {@code true} when it comes from one of the account's own resources
     * @param offlineReplay   {@code true} when it carries a {@code <delay/>} stamped by the account's own server: it
     *                        is a stored offline message being delivered now, and was notified when it was stored
     * @param extensionWantsIt {@code true} when an extension asks for a push although there is no content (a call)
     */
    record MessageFacts(String type, boolean hasContent, boolean fromAccount, boolean offlineReplay,
                        boolean extensionWantsIt) {
        MessageFacts {
            type = type == null ? "normal" : type.toLowerCase(Locale.ROOT);
        }
    }

    /** The outcome, with the reason when it is "no". */
    enum Decision {
        /** No available session: push to every registration. */
        OFFLINE(true),
        /** Every available session is away/xa/dnd: push to the registrations enabled with {@code away='true'}. */
        ALL_AWAY(true),
        /** The account itself sent it (another resource, a carbon). */
        OWN_RESOURCE(false),
        /** Nothing a user would be notified of: a chat state, a receipt, a marker. */
        NO_CONTENT(false),
        /** An error message. */
        ERROR_MESSAGE(false),
        /** A stored offline message being delivered. */
        OFFLINE_REPLAY(false),
        /** A session that the user is looking at will show it. */
        ONLINE(false);

        private final boolean notifies;

        Decision(boolean notifies) {
            this.notifies = notifies;
        }

        boolean notifies() {
            return notifies;
        }

        /** Whether a push for this decision goes to {@code registration}. */
        boolean appliesTo(AccountPushRegistration registration) {
            return this == OFFLINE || (this == ALL_AWAY && registration.away());
        }
    }

    static Decision decide(MessageFacts message, List<AccountSession> sessions, boolean awayMode) {
        if (message.type().equals("error")) {
            return Decision.ERROR_MESSAGE;
        }
        if (message.fromAccount()) {
            return Decision.OWN_RESOURCE;
        }
        if (message.offlineReplay()) {
            return Decision.OFFLINE_REPLAY;
        }
        if (!message.hasContent() && !message.extensionWantsIt()) {
            return Decision.NO_CONTENT;
        }
        List<AccountSession> available = sessions.stream().filter(AccountSession::isAvailable).toList();
        if (available.isEmpty()) {
            return Decision.OFFLINE;
        }
        boolean allAway = available.stream().allMatch(s -> s.presence().isAway());
        if (awayMode && allAway && !message.type().equals("groupchat")) {
            return Decision.ALL_AWAY;
        }
        return Decision.ONLINE;
    }
}
