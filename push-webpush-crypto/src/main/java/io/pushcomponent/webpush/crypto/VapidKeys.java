package io.pushcomponent.webpush.crypto;

import io.pushcomponent.webpush.crypto.internal.Base64Url;
import io.pushcomponent.webpush.crypto.internal.Jwt;
import io.pushcomponent.webpush.crypto.internal.P256;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Objects;

/**
 * An application server's VAPID key pair (P-256, ES256). The public key is what a web application passes to
 * {@code pushManager.subscribe} as {@code applicationServerKey}; push services then accept only pushes signed with the
 * private key. Immutable and thread-safe; {@link #toString()} shows the public key alone.
 *
 * @param publicKey  the public key
 * @param privateKey the private key
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8292#section-3.2">RFC 8292 section 3.2</a>
 */
public record VapidKeys(ECPublicKey publicKey, ECPrivateKey privateKey) {

    /**
     * @throws WebPushCryptoException when the keys are not on P-256 or do not belong together
     */
    public VapidKeys {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(privateKey, "privateKey");
        if (!P256.isP256(publicKey)) {
            throw new WebPushCryptoException("the VAPID public key is not on P-256");
        }
        if (!Jwt.pairs(publicKey, privateKey)) {
            throw new WebPushCryptoException("the VAPID private key does not belong to the public key");
        }
    }

    /** A fresh key pair. */
    public static VapidKeys generate() {
        KeyPair pair = P256.generate();
        return new VapidKeys((ECPublicKey) pair.getPublic(), (ECPrivateKey) pair.getPrivate());
    }

    /**
     * Keys in the form Web Push tools print them: the uncompressed public point and the 32-byte private scalar, each
     * in base64url.
     *
     * @throws WebPushCryptoException when either does not decode to a P-256 key, or they do not belong together; the
     *                                message never holds the key
     */
    public static VapidKeys fromBase64Url(String publicKey, String privateKey) {
        return new VapidKeys(P256.publicKey(Base64Url.decode(publicKey, "the VAPID public key"), "the VAPID public key"),
                P256.privateKey(Base64Url.decode(privateKey, "the VAPID private key"), "the VAPID private key"));
    }

    /**
     * Keys from a private key alone (its public key is derived), e.g. one a client handed over.
     *
     * @throws WebPushCryptoException when the key is not on P-256
     */
    public static VapidKeys fromPrivateKey(ECPrivateKey privateKey) {
        if (!P256.isP256(privateKey)) {
            throw new WebPushCryptoException("the VAPID private key is not on P-256");
        }
        return new VapidKeys(P256.publicKeyOf(privateKey), privateKey);
    }

    /**
     * Keys from a DER-encoded PKCS#8 private key (what WebCrypto's {@code exportKey("pkcs8")} and {@code openssl pkcs8
     * -topk8 -outform DER} produce); the public key is derived.
     *
     * @throws WebPushCryptoException when it is not a PKCS#8 P-256 key; the message never holds the key
     */
    public static VapidKeys fromPkcs8(byte[] der) {
        try {
            if (KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof ECPrivateKey key) {
                return fromPrivateKey(key);
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new WebPushCryptoException("the VAPID key is not a PKCS#8 EC private key");
        }
        throw new WebPushCryptoException("the VAPID key is not a PKCS#8 EC private key");
    }

    /** The public key in base64url (the uncompressed point), the {@code k} of the {@code vapid} scheme. */
    public String publicKeyBase64Url() {
        return Base64Url.encode(P256.encode(publicKey));
    }

    /** The private key in base64url (the 32-byte scalar), for writing a key file. A secret: never log it. */
    public String privateKeyBase64Url() {
        return Base64Url.encode(P256.encode(privateKey));
    }

    @Override
    public String toString() {
        return "VapidKeys[publicKey=" + publicKeyBase64Url() + ", privateKey=(hidden)]";
    }
}
