package io.pushcomponent.provider.webpush;

import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import io.pushcomponent.webpush.crypto.WebPushEncryption;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The message a browser's service worker receives ({@code event.data.json()}) and the RFC 8030 headers. The message
 * is a JSON object of strings with the keys of the FCM provider's data message, so one service worker can read both,
 * and {@code kind}:
 *
 * <pre>{@code
 * {"kind": "message", "account": "juliet@example.com", "unread-messages": "1", "sender": "romeo@example.net",
 *  "nickname": "Romeo", "body": "Wherefore art thou?"}
 * }</pre>
 *
 * <p>{@code kind} is {@code message}, {@code background} (a wake-up or a badge clear), {@code call} or
 * {@code call-ended}. Absent and empty values are left out, but {@code unread-messages} {@code 0} is kept because it
 * clears the badge. An end-to-end encrypted payload adds {@code encrypted} and {@code iv}. The body is shortened so
 * that the message fits the 3,993 bytes a Web Push message can carry. Stateless and thread-safe.
 */
final class WebPushPayload {
    private static final String ELLIPSIS = "…";

    private WebPushPayload() {
    }

    /** The message, or {@code null} when it exceeds {@link WebPushEncryption#MAX_PLAINTEXT} even without a body. */
    static byte[] message(PushRequest request) {
        Map<String, String> data = new LinkedHashMap<>();
        Summary s = request.summary();
        put(data, "kind", request.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
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
        byte[] json = json(data);
        if (json.length <= WebPushEncryption.MAX_PLAINTEXT) {
            return json;
        }
        String body = data.get("body");
        if (body == null) {
            return null;
        }
        int room = body.getBytes(StandardCharsets.UTF_8).length - (json.length - WebPushEncryption.MAX_PLAINTEXT)
                - ELLIPSIS.getBytes(StandardCharsets.UTF_8).length;
        while (room > 0) {
            data.put("body", truncate(body, room) + ELLIPSIS);
            json = json(data);
            if (json.length <= WebPushEncryption.MAX_PLAINTEXT) {
                return json;
            }
            room -= json.length - WebPushEncryption.MAX_PLAINTEXT;
        }
        return null;
    }

    /**
     * RFC 8030's {@code Urgency}: {@code high} for calls, for a message body and for an encrypted payload the
     * publisher marked high; {@code low} for a wake-up or badge clear; {@code normal} otherwise.
     */
    static String urgency(PushRequest request) {
        boolean call = request.kind() == PushKind.CALL || request.kind() == PushKind.CALL_ENDED;
        if (call || request.summary().lastMessageBody() != null || request.priority() == PushPriority.HIGH) {
            return "high";
        }
        return request.kind() == PushKind.BACKGROUND ? "low" : "normal";
    }

    /**
     * RFC 8030's {@code Topic}, so that a newer push replaces an undelivered older one of the same account: the
     * collapse key (or account) hashed to 32 characters of the base64url alphabet, which is all a topic may hold;
     * {@code null} when there is neither.
     */
    static String topic(PushRequest request) {
        String key = request.collapseKey() != null ? request.collapseKey() : request.account();
        if (key == null || key.isEmpty()) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void put(Map<String, String> data, String key, String value) {
        if (value != null && !value.isEmpty()) {
            data.put(key, value);
        }
    }

    private static byte[] json(Map<String, String> data) {
        StringBuilder json = new StringBuilder(256).append('{');
        for (Map.Entry<String, String> e : data.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            string(json, e.getKey()).append(':');
            string(json, e.getValue());
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder string(StringBuilder json, String s) {
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
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
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
}
