package io.pushcomponent.provider.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcomponent.api.RejectionReason;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * An FCM HTTP v1 error answer and what to do about it.
 *
 * <p>FCM answers errors with a google.rpc status body: {@code {"error": {"code": 404, "status": "NOT_FOUND",
 * "message": "...", "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
 * "errorCode": "UNREGISTERED"}]}}}. A device is only given up on the strength of an explicit FCM error code or an
 * {@code INVALID_ARGUMENT} naming the registration token: a bare 404 (a proxy's, or a wrong {@code base-url}) must not
 * remove every device.
 *
 * @param action     what the provider does next
 * @param reason     the rejection reason if it gives up
 * @param detail     HTTP status and FCM error code, for logs and {@code Rejected.detail}; no token, no message text
 * @param retryAfter FCM's {@code Retry-After}; {@code null} when absent
 * @see <a href="https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode">FCM error codes</a>
 */
record FcmRejection(Action action, RejectionReason reason, String detail, Duration retryAfter) {

    /** What to do with an error answer. */
    enum Action {
        /** Give up: the push is rejected with {@link #reason}. */
        REJECT,
        /** Wait (backoff or {@code Retry-After}) and send again; after the last retry, reject. */
        RETRY,
        /** Fetch a new access token and send again, once; then reject with {@code AUTH_FAILED}. */
        REAUTHENTICATE
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError";
    private static final String BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest";

    static FcmRejection classify(int httpStatus, byte[] body, String retryAfterHeader, Clock clock) {
        JsonNode error = parse(body).path("error");
        String status = error.path("status").asText("");
        String errorCode = fcmErrorCode(error);
        String detail = "HTTP " + httpStatus + (status.isEmpty() ? "" : " " + status)
                + (errorCode.isEmpty() || errorCode.equals(status) ? "" : " " + errorCode);
        Duration retryAfter = retryAfter(retryAfterHeader, clock);

        if (errorCode.equals("UNREGISTERED") || errorCode.equals("SENDER_ID_MISMATCH")) {
            return reject(RejectionReason.INVALID_TOKEN, detail);
        }
        if (httpStatus == 400 || errorCode.equals("INVALID_ARGUMENT") || status.equals("INVALID_ARGUMENT")) {
            if (aboutToken(error)) {
                return reject(RejectionReason.INVALID_TOKEN, detail);
            }
            String message = error.path("message").asText("").toLowerCase(Locale.ROOT);
            return reject(message.contains("too big") || message.contains("too large")
                    ? RejectionReason.PAYLOAD_TOO_LARGE : RejectionReason.BAD_REQUEST, detail);
        }
        if (httpStatus == 401 || httpStatus == 403) {
            return new FcmRejection(Action.REAUTHENTICATE, RejectionReason.AUTH_FAILED, detail, null);
        }
        if (httpStatus == 429 || errorCode.equals("QUOTA_EXCEEDED")) {
            return new FcmRejection(Action.RETRY, RejectionReason.QUOTA_EXCEEDED, detail, retryAfter);
        }
        if (httpStatus >= 500) {
            return new FcmRejection(Action.RETRY, RejectionReason.UNAVAILABLE, detail, retryAfter);
        }
        return new FcmRejection(Action.REJECT, RejectionReason.UNKNOWN, detail, retryAfter);
    }

    private static FcmRejection reject(RejectionReason reason, String detail) {
        return new FcmRejection(Action.REJECT, reason, detail, null);
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : JSON.readTree(body);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static String fcmErrorCode(JsonNode error) {
        for (JsonNode d : error.path("details")) {
            if (FCM_ERROR_TYPE.equals(d.path("@type").asText())) {
                return d.path("errorCode").asText("");
            }
        }
        return "";
    }

    /** An {@code INVALID_ARGUMENT} about the registration token rather than about the message. */
    private static boolean aboutToken(JsonNode error) {
        for (JsonNode d : error.path("details")) {
            if (BAD_REQUEST_TYPE.equals(d.path("@type").asText())) {
                for (JsonNode v : d.path("fieldViolations")) {
                    if ("message.token".equals(v.path("field").asText())) {
                        return true;
                    }
                }
            }
        }
        return error.path("message").asText("").toLowerCase(Locale.ROOT).contains("registration token");
    }

    /** {@code Retry-After} as seconds or as an HTTP date; {@code null} when absent or unreadable. */
    static Duration retryAfter(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
