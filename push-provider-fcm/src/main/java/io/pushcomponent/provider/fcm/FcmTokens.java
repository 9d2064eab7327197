package io.pushcomponent.provider.fcm;

import io.pushcomponent.api.Device;
import java.util.Optional;

/**
 * The format of FCM registration tokens, checked when a device registers. Google documents no format and warns that
 * it may change, so the check is only on what every token has been made of: the URL-safe Base64 alphabet
 * ({@code A-Z a-z 0-9 - _}) and the colon that separates the instance id from the rest, at most 4,096 characters (the
 * bound Google has given for registration ids). That is enough to keep markup, whitespace and control characters out
 * of the store and out of FCM requests.
 *
 * <p>Stateless.
 *
 * @see <a href="https://firebase.google.com/docs/cloud-messaging/manage-tokens">Best practices for FCM registration
 * token management</a>
 */
final class FcmTokens {
    /** The most characters a token may have. */
    static final int MAX_LENGTH = 4096;

    private FcmTokens() {
    }

    /** Why {@code device}'s tokens cannot be FCM tokens; empty when both can. */
    static Optional<String> check(Device device) {
        Optional<String> problem = problem("device-token", device.token());
        return problem.isPresent() || device.secondToken() == null ? problem
                : problem("device-second-token", device.secondToken());
    }

    private static Optional<String> problem(String field, String token) {
        if (token.length() > MAX_LENGTH) {
            return Optional.of("the '" + field + "' is " + token.length() + " characters long; an FCM token has at "
                    + "most " + MAX_LENGTH);
        }
        for (int i = 0; i < token.length(); i++) {
            if (!isTokenChar(token.charAt(i))) {
                return Optional.of("the '" + field + "' has a character at position " + (i + 1) + " that FCM tokens "
                        + "do not contain; they are made of A-Z, a-z, 0-9, '-', '_' and ':'");
            }
        }
        return Optional.empty();
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == ':';
    }
}
