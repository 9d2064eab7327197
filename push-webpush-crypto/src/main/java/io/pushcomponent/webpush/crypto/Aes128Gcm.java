package io.pushcomponent.webpush.crypto;

import io.pushcomponent.webpush.crypto.internal.RecordCoding;
import java.util.Objects;

/**
 * The {@code aes128gcm} content coding (RFC 8188) on its own, for a key both sides already share. Web Push uses it
 * through {@link WebPushEncryption}. Stateless and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8188">RFC 8188</a>
 */
public final class Aes128Gcm {
    private Aes128Gcm() {
    }

    /**
     * Encodes content. Padding goes into the first records, before their data, so that every record but the last is
     * full.
     *
     * @param ikm        the input keying material (for Web Push 32 bytes; RFC 8188's examples use 16)
     * @param salt       16 random bytes, never reused with the same key
     * @param keyId      the key id written in the header, at most 255 bytes; empty for none
     * @param recordSize the record size, at least 18
     * @param padding    how many zero bytes of padding in all
     * @param plaintext  the content
     * @return the header followed by the records
     */
    public static byte[] encrypt(byte[] ikm, byte[] salt, byte[] keyId, int recordSize, int padding,
                                 byte[] plaintext) {
        return RecordCoding.encrypt(Objects.requireNonNull(ikm), Objects.requireNonNull(salt),
                Objects.requireNonNull(keyId), recordSize, padding, Objects.requireNonNull(plaintext));
    }

    /**
     * Decodes content, checking every record's tag, delimiter and padding and that the last record is marked last.
     *
     * @param ikm  the input keying material for the body's key id ({@link #keyId})
     * @param body the header followed by the records
     * @return the content without delimiters and padding
     * @throws WebPushCryptoException when the body is malformed, truncated or does not authenticate
     */
    public static byte[] decrypt(byte[] ikm, byte[] body) {
        return RecordCoding.decrypt(body, RecordCoding.header(body), Objects.requireNonNull(ikm));
    }

    /**
     * The key id a body's header names, to pick its key.
     *
     * @throws WebPushCryptoException when the header is malformed
     */
    public static byte[] keyId(byte[] body) {
        return RecordCoding.header(body).keyId().clone();
    }
}
