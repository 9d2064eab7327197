package io.pushcomponent.provider.apns;

import io.pushcomponent.api.RejectionReason;

/**
 * Maps APNs' rejection reasons onto {@link RejectionReason} and says which ones are worth another attempt.
 *
 * <p>Stateless.
 *
 * @see <a href="https://developer.apple.com/documentation/usernotifications/handling-notification-responses-from-apns">
 * Handling notification responses from APNs</a>
 */
final class ApnsRejection {
    private ApnsRejection() {
    }

    /**
     * The normalised reason for an APNs rejection.
     *
     * @param reason the {@code reason} from APNs' JSON answer; {@code null} when there was none
     * @param status the HTTP status
     */
    static RejectionReason map(String reason, int status) {
        if (reason == null) {
            return byStatus(status);
        }
        return switch (reason) {
            case "BadDeviceToken", "Unregistered", "ExpiredToken" -> RejectionReason.INVALID_TOKEN;
            case "DeviceTokenNotForTopic" -> RejectionReason.TOPIC_MISMATCH;
            case "PayloadTooLarge" -> RejectionReason.PAYLOAD_TOO_LARGE;
            case "TooManyRequests", "TooManyProviderTokenUpdates" -> RejectionReason.QUOTA_EXCEEDED;
            case "InternalServerError", "ServiceUnavailable", "Shutdown", "IdleTimeout" -> RejectionReason.UNAVAILABLE;
            case "BadCertificate", "BadCertificateEnvironment", "ExpiredProviderToken", "Forbidden",
                    "InvalidProviderToken", "MissingProviderToken", "TopicDisallowed", "BadTopic" ->
                    RejectionReason.AUTH_FAILED;
            case "BadCollapseId", "BadExpirationDate", "BadMessageId", "BadPriority", "DuplicateHeaders",
                    "InvalidPushType", "MissingDeviceToken", "MissingTopic", "PayloadEmpty", "BadPath",
                    "MethodNotAllowed" -> RejectionReason.BAD_REQUEST;
            default -> byStatus(status);
        };
    }

    /**
     * The reason for a rejection of a push sent to the device's second (PushKit VoIP) token: a dead or foreign
     * token there says nothing about the ordinary token, so it becomes {@link RejectionReason#SECOND_TOKEN_INVALID};
     * every other reason stays as it is.
     */
    static RejectionReason forSecondToken(RejectionReason reason) {
        return reason == RejectionReason.INVALID_TOKEN || reason == RejectionReason.TOPIC_MISMATCH
                ? RejectionReason.SECOND_TOKEN_INVALID : reason;
    }

    /** {@code true} for the reasons APNs uses when it is overloaded or restarting: try again after a pause. */
    static boolean isRetryable(String reason, int status) {
        if (reason == null) {
            return status == 429 || status >= 500;
        }
        return switch (reason) {
            case "TooManyRequests", "InternalServerError", "ServiceUnavailable", "Shutdown" -> true;
            default -> false;
        };
    }

    private static RejectionReason byStatus(int status) {
        if (status == 410) {
            return RejectionReason.INVALID_TOKEN;
        }
        if (status == 413) {
            return RejectionReason.PAYLOAD_TOO_LARGE;
        }
        if (status == 429) {
            return RejectionReason.QUOTA_EXCEEDED;
        }
        if (status >= 500) {
            return RejectionReason.UNAVAILABLE;
        }
        return RejectionReason.UNKNOWN;
    }
}
