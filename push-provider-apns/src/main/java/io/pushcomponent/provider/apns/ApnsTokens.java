package io.pushcomponent.provider.apns;

import io.pushcomponent.api.Device;
import java.util.Optional;

/**
 * The format of APNs device tokens, checked when a device registers: APNs hands apps their device token (and
 * PushKit its VoIP token) as bytes that apps send as hexadecimal text. Apple says the length may vary, so the check
 * is on the alphabet (hexadecimal digits only, an even number of them) and a generous bound: today's tokens are
 * 32 bytes (64 digits), the bound is 100 bytes (200 digits), the largest token APNs' legacy binary interface could
 * carry.
 *
 * <p>Stateless.
 *
 * @see <a href="https://developer.apple.com/documentation/usernotifications/registering-your-app-with-apns">
 * Registering your app with APNs</a>
 */
final class ApnsTokens {
    /** The most hexadecimal digits a token may have. */
    static final int MAX_DIGITS = 200;
    /** The fewest hexadecimal digits a token may have (8 bytes; real ones are 32). */
    static final int MIN_DIGITS = 16;

    private ApnsTokens() {
    }

    /** Why {@code device}'s tokens cannot be APNs tokens; empty when both can. */
    static Optional<String> check(Device device) {
        Optional<String> problem = problem("device-token", device.token());
        return problem.isPresent() || device.secondToken() == null ? problem
                : problem("device-second-token", device.secondToken());
    }

    private static Optional<String> problem(String field, String token) {
        int length = token.length();
        if (length < MIN_DIGITS || length > MAX_DIGITS || length % 2 != 0) {
            return Optional.of("the '" + field + "' is " + length + " characters long; an APNs token is an even "
                    + "number of hexadecimal digits, " + MIN_DIGITS + " to " + MAX_DIGITS);
        }
        for (int i = 0; i < length; i++) {
            if (!isHexDigit(token.charAt(i))) {
                return Optional.of("the '" + field + "' has a character that is not a hexadecimal digit at "
                        + "position " + (i + 1) + "; an APNs token is hexadecimal (0-9, a-f)");
            }
        }
        return Optional.empty();
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
