package io.pushcomponent.tigase.internal;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The key a client handed over in {@code <encrypt xmlns='tigase:push:encrypt:0' alg='aes-128-gcm' max-size='N'>
 * base64 key</encrypt>} when it enabled push: notifications for that client are encrypted with it.
 *
 * <p>Immutable and thread-safe. {@code toString()} never shows the key.
 *
 * @param key     the 16-byte AES-128 key
 * @param maxSize the {@code max-size} the client asked for (bytes of the encrypted, base64-encoded payload);
 *                {@code null} when it did not say
 */
record PushEncryptionKey(byte[] key, Integer maxSize) {
    /** The only algorithm Tigase's clients use. */
    public static final String AES_128_GCM = "aes-128-gcm";
    /** Bytes in an AES-128 key. */
    public static final int KEY_BYTES = 16;

    public PushEncryptionKey {
        Objects.requireNonNull(key, "key");
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the push encryption key must be " + KEY_BYTES
                    + " bytes for aes-128-gcm, got " + key.length);
        }
        if (maxSize != null && maxSize <= 0) {
            throw new IllegalArgumentException("max-size must be positive, got " + maxSize);
        }
        key = key.clone();
    }

    /**
     * The key of an {@code <encrypt/>} element.
     *
     * @param alg       the {@code alg} attribute; only {@value #AES_128_GCM} is supported
     * @param base64Key the element's text
     * @param maxSize   the {@code max-size} attribute, {@code null} when absent
     * @throws IllegalArgumentException naming what is wrong (never the key itself)
     */
    public static PushEncryptionKey parse(String alg, String base64Key, String maxSize) {
        if (alg == null || !AES_128_GCM.equalsIgnoreCase(alg.trim())) {
            throw new IllegalArgumentException("unsupported push encryption algorithm '" + alg
                    + "'; only " + AES_128_GCM + " is supported");
        }
        if (base64Key == null || base64Key.isBlank()) {
            throw new IllegalArgumentException("the <encrypt/> element carries no key");
        }
        byte[] key;
        try {
            key = Base64.getMimeDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the push encryption key is not valid base64");
        }
        Integer size = null;
        if (maxSize != null && !maxSize.isBlank()) {
            try {
                size = Integer.valueOf(maxSize.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("max-size must be a number of bytes, got '" + maxSize + "'");
            }
        }
        return new PushEncryptionKey(key, size);
    }

    /** A copy of the key bytes. */
    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PushEncryptionKey other && Arrays.equals(key, other.key)
                && Objects.equals(maxSize, other.maxSize);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Objects.hashCode(maxSize);
    }

    @Override
    public String toString() {
        return "PushEncryptionKey[key=***, maxSize=" + maxSize + "]";
    }
}
