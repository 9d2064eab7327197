package io.pushcomponent.provider.fcm;

import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.api.Jid;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the body of an FCM HTTP v1 {@code messages:send} request: a data message with the keys Tigase's Android
 * client Stork reads.
 *
 * <pre>{@code
 * {"message": {"token": "...",
 *              "data": {"account": "juliet@example.com", "unread-messages": "1", "sender": "romeo@example.net",
 *                       "nickname": "Romeo", "body": "Wherefore art thou?"},
 *              "android": {"priority": "high", "ttl": "86400s", "collapse_key": "juliet@example.com"}}}
 * }</pre>
 *
 * <p>Data values are strings (FCM refuses anything else); absent and empty values are left out, but
 * {@code unread-messages} {@code 0} is kept because it clears the badge. {@code sender} is the sender's bare JID
 * unless the provider is configured with {@code sender-jid = 'full'}. An encrypted Tigase payload adds
 * {@code encrypted} and {@code iv}. Stateless and thread-safe.
 *
 * @see <a href="https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages">FCM HTTP v1 Message</a>
 */
final class FcmPayload {
    /** FCM's limit on the data payload: keys and values, UTF-8 bytes. */
    static final int MAX_DATA_BYTES = 4096;

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String ELLIPSIS = "…";

    private FcmPayload() {
    }

    /**
     * The request body, or {@code null} when the data exceeds {@link #MAX_DATA_BYTES} even with the message body
     * shortened away.
     */
    static byte[] encode(PushRequest request, Duration ttl, Duration callTtl, boolean fullSenderJid) {
        Map<String, String> data = data(request, fullSenderJid);
        if (!fit(data)) {
            return null;
        }
        boolean call = request.kind() == PushKind.CALL || request.kind() == PushKind.CALL_ENDED;
        String collapseKey = request.collapseKey() != null ? request.collapseKey() : request.account();
        // written by hand: this runs for every push, and a general-purpose generator cost several times as much
        StringBuilder json = new StringBuilder(512).append("{\"message\":{\"token\":");
        string(json, request.device().token()).append(",\"data\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : data.entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            string(json, e.getKey()).append(':');
            string(json, e.getValue());
        }
        json.append("},\"android\":{\"priority\":\"").append(high(request, data) ? "high" : "normal")
                .append("\",\"ttl\":\"").append((call ? callTtl : ttl).toSeconds()).append("s\"");
        if (collapseKey != null && !collapseKey.isEmpty()) {
            string(json.append(",\"collapse_key\":"), collapseKey);
        }
        return json.append("}}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code s} as a JSON string (RFC 8259 section 7). */
    static StringBuilder string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }

    /**
     * {@code high} wakes the device at once: for a message body and for calls (a retraction too, so that ringing
     * stops). An encrypted payload hides the body from us, so there the publisher's priority decides; Tigase
     * servers set it high exactly when there is a body or a call.
     */
    private static boolean high(PushRequest request, Map<String, String> data) {
        return data.containsKey("body")
                || request.kind() == PushKind.CALL || request.kind() == PushKind.CALL_ENDED
                || (request.encrypted() != null && request.priority() == PushPriority.HIGH);
    }

    private static Map<String, String> data(PushRequest request, boolean fullSenderJid) {
        Map<String, String> data = new LinkedHashMap<>();
        Summary s = request.summary();
        put(data, "account", request.account());
        put(data, "unread-messages", s.messageCount() == null ? null : s.messageCount().toString());
        put(data, "sender", fullSenderJid ? s.lastMessageSender() : bare(s.lastMessageSender()));
        put(data, "nickname", s.nickname());
        put(data, "body", s.lastMessageBody());
        EncryptedPayload encrypted = request.encrypted();
        if (encrypted != null) {
            put(data, "encrypted", encrypted.ciphertext());
            put(data, "iv", encrypted.iv());
        }
        return data;
    }

    /**
     * The bare JID of a sender JID: servers send the full JID ({@code romeo@example.net/orchard}), which names one
     * of the sender's devices; apps show and match contacts by bare JID. Text that is no JID is passed on as it is.
     */
    static String bare(String sender) {
        if (sender == null || sender.indexOf('/') < 0) {
            return sender;
        }
        return Jid.tryParse(sender).map(j -> j.bare().toString()).orElse(sender);
    }

    private static void put(Map<String, String> data, String key, String value) {
        if (value != null && !value.isEmpty()) {
            data.put(key, value);
        }
    }

    /**
     * Makes the data fit FCM's limit by shortening the message body (a notification shows a preview, and a refused
     * push shows nothing); {@code false} when it cannot fit.
     */
    private static boolean fit(Map<String, String> data) {
        int size = size(data);
        if (size <= MAX_DATA_BYTES) {
            return true;
        }
        String body = data.get("body");
        if (body == null) {
            return false;
        }
        int bodyBytes = utf8Length(body);
        int room = MAX_DATA_BYTES - (size - bodyBytes) - utf8Length(ELLIPSIS);
        if (room <= 0) {
            return false;
        }
        data.put("body", truncate(body, room) + ELLIPSIS);
        return true;
    }

    static int size(Map<String, String> data) {
        int size = 0;
        for (Map.Entry<String, String> e : data.entrySet()) {
            size += utf8Length(e.getKey()) + utf8Length(e.getValue());
        }
        return size;
    }

    /** The longest prefix of {@code s} of at most {@code maxBytes} UTF-8 bytes that does not split a code point. */
    private static String truncate(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    /** UTF-8 length without encoding: this runs for every key and value of every push. */
    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
