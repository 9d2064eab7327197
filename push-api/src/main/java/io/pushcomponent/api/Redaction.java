package io.pushcomponent.api;

/**
 * Shortens secrets and device tokens for logs, exception messages and {@code toString()}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Redaction {
    private Redaction() {
    }

    /**
     * A device token shortened so that an operator can tell tokens apart without the token being usable:
     * its first 6 characters and its length, e.g. {@code "a1b2c3…(64)"}.
     *
     * @param token a device token, may be {@code null}
     * @return the shortened form, {@code "null"} for {@code null}
     */
    public static String token(String token) {
        if (token == null) {
            return "null";
        }
        if (token.length() <= 8) {
            return "…(" + token.length() + ")";
        }
        return token.substring(0, 6) + "…(" + token.length() + ")";
    }

    /**
     * A secret, shown only as present or absent.
     *
     * @param secret a secret, may be {@code null}
     * @return {@code "***"} or {@code "null"}
     */
    public static String secret(String secret) {
        return secret == null ? "null" : "***";
    }
}
