package io.pushcomponent.core.user;

import io.pushcomponent.api.Redaction;
import java.time.Instant;

/**
 * What became of the publishes for one of an account's push registrations, as the user's server saw it: when it last
 * published to the app server, when and how the app server last answered, and how many errors in a row it has
 * answered. Tells an operator of the user's server whether a push stopped here (no publish), at the app server (an
 * error answer) or beyond it (result answers, yet nothing on the device).
 *
 * @param jid          the app server's JID
 * @param node         the node published to
 * @param lastPublish  when the last publish was sent, or {@code null} (none since the service started)
 * @param lastAnswerAt when the app server last answered (or the last publish timed out), or {@code null}
 * @param lastAnswer   that answer: {@code result}, {@code timeout}, or the error as {@code type/condition} (e.g.
 *                     {@code wait/resource-constraint}); {@code null} when none
 * @param errorCount   the app server's errors and time-outs in a row (from the store; a result resets it)
 * @see PushEnablementService#diagnostics(String)
 */
public record PublishDiagnostics(String jid, String node, Instant lastPublish, Instant lastAnswerAt,
                                 String lastAnswer, int errorCount) {
    @Override
    public String toString() {
        return "PublishDiagnostics[jid=" + jid + ", node=" + Redaction.token(node) + ", lastPublish=" + lastPublish
                + ", lastAnswerAt=" + lastAnswerAt + ", lastAnswer=" + lastAnswer + ", errorCount=" + errorCount + "]";
    }
}
