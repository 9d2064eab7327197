package io.pushcomponent.webpush.crypto;

import io.pushcomponent.webpush.crypto.internal.Base64Url;
import io.pushcomponent.webpush.crypto.internal.MessageEncryption;
import io.pushcomponent.webpush.crypto.internal.P256;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a browser keeps for one push subscription: its P-256 key pair and the authentication secret. The receiving
 * side of {@link WebPushEncryption}; fakes and tests use it to read what was sent. Immutable and thread-safe.
 * {@link #toString()} shows neither the private key nor the secret.
 *
 * @param publicKey  the public key, given to the application server as {@code p256dh}
 * @param privateKey the private key, never leaves the user agent
 * @param auth       the 16-byte authentication secret
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8291#section-3.2">RFC 8291 section 3.2</a>
 */
public record UserAgentKeys(ECPublicKey publicKey, ECPrivateKey privateKey, byte[] auth) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @throws WebPushCryptoException when a key is not on P-256 or {@code auth} is not 16 bytes
     */
    public UserAgentKeys {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(privateKey, "privateKey");
        if (!P256.isP256(publicKey)) {
            throw new WebPushCryptoException("the public key is not on P-256");
        }
        if (auth == null || auth.length != MessageEncryption.AUTH_LENGTH) {
            throw new WebPushCryptoException("the auth secret is not 16 bytes");
        }
        auth = auth.clone();
    }

    /** Fresh keys and a fresh secret, as a browser makes them when it subscribes. */
    public static UserAgentKeys generate() {
        KeyPair pair = P256.generate();
        byte[] auth = new byte[MessageEncryption.AUTH_LENGTH];
        RANDOM.nextBytes(auth);
        return new UserAgentKeys((ECPublicKey) pair.getPublic(), (ECPrivateKey) pair.getPrivate(), auth);
    }

    /**
     * Keys from their base64url encodings (the uncompressed public point, the 32-byte private scalar, the secret),
     * as test vectors give them.
     */
    public static UserAgentKeys fromBase64Url(String publicKey, String privateKey, String auth) {
        return new UserAgentKeys(P256.publicKey(Base64Url.decode(publicKey, "the public key"), "the public key"),
                P256.privateKey(Base64Url.decode(privateKey, "the private key"), "the private key"),
                Base64Url.decode(auth, "the auth secret"));
    }

    @Override
    public byte[] auth() {
        return auth.clone();
    }

    /** The subscription a browser would hand out for these keys at {@code endpoint}. */
    public PushSubscription subscription(String endpoint) {
        return new PushSubscription(endpoint, P256.encode(publicKey), auth);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UserAgentKeys that && publicKey.equals(that.publicKey)
                && privateKey.equals(that.privateKey) && Arrays.equals(auth, that.auth);
    }

    @Override
    public int hashCode() {
        return Objects.hash(publicKey, Arrays.hashCode(auth));
    }

    @Override
    public String toString() {
        return "UserAgentKeys[publicKey=" + Base64Url.encode(P256.encode(publicKey)).substring(0, 8)
                + "…, privateKey=(hidden), auth=(hidden)]";
    }
}
