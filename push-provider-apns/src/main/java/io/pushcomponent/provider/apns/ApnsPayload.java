package io.pushcomponent.provider.apns;

import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.util.ApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import com.eatthepath.pushy.apns.util.TokenUtil;
import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.api.Jid;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Turns a {@link PushRequest} into an APNs notification: push type, priority, topic, token and JSON payload.
 *
 * <ul>
 *   <li>{@code MESSAGE}: an alert with {@code mutable-content} (a notification service extension may rewrite it),
 *       the default sound, the badge from the unread count, the account as thread id; priority 10 (5 when the
 *       request's priority is {@code NORMAL}).</li>
 *   <li>{@code BACKGROUND}: {@code content-available}, push type {@code background}, priority 5; badge 0 when the
 *       unread count is 0, so that a {@code message-count} 0 notification clears the badge. For an app configured
 *       with {@code wake-up = 'alert'}, every background push but a badge clear goes as a {@code MESSAGE} alert
 *       with the {@code alert-body} placeholder at priority 10 instead (iOS throttles background pushes to a few an
 *       hour; an alert reaches the app's notification service extension at once).</li>
 *   <li>{@code CALL}: push type {@code voip} to {@code <topic>.voip} and the device's second (PushKit) token,
 *       priority 10. Without a second token the call goes as an alert to the ordinary token instead, so that the user
 *       still sees it.</li>
 *   <li>{@code CALL_ENDED}: a background push to the ordinary token; a VoIP push must always report a new call
 *       to CallKit, so it cannot carry the end of one.</li>
 * </ul>
 *
 * Every payload carries the keys Tigase's iOS clients read at top level: {@code account}, {@code sender},
 * {@code body}, {@code unread-messages} (a number), {@code nickname}, and {@code encrypted} + {@code iv} for an
 * end-to-end encrypted notification; each only when known. The sender is its bare JID unless the app is configured
 * with {@code sender-jid = 'full'}. A body that makes the payload exceed APNs' limit is
 * shortened; what still does not fit is reported by {@link Outgoing#isTooLarge()}.
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://developer.apple.com/documentation/usernotifications/generating-a-remote-notification">
 * Generating a remote notification</a>
 */
final class ApnsPayload {
    /** APNs' payload limit for every push type but VoIP. */
    static final int MAX_PAYLOAD = 4096;
    /** APNs' payload limit for VoIP pushes. */
    static final int MAX_VOIP_PAYLOAD = 5120;

    private static final int MAX_COLLAPSE_ID_BYTES = 64;
    private static final String ELLIPSIS = "…";

    private final Duration expiration;
    private final Duration callExpiration;
    private final String alertBody;
    private final String callAlertBody;
    private final Map<String, ApnsConfig.App> apps = new HashMap<>();

    ApnsPayload(ApnsConfig config) {
        this.expiration = config.expiration();
        this.callExpiration = config.callExpiration();
        this.alertBody = config.alertBody();
        this.callAlertBody = config.callAlertBody();
        config.apps().forEach(app -> apps.put(app.topic(), app));
    }

    /** The notification for {@code request} to the configured app with bundle id {@code topic}. */
    Outgoing build(PushRequest request, String topic) {
        ApnsConfig.App app = apps.get(topic);
        if (app != null && !app.fullSender()) {
            request = withBareSender(request);
        }
        String token = sanitize(request.device().token());
        String collapseId = collapseId(request.collapseKey());
        return switch (request.kind()) {
            case MESSAGE -> alert(request, token, topic, collapseId, alertBody,
                    request.priority() == PushPriority.HIGH ? DeliveryPriority.IMMEDIATE
                            : DeliveryPriority.CONSERVE_POWER, expiration);
            case BACKGROUND -> app != null && app.wakeUpAlert() && !isBadgeClear(request)
                    ? alert(request, token, topic, collapseId, alertBody, DeliveryPriority.IMMEDIATE, expiration)
                    : background(request, token, topic, collapseId);
            case CALL_ENDED -> background(request, token, topic, collapseId);
            case CALL -> request.device().secondToken() == null
                    ? alert(request, token, topic, null, callAlertBody, DeliveryPriority.IMMEDIATE, callExpiration)
                    : voip(request, topic);
        };
    }

    /** A notification whose only news is an unread count of 0: it clears the badge and shows nothing. */
    private static boolean isBadgeClear(PushRequest request) {
        Integer count = request.summary().messageCount();
        return count != null && count == 0;
    }

    /**
     * The request with the sender's bare JID: servers send the full JID ({@code romeo@example.net/orchard}), which
     * names one of the sender's devices; apps show and match contacts by bare JID. Text that is no JID stays.
     */
    private static PushRequest withBareSender(PushRequest request) {
        Summary s = request.summary();
        String sender = s.lastMessageSender();
        if (sender == null || sender.indexOf('/') < 0) {
            return request;
        }
        String bare = Jid.tryParse(sender).map(j -> j.bare().toString()).orElse(sender);
        return new PushRequest(request.device(), request.account(), new Summary(s.messageCount(), bare,
                s.lastMessageBody(), s.pendingSubscriptionCount(), s.nickname()), request.kind(), request.priority(),
                request.encrypted(), request.collapseKey());
    }

    private Outgoing alert(PushRequest request, String token, String topic, String collapseId, String fallbackBody,
                           DeliveryPriority priority, Duration expiresAfter) {
        String body = request.encrypted() == null ? request.summary().lastMessageBody() : null;
        String payload = alertPayload(request, body, fallbackBody);
        if (body != null && payload.length() > MAX_PAYLOAD / 3 && size(payload) > MAX_PAYLOAD) {
            payload = shortenedAlertPayload(request, body, fallbackBody);
        }
        return new Outgoing(token, topic, PushType.ALERT, priority, payload, collapseId, expiresAt(expiresAfter),
                MAX_PAYLOAD);
    }

    private static String alertPayload(PushRequest request, String body, String fallbackBody) {
        Summary summary = request.summary();
        String title = summary.nickname() != null ? summary.nickname() : summary.lastMessageSender();
        ApnsPayloadBuilder builder = new SimpleApnsPayloadBuilder()
                .setAlertBody(body != null ? body : fallbackBody)
                .setMutableContent(true)
                .setSound(ApnsPayloadBuilder.DEFAULT_SOUND_FILENAME);
        if (title != null) {
            builder.setAlertTitle(title);
        }
        if (summary.messageCount() != null) {
            builder.setBadgeNumber(summary.messageCount());
        }
        if (request.account() != null) {
            builder.setThreadId(request.account());
        }
        addClientKeys(builder, request, body);
        return builder.build();
    }

    /**
     * The payload with the longest prefix of the body (cut at a code point, marked with an ellipsis) that fits;
     * without the body when not even the ellipsis fits. The size grows with the prefix, so a binary search finds it.
     */
    private static String shortenedAlertPayload(PushRequest request, String body, String fallbackBody) {
        int low = 0;
        int high = body.codePointCount(0, body.length()) - 1;
        String best = null;
        while (low <= high) {
            int keep = (low + high) >>> 1;
            String candidate = alertPayload(request, body.substring(0, body.offsetByCodePoints(0, keep)) + ELLIPSIS,
                    fallbackBody);
            if (size(candidate) <= MAX_PAYLOAD) {
                best = candidate;
                low = keep + 1;
            } else {
                high = keep - 1;
            }
        }
        return best != null ? best : alertPayload(request, null, fallbackBody);
    }

    private Outgoing background(PushRequest request, String token, String topic, String collapseId) {
        ApnsPayloadBuilder builder = new SimpleApnsPayloadBuilder().setContentAvailable(true);
        Integer count = request.summary().messageCount();
        if (count != null && count == 0) {
            builder.setBadgeNumber(0);
        }
        addAccountKeys(builder, request);
        return new Outgoing(token, topic, PushType.BACKGROUND, DeliveryPriority.CONSERVE_POWER, builder.build(),
                collapseId, expiresAt(expiration), MAX_PAYLOAD);
    }

    private Outgoing voip(PushRequest request, String topic) {
        ApnsPayloadBuilder builder = new SimpleApnsPayloadBuilder();
        addClientKeys(builder, request, request.encrypted() == null ? request.summary().lastMessageBody() : null);
        return new Outgoing(sanitize(request.device().secondToken()), topic + ".voip",
                PushType.VOIP, DeliveryPriority.IMMEDIATE, builder.build(), null, expiresAt(callExpiration),
                MAX_VOIP_PAYLOAD);
    }

    private static void addClientKeys(ApnsPayloadBuilder builder, PushRequest request, String body) {
        Summary summary = request.summary();
        addAccountKeys(builder, request);
        putIfPresent(builder, "sender", summary.lastMessageSender());
        putIfPresent(builder, "body", body);
        putIfPresent(builder, "nickname", summary.nickname());
    }

    private static void addAccountKeys(ApnsPayloadBuilder builder, PushRequest request) {
        putIfPresent(builder, "account", request.account());
        if (request.summary().messageCount() != null) {
            builder.addCustomProperty("unread-messages", request.summary().messageCount());
        }
        EncryptedPayload encrypted = request.encrypted();
        if (encrypted != null) {
            builder.addCustomProperty("encrypted", encrypted.ciphertext());
            putIfPresent(builder, "iv", encrypted.iv());
        }
    }

    private static void putIfPresent(ApnsPayloadBuilder builder, String key, String value) {
        if (value != null) {
            builder.addCustomProperty(key, value);
        }
    }

    /**
     * The token as APNs takes it: hex digits only. Clients that send {@code NSData}'s description ({@code <a1b2 ...>})
     * get it cleaned; a clean token (nearly all) is returned without the regular expression's cost.
     */
    private static String sanitize(String token) {
        for (int i = 0; i < token.length(); i++) {
            if (Character.digit(token.charAt(i), 16) < 0) {
                return TokenUtil.sanitizeTokenString(token);
            }
        }
        return token;
    }

    /** APNs refuses collapse ids over 64 bytes; a longer key (a long JID) is replaced by its SHA-256. */
    private static String collapseId(String key) {
        if (key == null || key.length() * 3 <= MAX_COLLAPSE_ID_BYTES
                || key.getBytes(StandardCharsets.UTF_8).length <= MAX_COLLAPSE_ID_BYTES) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@code PT0S} means "deliver now or never", which APNs spells as expiration 0. */
    private static Instant expiresAt(Duration after) {
        return after.isZero() ? Instant.EPOCH : Instant.now().plus(after);
    }

    private static int size(String payload) {
        return payload.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * A notification ready for pushy.
     *
     * @param payloadSize the payload's size in bytes (UTF-8)
     * @param limit       the payload limit for its push type
     */
    record Outgoing(String token, String topic, PushType pushType, DeliveryPriority priority, String payload,
                    int payloadSize, String collapseId, Instant expiration, int limit) {

        Outgoing(String token, String topic, PushType pushType, DeliveryPriority priority, String payload,
                 String collapseId, Instant expiration, int limit) {
            this(token, topic, pushType, priority, payload, size(payload), collapseId, expiration, limit);
        }

        boolean isTooLarge() {
            return payloadSize > limit;
        }

        SimpleApnsPushNotification toNotification() {
            return new SimpleApnsPushNotification(token, topic, payload, expiration, priority, pushType, collapseId);
        }

        @Override
        public String toString() {
            return "Outgoing[token=" + io.pushcomponent.api.Redaction.token(token) + ", topic=" + topic
                    + ", pushType=" + pushType + ", priority=" + priority + ", payload=(" + payloadSize()
                    + " bytes), collapseId=" + collapseId + ", expiration=" + expiration + "]";
        }
    }
}
