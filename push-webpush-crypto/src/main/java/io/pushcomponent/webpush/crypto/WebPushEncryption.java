package io.pushcomponent.webpush.crypto;

import io.pushcomponent.webpush.crypto.internal.MessageEncryption;
import io.pushcomponent.webpush.crypto.internal.P256;
import io.pushcomponent.webpush.crypto.internal.RecordCoding;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Objects;

/**
 * Message encryption for Web Push (RFC 8291): the body of the push service request, {@code Content-Encoding:
 * aes128gcm}, that only the subscribed browser can read. Each message is encrypted with a fresh ephemeral key pair
 * and salt; the body is one record of size 4096 and at most 4,096 bytes long.
 *
 * <p>Stateless and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8291">RFC 8291</a>
 */
public final class WebPushEncryption {
    /** The longest plaintext (with padding): 3,993 bytes, so that the body fits the 4,096 every push service takes. */
    public static final int MAX_PLAINTEXT = MessageEncryption.MAX_PLAINTEXT;
    /** The content coding to name in {@code Content-Encoding}. */
    public static final String CONTENT_ENCODING = "aes128gcm";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebPushEncryption() {
    }

    /**
     * Encrypts a message for a subscription with a fresh ephemeral key and salt and no padding.
     *
     * @throws WebPushCryptoException when the message is longer than {@link #MAX_PLAINTEXT}
     */
    public static byte[] encrypt(PushSubscription subscription, byte[] plaintext) {
        return encrypt(subscription, plaintext, 0);
    }

    /**
     * Encrypts a message for a subscription with a fresh ephemeral key and salt, adding {@code padding} zero bytes so
     * that the body's length says less about the message's.
     *
     * @throws WebPushCryptoException when the message and padding are longer than {@link #MAX_PLAINTEXT}
     */
    public static byte[] encrypt(PushSubscription subscription, byte[] plaintext, int padding) {
        byte[] salt = new byte[RecordCoding.SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return encrypt(subscription, plaintext, padding, P256.generate(), salt);
    }

    /**
     * Encrypts a message for a user agent's keys alone, where there is no endpoint URL (Push 2.0's user's server
     * encrypts for the client's keys, and the app server knows where to send), with a fresh ephemeral key and salt.
     *
     * @param p256dh    the user agent's public key, the 65-byte uncompressed point
     * @param auth      its 16-byte authentication secret
     * @param plaintext the message
     * @param padding   zero bytes to add
     * @throws WebPushCryptoException when a key is invalid or the message and padding are longer than
     *                                {@link #MAX_PLAINTEXT}
     */
    public static byte[] encrypt(byte[] p256dh, byte[] auth, byte[] plaintext, int padding) {
        Objects.requireNonNull(p256dh, "p256dh");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] salt = new byte[RecordCoding.SALT_LENGTH];
        RANDOM.nextBytes(salt);
        KeyPair ephemeral = P256.generate();
        return MessageEncryption.encrypt(p256dh, auth, (ECPrivateKey) ephemeral.getPrivate(),
                (ECPublicKey) ephemeral.getPublic(), salt, padding, plaintext);
    }

    /**
     * Encrypts with a given ephemeral key pair and salt: for reproducing test vectors only; reusing either for two
     * messages breaks the encryption.
     *
     * @param subscription the recipient
     * @param plaintext    the message
     * @param padding      zero bytes to add
     * @param ephemeral    the application server's ephemeral P-256 key pair
     * @param salt         16 bytes
     */
    public static byte[] encrypt(PushSubscription subscription, byte[] plaintext, int padding, KeyPair ephemeral,
                                 byte[] salt) {
        Objects.requireNonNull(plaintext, "plaintext");
        if (!(ephemeral.getPrivate() instanceof ECPrivateKey privateKey)
                || !(ephemeral.getPublic() instanceof ECPublicKey publicKey) || !P256.isP256(publicKey)) {
            throw new WebPushCryptoException("the ephemeral key pair is not a P-256 key pair");
        }
        return MessageEncryption.encrypt(subscription.p256dh(), subscription.auth(), privateKey, publicKey, salt,
                padding, plaintext);
    }

    /**
     * Decrypts a push message body as the browser holding {@code keys} does.
     *
     * @throws WebPushCryptoException when the body is malformed, has more than one record, or does not authenticate
     *                                with these keys
     */
    public static byte[] decrypt(UserAgentKeys keys, byte[] body) {
        Objects.requireNonNull(body, "body");
        return MessageEncryption.decrypt(keys.privateKey(), P256.encode(keys.publicKey()), keys.auth(), body);
    }
}
