package io.pushcomponent.webpush.crypto.internal;

import io.pushcomponent.webpush.crypto.WebPushCryptoException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON Web Tokens signed with ES256 (RFC 7519, RFC 7515 with RFC 7518 section 3.4): the signature is the 64-byte
 * {@code r || s}. Stateless and thread-safe.
 */
public final class Jwt {
    private static final String ALGORITHM = "SHA256withECDSAinP1363Format";
    private static final byte[] PROBE = "key pair check".getBytes(StandardCharsets.US_ASCII);

    private Jwt() {
    }

    /** Signs the claims with a header of {@code typ} JWT and {@code alg} ES256. */
    public static String sign(Map<String, ?> claims, ECPrivateKey key) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "JWT");
        header.put("alg", "ES256");
        String signingInput = part(Json.write(header)) + "." + part(Json.write(claims));
        return signingInput + "." + Base64Url.encode(signature(key, signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Checks a token's form, header and signature, and returns its claims.
     *
     * @throws WebPushCryptoException when the token is malformed, not ES256 or not signed by {@code key}
     */
    public static Map<String, Object> verify(String token, ECPublicKey key) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new WebPushCryptoException("the JWT does not have three parts");
        }
        Map<String, Object> header = Json.readObject(text(parts[0], "the JWT header"));
        if (!"ES256".equals(header.get("alg"))) {
            throw new WebPushCryptoException("the JWT is not signed with ES256");
        }
        if (header.containsKey("typ") && !"JWT".equalsIgnoreCase(String.valueOf(header.get("typ")))) {
            throw new WebPushCryptoException("the JWT header's typ is not JWT");
        }
        byte[] signature = Base64Url.decode(parts[2], "the JWT signature");
        if (signature.length != 64
                || !verifies(key, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), signature)) {
            throw new WebPushCryptoException("the JWT signature does not verify with the given public key");
        }
        return Json.readObject(text(parts[1], "the JWT claims"));
    }

    /** Whether the private key belongs to the public key: a signature made with one verifies with the other. */
    public static boolean pairs(ECPublicKey publicKey, ECPrivateKey privateKey) {
        return verifies(publicKey, PROBE, signature(privateKey, PROBE));
    }

    private static String part(String json) {
        return Base64Url.encode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String part, String what) {
        return new String(Base64Url.decode(part, what), StandardCharsets.UTF_8);
    }

    private static byte[] signature(ECPrivateKey key, byte[] data) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new WebPushCryptoException("ES256 signing failed", e);
        }
    }

    private static boolean verifies(ECPublicKey key, byte[] data, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
