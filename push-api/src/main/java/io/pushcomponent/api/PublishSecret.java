package io.pushcomponent.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The form in which {@link io.pushcomponent.api.store.DeviceRegistrationStore}s keep a registration's publish secret, and the comparison with the
 * secret a publish carries.
 *
 * <p>The app server only ever compares a publish's secret with the registration's, so stores keep a hash of it:
 * {@code sha256:} followed by the unpadded base64url SHA-256 of its UTF-8 bytes. Whoever reads the database learns
 * no secret that would let them publish. A plain hash is enough: the app server's secrets are 144 random bits, so
 * there is nothing to guess (a slow password hash would only slow down every publish).
 *
 * <p>Stateless and thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#enabling">XEP-0357 §5 (the publish-options secret)</a>
 */
public final class PublishSecret {
    private static final String PREFIX = "sha256:";
    private static final Pattern STORED = Pattern.compile("sha256:[A-Za-z0-9_-]{43}");

    private PublishSecret() {
    }

    /**
     * The form a store keeps.
     *
     * @param secret a publish secret as issued to the client, or a value already in the stored form (kept as it
     *               is, so that stored registrations can be imported again); may be {@code null}
     * @return its hash in the stored form, or {@code null} for {@code null}
     */
    public static String stored(String secret) {
        if (secret == null || isStored(secret)) {
            return secret;
        }
        return hash(secret);
    }

    /** {@code true} when the value is in the stored form, {@code sha256:} and 43 base64url characters. */
    public static boolean isStored(String value) {
        return value != null && STORED.matcher(value).matches();
    }

    /**
     * Whether a publish's secret is the registration's, in time that does not depend on where they differ.
     *
     * @param stored  the registration's secret as a store returns it: the stored form, or the secret itself (for
     *                registrations that never went through a store, such as those {@code register} returns)
     * @param offered the secret the publish carries; always hashed, so the stored form itself never matches
     * @return {@code true} when they match
     */
    public static boolean matches(String stored, String offered) {
        if (stored == null || offered == null) {
            return false;
        }
        byte[] expected = (isStored(stored) ? stored : hash(stored)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, hash(offered).getBytes(StandardCharsets.US_ASCII));
    }

    private static String hash(String value) {
        try {
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
