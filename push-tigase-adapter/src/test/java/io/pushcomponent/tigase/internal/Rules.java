package io.pushcomponent.tigase.internal;

import io.pushcomponent.tigase.RosterView;
import java.util.Objects;

/** The rules of {@link TigasePushRules} applied in the order the dialect's features apply them. */
final class Rules {
    private Rules() {
    }

    /**
     * The verdict for {@code message} arriving for {@code account}: the first rule that refuses it, or the push.
     *
     * @param account the account's bare JID
     * @param message the message
     * @param options the registration's options
     * @param roster  the host's roster; consulted only when {@code ignore-unknown} is on
     */
    static PushVerdict decide(String account, IncomingMessage message, TigasePushOptions options,
                              RosterView roster) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(options, "options");
        PushVerdict.SkipReason refused = TigasePushRules.call(account, message, options);
        if (refused == null) {
            refused = TigasePushRules.muted(message, options);
        }
        if (refused == null) {
            refused = TigasePushRules.groupchat(message, options);
        }
        if (refused == null) {
            refused = TigasePushRules.unknownSender(account, message, options, roster);
        }
        return refused != null ? new PushVerdict.Skip(refused) : TigasePushRules.push(message, options);
    }

}
