package io.pushcomponent.tigase;

import io.pushcomponent.api.Jid;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
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
 * <p>Stateless and thread-safe.
 */
public final class TigasePushRules {
    private TigasePushRules() {
    }

    /**
     * The verdict for {@code message} arriving for {@code account}.
     *
     * @param account the account's bare JID
     * @param message the message
     * @param options the registration's options
     * @param roster  the host's roster; consulted only when {@code ignore-unknown} is on
     */
    public static PushVerdict decide(String account, IncomingMessage message, TigasePushOptions options,
                                     RosterView roster) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(options, "options");
        String sender = message.senderBareJid();
        JingleAction call = message.jingle();
        if (call != null) {
            if (!options.jingle()) {
                return new PushVerdict.Skip(PushVerdict.SkipReason.CALLS_OFF);
            }
            if (sender.equals(Jid.bareOf(account))) {
                return new PushVerdict.Skip(PushVerdict.SkipReason.OWN_CALL);
            }
        }
        if (options.muted().contains(sender)) {
            return new PushVerdict.Skip(PushVerdict.SkipReason.MUTED);
        }
        if (message.isGroupchat() && options.groupchat() != null) {
            PushVerdict.SkipReason refused = groupchat(message, options.groupchat().get(sender));
            if (refused != null) {
                return new PushVerdict.Skip(refused);
            }
        }
        if (!message.isGroupchat() && options.ignoreUnknown()
                && !Objects.requireNonNull(roster, "roster").isKnownContact(Jid.bareOf(account), sender)) {
            return new PushVerdict.Skip(PushVerdict.SkipReason.UNKNOWN_SENDER);
        }
        if (call != null) {
            return call.kind() == JingleAction.Kind.PROPOSE
                    ? new PushVerdict.Push(PushKind.CALL, PushPriority.HIGH, call)
                    : new PushVerdict.Push(PushKind.CALL_ENDED, PushPriority.NORMAL, call);
        }
        boolean hasBody = message.body() != null && !message.body().isEmpty();
        return new PushVerdict.Push(PushKind.MESSAGE, hasBody ? PushPriority.HIGH : PushPriority.NORMAL, null);
    }

    private static PushVerdict.SkipReason groupchat(IncomingMessage message, GroupchatRoom room) {
        if (room == null) {
            return PushVerdict.SkipReason.ROOM_NOT_ALLOWED;
        }
        return switch (room.allow()) {
            case ALWAYS -> null;
            case NEVER -> PushVerdict.SkipReason.ROOM_NOT_ALLOWED;
            case MENTIONED -> mentions(message.body(), room.nick()) ? null : PushVerdict.SkipReason.NOT_MENTIONED;
        };
    }

    private static boolean mentions(String body, String nick) {
        return body != null && nick != null
                && body.toLowerCase(Locale.ROOT).contains(nick.toLowerCase(Locale.ROOT));
    }
}
