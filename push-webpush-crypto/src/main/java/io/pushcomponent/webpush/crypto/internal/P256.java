package io.pushcomponent.webpush.crypto.internal;

import io.pushcomponent.webpush.crypto.WebPushCryptoException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * The NIST P-256 curve through the JDK's providers: keys to and from their raw encodings (the 65-byte uncompressed
 * point of SEC 1 section 2.3.3, the 32-byte private scalar), key generation and ECDH. Stateless and thread-safe.
 */
public final class P256 {
    /** Length of an uncompressed point: {@code 0x04 || X || Y}. */
    public static final int PUBLIC_KEY_LENGTH = 65;
    private static final int FIELD_LENGTH = 32;
    private static final ECParameterSpec PARAMS = parameters();
    private static final BigInteger P = new BigInteger(
            "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
    private static final BigInteger B = new BigInteger(
            "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);

    private P256() {
    }

    /** A fresh key pair. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no P-256 key generation", e);
        }
    }

    /** The uncompressed point of a public key. */
    public static byte[] encode(ECPublicKey key) {
        byte[] out = new byte[PUBLIC_KEY_LENGTH];
        out[0] = 0x04;
        unsigned(key.getW().getAffineX(), out, 1);
        unsigned(key.getW().getAffineY(), out, 1 + FIELD_LENGTH);
        return out;
    }

    /** The 32-byte big-endian scalar of a private key. */
    public static byte[] encode(ECPrivateKey key) {
        byte[] out = new byte[FIELD_LENGTH];
        unsigned(key.getS(), out, 0);
        return out;
    }

    /**
     * A public key from its uncompressed point, checked to lie on the curve.
     *
     * @param what names the key in the exception's message
     */
    public static ECPublicKey publicKey(byte[] point, String what) {
        if (point == null || point.length != PUBLIC_KEY_LENGTH || point[0] != 0x04) {
            throw new WebPushCryptoException(what + " is not an uncompressed P-256 point (65 bytes starting 0x04)");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + FIELD_LENGTH));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 1 + FIELD_LENGTH, PUBLIC_KEY_LENGTH));
        if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0
                || !y.multiply(y).subtract(x.pow(3).subtract(x.multiply(BigInteger.valueOf(3))).add(B)).mod(P)
                .equals(BigInteger.ZERO)) {
            throw new WebPushCryptoException(what + " is not a point on P-256");
        }
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(
                    new ECPublicKeySpec(new ECPoint(x, y), PARAMS));
        } catch (GeneralSecurityException e) {
            throw new WebPushCryptoException(what + " is not a usable P-256 public key", e);
        }
    }

    /**
     * A private key from its 32-byte scalar.
     *
     * @param what names the key in the exception's message
     */
    public static ECPrivateKey privateKey(byte[] scalar, String what) {
        if (scalar == null || scalar.length != FIELD_LENGTH) {
            throw new WebPushCryptoException(what + " is not a 32-byte P-256 private key");
        }
        BigInteger s = new BigInteger(1, scalar);
        if (s.signum() == 0 || s.compareTo(PARAMS.getOrder()) >= 0) {
            throw new WebPushCryptoException(what + " is out of P-256's range");
        }
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(s, PARAMS));
        } catch (GeneralSecurityException e) {
            throw new WebPushCryptoException(what + " is not a usable P-256 private key", e);
        }
    }

    /** Whether a key is on P-256 (the JDK's keys name their curve only by parameters). */
    public static boolean isP256(ECPublicKey key) {
        return isP256(key.getParams());
    }

    /** Whether a private key is on P-256. */
    public static boolean isP256(ECPrivateKey key) {
        return isP256(key.getParams());
    }

    private static boolean isP256(ECParameterSpec params) {
        return params.getCurve().equals(PARAMS.getCurve()) && params.getGenerator().equals(PARAMS.getGenerator());
    }

    /** The ECDH shared secret (the X coordinate) of a private and a public key. */
    public static byte[] agree(ECPrivateKey privateKey, ECPublicKey publicKey) {
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(privateKey);
            agreement.doPhase(publicKey, true);
            return agreement.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new WebPushCryptoException("ECDH key agreement failed", e);
        }
    }

    /**
     * The public key of a private key: ECDH with the curve's generator gives the X coordinate of {@code d·G} (through
     * the JDK's own scalar multiplication); of the two points with that X, the one a signature verifies with.
     */
    public static ECPublicKey publicKeyOf(ECPrivateKey privateKey) {
        ECPoint generator = PARAMS.getGenerator();
        ECPublicKey g;
        try {
            g = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(generator, PARAMS));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot represent P-256's generator", e);
        }
        BigInteger x = new BigInteger(1, agree(privateKey, g));
        BigInteger rhs = x.pow(3).subtract(x.multiply(BigInteger.valueOf(3))).add(B).mod(P);
        BigInteger y = rhs.modPow(P.add(BigInteger.ONE).shiftRight(2), P);
        for (BigInteger candidate : new BigInteger[] {y, P.subtract(y).mod(P)}) {
            byte[] point = new byte[PUBLIC_KEY_LENGTH];
            point[0] = 0x04;
            unsigned(x, point, 1);
            unsigned(candidate, point, 1 + FIELD_LENGTH);
            ECPublicKey key = publicKey(point, "the derived public key");
            if (Jwt.pairs(key, privateKey)) {
                return key;
            }
        }
        throw new WebPushCryptoException("no public key on P-256 matches the private key");
    }

    private static void unsigned(BigInteger value, byte[] out, int offset) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > FIELD_LENGTH ? bytes.length - FIELD_LENGTH : 0;
        int length = bytes.length - start;
        System.arraycopy(bytes, start, out, offset + FIELD_LENGTH - length, length);
    }

    private static ECParameterSpec parameters() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no P-256 parameters", e);
        }
    }
}
