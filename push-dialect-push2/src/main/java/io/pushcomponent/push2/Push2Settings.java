package io.pushcomponent.push2;

import io.pushcomponent.api.RetryPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How the user's-server side of Push 2.0 sends and retries. Immutable.
 *
 * @param retry           how a notification the push service answered with a {@code wait} error is sent again:
 *                        capped exponential back-off with jitter, then given up (a failure)
 * @param disableAfter    how long a registration may keep failing (every notification in that time given up or
 *                        refused) before it is disabled; the draft recommends no less than 72 hours
 * @param answerWindow    how long after sending a notification an error reply is still taken as its answer; a
 *                        notification without an error reply in that time counts as delivered
 * @param maxPayloadBytes the most characters of the base64 {@code <payload/>} of an encrypted notification, so
 *                        that app servers can deliver it: APNs takes 4,096 bytes with the alert around the payload,
 *                        FCM 4,096 bytes of data with its keys; the forwarded stanza is trimmed to fit (and to the
 *                        draft's {@value #STANZA_CAP} bytes), keeping its archive id
 * @param contactUri      the {@code sub} claim of the RFC 8292 token, a contact for the push service; {@code null}
 *                        for {@code xmpp:} and the server's domain
 * @see <a href="https://xmpp.org/extensions/inbox/push2.html">Push 2.0</a>
 */
public record Push2Settings(RetryPolicy retry, Duration disableAfter, Duration answerWindow, int maxPayloadBytes,
                            String contactUri) {
    /** The draft's cap on the forwarded stanza (its envelope), in bytes. */
    public static final int STANZA_CAP = 4096;
    /** The default payload cap: 4,096 bytes less the 160 that APNs' alert or FCM's keys take around it. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 3936;
    /** The smallest payload cap: room for the encryption's header and a short stanza. */
    public static final int MIN_PAYLOAD_BYTES = 512;

    public Push2Settings {
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(disableAfter, "disableAfter");
        Objects.requireNonNull(answerWindow, "answerWindow");
        if (disableAfter.isNegative() || answerWindow.isNegative() || answerWindow.isZero()) {
            throw new IllegalArgumentException("disableAfter must not be negative and answerWindow must be positive");
        }
        if (maxPayloadBytes < MIN_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("maxPayloadBytes must be at least " + MIN_PAYLOAD_BYTES + ": "
                    + maxPayloadBytes);
        }
    }

    /**
     * Retries after 5 s, 10 s, … up to 5 minutes apart, 8 times; disabled after 72 hours of failures; error replies
     * taken for 2 minutes; a payload of {@value #DEFAULT_MAX_PAYLOAD_BYTES} characters; {@code sub} {@code xmpp:} and
     * the domain.
     */
    public static Push2Settings defaults() {
        return new Push2Settings(new RetryPolicy(Duration.ofSeconds(5), Duration.ofMinutes(5), 8),
                Duration.ofHours(72), Duration.ofMinutes(2), DEFAULT_MAX_PAYLOAD_BYTES, null);
    }

    /** These settings with another retry policy. */
    public Push2Settings withRetry(RetryPolicy retry) {
        return new Push2Settings(retry, disableAfter, answerWindow, maxPayloadBytes, contactUri);
    }

    /** These settings with another time of failures before a registration is disabled. */
    public Push2Settings withDisableAfter(Duration disableAfter) {
        return new Push2Settings(retry, disableAfter, answerWindow, maxPayloadBytes, contactUri);
    }

    /** These settings with another answer window. */
    public Push2Settings withAnswerWindow(Duration answerWindow) {
        return new Push2Settings(retry, disableAfter, answerWindow, maxPayloadBytes, contactUri);
    }

    /** These settings with another payload cap. */
    public Push2Settings withMaxPayloadBytes(int maxPayloadBytes) {
        return new Push2Settings(retry, disableAfter, answerWindow, maxPayloadBytes, contactUri);
    }

    /** These settings with another {@code sub} claim. */
    public Push2Settings withContactUri(String contactUri) {
        return new Push2Settings(retry, disableAfter, answerWindow, maxPayloadBytes, contactUri);
    }
}
