package io.pushcomponent.webpush.crypto.internal;

import io.pushcomponent.webpush.crypto.WebPushCryptoException;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;

/**
 * RFC 8291's message encryption: the input keying material from ECDH between the application server's ephemeral key
 * and the subscription's {@code p256dh} key, mixed with the subscription's authentication secret (section 3.3-3.4),
 * then one {@code aes128gcm} record of size 4096 whose key id is the ephemeral public key (section 4). Stateless and
 * thread-safe.
 */
public final class MessageEncryption {
    /** The record size RFC 8291 prescribes. */
    public static final int RECORD_SIZE = 4096;
    /** The header: salt, record size, key id length and the 65-byte ephemeral public key. */
    public static final int HEADER_LENGTH = RecordCoding.FIXED_HEADER_LENGTH + P256.PUBLIC_KEY_LENGTH;
    /** The longest plaintext, so that the body stays within the 4,096 bytes every push service accepts. */
    public static final int MAX_PLAINTEXT = RECORD_SIZE - HEADER_LENGTH - 16 - 1;
    /** Length of the authentication secret. */
    public static final int AUTH_LENGTH = 16;
    private static final byte[] KEY_INFO = "WebPush: info\0".getBytes(StandardCharsets.US_ASCII);

    private MessageEncryption() {
    }

    /** The input keying material for the content coding (RFC 8291 section 3.4). */
    public static byte[] ikm(byte[] ecdhSecret, byte[] auth, byte[] uaPublic, byte[] asPublic) {
        byte[] prk = Hkdf.extract(auth, ecdhSecret);
        byte[] info = new byte[KEY_INFO.length + uaPublic.length + asPublic.length];
        System.arraycopy(KEY_INFO, 0, info, 0, KEY_INFO.length);
        System.arraycopy(uaPublic, 0, info, KEY_INFO.length, uaPublic.length);
        System.arraycopy(asPublic, 0, info, KEY_INFO.length + uaPublic.length, asPublic.length);
        return Hkdf.expand(prk, info, 32);
    }

    /**
     * Encrypts a push message.
     *
     * @param uaPublic   the subscription's {@code p256dh} key, uncompressed
     * @param auth       the subscription's 16-byte authentication secret
     * @param asPrivate  the application server's ephemeral private key
     * @param asPublic   its public key
     * @param salt       16 random bytes
     * @param padding    zero bytes to add (hides the length)
     * @param plaintext  the message, at most {@link #MAX_PLAINTEXT} bytes with the padding
     */
    public static byte[] encrypt(byte[] uaPublic, byte[] auth, ECPrivateKey asPrivate, ECPublicKey asPublic,
                                 byte[] salt, int padding, byte[] plaintext) {
        if (plaintext.length + (long) padding > MAX_PLAINTEXT) {
            throw new WebPushCryptoException("push message of " + plaintext.length + " bytes (with " + padding
                    + " bytes of padding) exceeds " + MAX_PLAINTEXT + " bytes");
        }
        checkAuth(auth);
        byte[] asPublicRaw = P256.encode(asPublic);
        byte[] secret = P256.agree(asPrivate, P256.publicKey(uaPublic, "the subscription's p256dh key"));
        byte[] ikm = ikm(secret, auth, uaPublic, asPublicRaw);
        return RecordCoding.encrypt(ikm, salt, asPublicRaw, RECORD_SIZE, padding, plaintext);
    }

    /**
     * Decrypts a push message as a user agent does.
     *
     * @param uaPrivate the subscription's private key
     * @param uaPublic  the subscription's {@code p256dh} key, uncompressed
     * @param auth      the subscription's authentication secret
     * @param body      the request body
     */
    public static byte[] decrypt(ECPrivateKey uaPrivate, byte[] uaPublic, byte[] auth, byte[] body) {
        checkAuth(auth);
        RecordCoding.Header header = RecordCoding.header(body);
        if (header.keyId().length != P256.PUBLIC_KEY_LENGTH) {
            throw new WebPushCryptoException("the key id is not the application server's 65-byte public key");
        }
        if (body.length - header.length() > header.recordSize()) {
            throw new WebPushCryptoException("a push message is one record; this body has more");
        }
        ECPublicKey asPublic = P256.publicKey(header.keyId(), "the application server's public key (key id)");
        byte[] secret = P256.agree(uaPrivate, asPublic);
        return RecordCoding.decrypt(body, header, ikm(secret, auth, uaPublic, header.keyId()));
    }

    private static void checkAuth(byte[] auth) {
        if (auth == null || auth.length != AUTH_LENGTH) {
            throw new WebPushCryptoException("the authentication secret is not 16 bytes");
        }
    }
}
