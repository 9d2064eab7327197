package io.pushcomponent.api;

import java.util.Objects;

/**
 * An end-to-end encrypted notification, as a dialect reads it from a published notification: the app server passes
 * it through unread; only the device holds the key.
 *
 * @param iv         base64 of the 12-byte AES-GCM IV
 * @param ciphertext base64 of the ciphertext followed by the 128-bit tag
 * @param type       the {@code type} attribute (e.g. {@code voip}); {@code null} when absent
 */
public record EncryptedPayload(String iv, String ciphertext, String type) {
    public EncryptedPayload {
        Objects.requireNonNull(iv, "iv");
        Objects.requireNonNull(ciphertext, "ciphertext");
    }
}
