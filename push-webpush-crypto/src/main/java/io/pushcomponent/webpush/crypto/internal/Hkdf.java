package io.pushcomponent.webpush.crypto.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with SHA-256 (RFC 5869), for outputs of at most one hash length, which is all RFC 8188 and RFC 8291 need.
 * Stateless and thread-safe.
 */
public final class Hkdf {
    private Hkdf() {
    }

    /** HKDF-Extract: HMAC-SHA-256 keyed with the salt over the input keying material. */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        return hmac(salt, ikm);
    }

    /** HKDF-Expand for one block: the first {@code length} (at most 32) bytes of HMAC(prk, info || 0x01). */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length > 32) {
            throw new IllegalArgumentException("one block of HKDF-Expand gives at most 32 bytes");
        }
        byte[] input = Arrays.copyOf(info, info.length + 1);
        input[info.length] = 0x01;
        return Arrays.copyOf(hmac(prk, input), length);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[32] : key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HMAC-SHA-256", e);
        }
    }
}
