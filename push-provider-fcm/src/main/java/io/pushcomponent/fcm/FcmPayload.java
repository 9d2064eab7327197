package io.pushcomponent.fcm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * {@code unread-messages} {@code 0} is kept because it clears the badge. An encrypted Tigase payload adds
 * {@code encrypted} and {@code iv}. Stateless and thread-safe.
 *
 * @see <a href="https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages">FCM HTTP v1 Message</a>
 */
final class FcmPayload {
    /** FCM's limit on the data payload: keys and values, UTF-8 bytes. */
    static final int MAX_DATA_BYTES = 4096;

    private static final JsonFactory JSON = new JsonFactory();
    private static final String ELLIPSIS = "…";

    private FcmPayload() {
    }

    /**
     * The request body, or {@code null} when the data exceeds {@link #MAX_DATA_BYTES} even with the message body
     * shortened away.
     */
    static byte[] encode(PushRequest request, Duration ttl, Duration callTtl) {
        Map<String, String> data = data(request);
        if (!fit(data)) {
            return null;
        }
        boolean call = request.kind() == PushKind.CALL || request.kind() == PushKind.CALL_ENDED;
        String collapseKey = request.collapseKey() != null ? request.collapseKey() : request.account();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("message");
            g.writeStringField("token", request.device().token());
            g.writeObjectFieldStart("data");
            for (Map.Entry<String, String> e : data.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("android");
            g.writeStringField("priority", high(request, data) ? "high" : "normal");
            g.writeStringField("ttl", (call ? callTtl : ttl).toSeconds() + "s");
            if (collapseKey != null && !collapseKey.isEmpty()) {
                g.writeStringField("collapse_key", collapseKey);
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
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

    private static Map<String, String> data(PushRequest request) {
        Map<String, String> data = new LinkedHashMap<>();
        Summary s = request.summary();
        put(data, "account", request.account());
        put(data, "unread-messages", s.messageCount() == null ? null : s.messageCount().toString());
        put(data, "sender", s.lastMessageSender());
        put(data, "nickname", s.nickname());
        put(data, "body", s.lastMessageBody());
        EncryptedPayload encrypted = request.encrypted();
        if (encrypted != null) {
            put(data, "encrypted", encrypted.ciphertext());
            put(data, "iv", encrypted.iv());
        }
        return data;
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

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
