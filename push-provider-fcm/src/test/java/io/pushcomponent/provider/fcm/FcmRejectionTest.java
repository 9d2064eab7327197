package io.pushcomponent.provider.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.provider.fcm.FcmRejection.Action;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FCM's error answers (bodies as the FCM HTTP v1 error-code reference shows them) and what the provider does. */
class FcmRejectionTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T20:00:00Z"), ZoneOffset.UTC);

    private static String body(int code, String status, String fcmErrorCode, String message) {
        String details = fcmErrorCode.isEmpty() ? "" : ", \"details\": [{\"@type\": "
                + "\"type.googleapis.com/google.firebase.fcm.v1.FcmError\", \"errorCode\": \"" + fcmErrorCode + "\"}]";
        return "{\"error\": {\"code\": " + code + ", \"message\": \"" + message + "\", \"status\": \"" + status + "\""
                + details + "}}";
    }

    @ParameterizedTest(name = "{0} {1}/{2} -> {4} {5}")
    @CsvSource(delimiter = '|', value = {
            "404 | NOT_FOUND          | UNREGISTERED       | Requested entity was not found.                               | REJECT         | INVALID_TOKEN",
            "400 | INVALID_ARGUMENT   | INVALID_ARGUMENT   | The registration token is not a valid FCM registration token  | REJECT         | INVALID_TOKEN",
            "403 | PERMISSION_DENIED  | SENDER_ID_MISMATCH | SenderId mismatch                                             | REJECT         | INVALID_TOKEN",
            "400 | INVALID_ARGUMENT   | INVALID_ARGUMENT   | Invalid data payload key: from                                | REJECT         | BAD_REQUEST",
            "400 | INVALID_ARGUMENT   | INVALID_ARGUMENT   | Message too big                                               | REJECT         | PAYLOAD_TOO_LARGE",
            "429 | RESOURCE_EXHAUSTED | QUOTA_EXCEEDED     | Quota exceeded                                                | RETRY          | QUOTA_EXCEEDED",
            "503 | UNAVAILABLE        | UNAVAILABLE        | The service is currently unavailable.                         | RETRY          | UNAVAILABLE",
            "500 | INTERNAL           | INTERNAL           | Internal error encountered.                                   | RETRY          | UNAVAILABLE",
            "502 | ''                 | ''                 | Bad Gateway                                                   | RETRY          | UNAVAILABLE",
            "401 | UNAUTHENTICATED    | ''                 | Request had invalid authentication credentials.               | REAUTHENTICATE | AUTH_FAILED",
            "401 | UNAUTHENTICATED    | THIRD_PARTY_AUTH_ERROR | APNs certificate invalid                                  | REAUTHENTICATE | AUTH_FAILED",
            "403 | PERMISSION_DENIED  | ''                 | The caller does not have permission                           | REAUTHENTICATE | AUTH_FAILED",
            "404 | NOT_FOUND          | ''                 | Requested entity was not found.                               | REJECT         | UNKNOWN",
    })
    void errorAnswersMapToOneActionAndReason(int http, String status, String errorCode, String message,
                                              Action action, RejectionReason reason) {
        FcmRejection e = FcmRejection.classify(http, body(http, status, errorCode, message).getBytes(StandardCharsets.UTF_8),
                null, CLOCK);

        assertThat(e.action()).as("what the provider does with %s %s", http, errorCode).isEqualTo(action);
        assertThat(e.reason()).as("the normalised reason").isEqualTo(reason);
        assertThat(e.detail()).as("the detail names status and code, never the message text")
                .startsWith("HTTP " + http).doesNotContain(message);
    }

    @ParameterizedTest(name = "HTTP {1} with body ''{0}''")
    @CsvSource(delimiter = '|', value = {
            "'<html>404 Not Found</html>' | 404 | UNKNOWN",
            "''                           | 404 | UNKNOWN",
            "'<html>Bad Gateway</html>'   | 502 | UNAVAILABLE",
    })
    void bodiesThatAreNotFcmErrorsNeverCondemnADevice(String body, int http, RejectionReason reason) {
        FcmRejection e = FcmRejection.classify(http, body.getBytes(StandardCharsets.UTF_8), null, CLOCK);

        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.reason().invalidatesDevice()).as("only FCM's own error codes remove a device").isFalse();
    }

    @ParameterizedTest(name = "Retry-After: {0}")
    @CsvSource(delimiter = '|', value = {
            "30                            | PT30S",
            "' 5 '                         | PT5S",
            "Tue, 24 Nov 2026 20:02:00 GMT | PT2M",
            "Tue, 24 Nov 2026 19:00:00 GMT | PT0S",
    })
    void retryAfterIsReadAsSecondsOrAsAnHttpDate(String header, Duration expected) {
        assertThat(FcmRejection.retryAfter(header, CLOCK)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "Retry-After: ''{0}''")
    @CsvSource({"soon", "-1", "''"})
    void anUnreadableRetryAfterIsIgnored(String header) {
        assertThat(FcmRejection.retryAfter(header, CLOCK)).as("the provider's own backoff applies").isNull();
    }
}
