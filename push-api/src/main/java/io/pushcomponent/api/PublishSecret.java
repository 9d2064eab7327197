package io.pushcomponent.api;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

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
    /** The unpadded base64url of 32 bytes. */
    private static final int HASH_CHARS = 43;
    private static final byte[] BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            .getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<Hasher> HASHERS = ThreadLocal.withInitial(Hasher::new);

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
        if (value == null || value.length() != PREFIX.length() + HASH_CHARS || !value.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
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
        return HASHERS.get().matches(isStored(stored) ? stored : hash(stored), offered);
    }

    /**
     * One thread's SHA-256 and buffers: checking a publish's secret, which every publish does, allocates nothing
     * (for a secret of ASCII characters, as the app server issues them).
     */
    private static final class Hasher {
        private static final int KEEP_INPUT = 256;
        private final MessageDigest sha256 = sha256();
        private final byte[] input = new byte[KEEP_INPUT];
        private final byte[] digest = new byte[32];

        /** Whether the hash of {@code offered} is {@code stored} (in the stored form), in constant time. */
        boolean matches(String stored, String offered) {
            int n = offered.length();
            if (n <= KEEP_INPUT && isAscii(offered)) {
                for (int i = 0; i < n; i++) {
                    input[i] = (byte) offered.charAt(i);
                }
                sha256.update(input, 0, n);
                Arrays.fill(input, 0, n, (byte) 0);
            } else {
                sha256.update(offered.getBytes(StandardCharsets.UTF_8));
            }
            try {
                sha256.digest(digest, 0, digest.length);
            } catch (DigestException e) {
                throw new IllegalStateException("a SHA-256 digest fits 32 bytes", e);
            }
            int diff = 0;
            int at = PREFIX.length();
            for (int i = 0; i < digest.length; i += 3) {
                int bits = (digest[i] & 0xFF) << 16 | (i + 1 < digest.length ? (digest[i + 1] & 0xFF) << 8 : 0)
                        | (i + 2 < digest.length ? digest[i + 2] & 0xFF : 0);
                int chars = Math.min(4, HASH_CHARS - (at - PREFIX.length()));
                for (int k = 0; k < chars; k++) {
                    diff |= stored.charAt(at++) ^ BASE64URL[bits >>> (18 - 6 * k) & 0x3F];
                }
            }
            return diff == 0;
        }

        private static boolean isAscii(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) >= 0x80) {
                    return false;
                }
            }
            return true;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    private static String hash(String value) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                sha256().digest(value.getBytes(StandardCharsets.UTF_8)));
    }
}
