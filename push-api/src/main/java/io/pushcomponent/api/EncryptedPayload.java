package io.pushcomponent.api;

import java.util.Objects;

/**
 * An end-to-end encrypted notification, as a dialect reads it from a published notification: the app server passes
 * it through unread; only the device holds the key.
 *
 * <p>Two encodings: AES-GCM with a separate IV (Tigase's {@code <encrypted/>}: {@link #iv()} set), and the RFC 8188
 * {@code aes128gcm} content coding of RFC 8291 Web Push encryption ({@link #iv()} {@code null}: the ciphertext's own
 * header carries the salt and the sender's key), which the user's server encrypted to a Web Push subscription and, for
 * a Web Push service, signed an RFC 8292 VAPID token for ({@link #vapidToken()}, {@link #vapidKey()}).
 *
 * @param iv         base64 of the 12-byte AES-GCM IV; {@code null} for an {@code aes128gcm} payload
 * @param ciphertext base64 of the ciphertext followed by the 128-bit tag; for {@code aes128gcm} the whole encrypted
 *                   content (header and records)
 * @param type       the {@code type} attribute (e.g. {@code voip}); {@code null} when absent
 * @param vapidToken the RFC 8292 JWT the sender signed for the push service; {@code null} when none. A credential:
 *                   {@code toString()} never shows it
 * @param vapidKey   base64url of the sender's P-256 public key that verifies {@code vapidToken}; {@code null} when none
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8291">RFC 8291: Message Encryption for Web Push</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8292">RFC 8292: VAPID for Web Push</a>
 */
public record EncryptedPayload(String iv, String ciphertext, String type, String vapidToken, String vapidKey) {
    public EncryptedPayload {
        Objects.requireNonNull(ciphertext, "ciphertext");
        if ((vapidToken == null) != (vapidKey == null)) {
            throw new IllegalArgumentException("a VAPID token needs its key and a key its token");
        }
    }

    /** An AES-GCM payload with its IV and without VAPID token. */
    public EncryptedPayload(String iv, String ciphertext, String type) {
        this(Objects.requireNonNull(iv, "iv"), ciphertext, type, null, null);
    }

    /**
     * An RFC 8291 {@code aes128gcm} payload, with the VAPID token and key the sender signed when it has them.
     *
     * @param ciphertext base64 of the encrypted content
     * @param vapidToken the JWT, or {@code null}
     * @param vapidKey   its public key, or {@code null}
     */
    public static EncryptedPayload aes128gcm(String ciphertext, String vapidToken, String vapidKey) {
        return new EncryptedPayload(null, ciphertext, null, vapidToken, vapidKey);
    }

    /** {@code true} for an RFC 8291 {@code aes128gcm} payload (no separate IV). */
    public boolean isAes128gcm() {
        return iv == null;
    }

    @Override
    public String toString() {
        return "EncryptedPayload[iv=" + iv + ", ciphertext=(" + ciphertext.length() + " characters), type=" + type
                + ", vapidToken=" + Redaction.secret(vapidToken) + ", vapidKey=" + vapidKey + "]";
    }
}
