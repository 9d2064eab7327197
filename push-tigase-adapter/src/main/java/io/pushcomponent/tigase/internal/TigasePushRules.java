package io.pushcomponent.tigase.internal;

import io.pushcomponent.api.Jid;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.tigase.RosterView;
import java.util.Locale;
import java.util.Objects;

/**
 * Tigase's push filters and call extension as pure rules: given a message for an account and the
 * {@link TigasePushOptions} of one of its push registrations, whether to push and as what.
 *
 * <ul>
 *   <li>{@code tigase:push:jingle:0}: a Jingle {@code <propose/>} from someone else becomes a {@link PushKind#CALL}
 *       push, a {@code <retract/>} a {@link PushKind#CALL_ENDED} push; without the extension neither pushes.</li>
 *   <li>{@code tigase:push:filter:muted:0}: nothing from a muted bare JID (a contact or a room) pushes.</li>
 *   <li>{@code tigase:push:filter:groupchat:0}: a group chat message pushes only from a listed room:
 *       {@code always}; {@code mentioned} when the body contains the nickname (ignoring case); {@code never}.</li>
 *   <li>{@code tigase:push:filter:ignore-unknown:0}: a message that is not group chat pushes only from a
 *       contact in the account's roster.</li>
 *   <li>{@code tigase:push:priority:0}: high priority with a body or a call proposal, normal otherwise.</li>
 * </ul>
 *
 * <p>Whether a message deserves a push at all (a body, an offline account) is the user's-server side's decision;
 * these rules only narrow it and widen it to call proposals.
 *
 * <p>Each rule is a method of its own, applied by the feature that owns it ({@link Features}), in this order.
 *
 * <p>Stateless and thread-safe.
 */
final class TigasePushRules {
    private TigasePushRules() {
    }

    /** {@code tigase:push:jingle:0}: a call action pushes only to a client that enabled calls, never its own. */
    static PushVerdict.SkipReason call(String account, IncomingMessage message, TigasePushOptions options) {
        if (message.jingle() == null) {
            return null;
        }
        if (!options.jingle()) {
            return PushVerdict.SkipReason.CALLS_OFF;
        }
        return message.senderBareJid().equals(Jid.bareOf(account)) ? PushVerdict.SkipReason.OWN_CALL : null;
    }

    /** {@code tigase:push:filter:muted:0}: nothing from a muted bare JID. */
    static PushVerdict.SkipReason muted(IncomingMessage message, TigasePushOptions options) {
        return options.muted().contains(message.senderBareJid()) ? PushVerdict.SkipReason.MUTED : null;
    }

    /** {@code tigase:push:filter:groupchat:0}: group chat only from listed rooms, as each allows. */
    static PushVerdict.SkipReason groupchat(IncomingMessage message, TigasePushOptions options) {
        if (!message.isGroupchat() || options.groupchat() == null) {
            return null;
        }
        GroupchatRoom room = options.groupchat().get(message.senderBareJid());
        if (room == null) {
            return PushVerdict.SkipReason.ROOM_NOT_ALLOWED;
        }
        return switch (room.allow()) {
            case ALWAYS -> null;
            case NEVER -> PushVerdict.SkipReason.ROOM_NOT_ALLOWED;
            case MENTIONED -> mentions(message.body(), room.nick()) ? null : PushVerdict.SkipReason.NOT_MENTIONED;
        };
    }

    /** {@code tigase:push:filter:ignore-unknown:0}: other than group chat, only from a contact in the roster. */
    static PushVerdict.SkipReason unknownSender(String account, IncomingMessage message, TigasePushOptions options,
                                                RosterView roster) {
        if (message.isGroupchat() || !options.ignoreUnknown()) {
            return null;
        }
        return Objects.requireNonNull(roster, "roster").isKnownContact(Jid.bareOf(account), message.senderBareJid())
                ? null : PushVerdict.SkipReason.UNKNOWN_SENDER;
    }

    /**
     * The push for a message no rule refuses: a call proposal (for a client that enabled calls) is a high-priority
     * {@link PushKind#CALL}, a retraction a {@link PushKind#CALL_ENDED}; a message is high priority with a body.
     */
    static PushVerdict.Push push(IncomingMessage message, TigasePushOptions options) {
        JingleAction call = options.jingle() ? message.jingle() : null;
        if (call != null) {
            return call.kind() == JingleAction.Kind.PROPOSE
                    ? new PushVerdict.Push(PushKind.CALL, PushPriority.HIGH, call)
                    : new PushVerdict.Push(PushKind.CALL_ENDED, PushPriority.NORMAL, call);
        }
        boolean hasBody = message.body() != null && !message.body().isEmpty();
        return new PushVerdict.Push(PushKind.MESSAGE, hasBody ? PushPriority.HIGH : PushPriority.NORMAL, null);
    }

    private static boolean mentions(String body, String nick) {
        return body != null && nick != null
                && body.toLowerCase(Locale.ROOT).contains(nick.toLowerCase(Locale.ROOT));
    }
}
