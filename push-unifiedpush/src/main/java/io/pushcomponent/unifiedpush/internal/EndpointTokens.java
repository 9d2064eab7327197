package io.pushcomponent.unifiedpush.internal;

import io.pushcomponent.api.store.ServiceKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals {@link EndpointToken}s into the last path segment of an endpoint URL and opens them again, with the service
 * key kept in the store ({@link ServiceKey}), so that every instance on that store, before and after a restart,
 * accepts what any of them issued.
 *
 * <p>A token is {@code <key id>.<base64url(nonce ‖ AES-256-GCM(payload))>}: authenticated encryption, so a token
 * cannot be forged or altered without the key (the GCM tag signs it), and the client's JID in it is not readable by
 * the application servers that post to the endpoint. The key id is authenticated too (additional data). The payload
 * is a version byte, the issue time in microseconds, the expiry in seconds, the application and instance (32 bytes
 * each) and the JID in UTF-8.
 *
 * <p>Immutable and thread-safe.
 */
public final class EndpointTokens {
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Application and instance are base64 of 32 bytes (SHA-256 hashes in Conversations). */
    public static final int ID_BYTES = 32;
    private static final int MAX_TOKEN_CHARS = 900;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String keyId;
    private final byte[] keyIdBytes;
    private final SecretKeySpec key;

    /** Tokens sealed with {@code key} (its first 32 bytes are the AES-256 key). */
    public EndpointTokens(ServiceKey key) {
        this.keyId = key.id();
        this.keyIdBytes = keyId.getBytes(StandardCharsets.US_ASCII);
        this.key = new SecretKeySpec(key.secret(), 0, 32, "AES");
    }

    /** The id of the key these tokens are sealed with. */
    public String keyId() {
        return keyId;
    }

    /**
     * The token's sealed form.
     *
     * @throws IllegalArgumentException when the application or instance is not base64 of 32 bytes
     */
    public String seal(EndpointToken token) {
        byte[] application = decodeId(token.application(), "application");
        byte[] instance = decodeId(token.instance(), "instance");
        byte[] jid = token.jid().getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(1 + 8 + 8 + 2 * ID_BYTES + jid.length);
        payload.put(VERSION).putLong(ChronoUnit.MICROS.between(Instant.EPOCH, token.issuedAt()))
                .putLong(token.expiresAt().getEpochSecond()).put(application).put(instance).put(jid);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(keyIdBytes);
            byte[] sealed = cipher.doFinal(payload.array());
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return keyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The token a sealed form carries; empty when it was not sealed with this key, was altered, or is not a token
     * at all. Expiry and revocation are the caller's to check.
     */
    public Optional<EndpointToken> open(String sealed) {
        int dot = sealed.indexOf('.');
        if (dot < 0 || sealed.length() > MAX_TOKEN_CHARS || !sealed.substring(0, dot).equals(keyId)) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(sealed.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length < NONCE_BYTES + TAG_BITS / 8 + 1 + 8 + 8 + 2 * ID_BYTES + 1) {
            return Optional.empty();
        }
        byte[] payload;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            cipher.updateAAD(keyIdBytes);
            payload = cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(payload);
        if (in.get() != VERSION) {
            return Optional.empty();
        }
        Instant issuedAt = Instant.EPOCH.plus(in.getLong(), ChronoUnit.MICROS);
        Instant expiresAt = Instant.ofEpochSecond(in.getLong());
        byte[] application = new byte[ID_BYTES];
        byte[] instance = new byte[ID_BYTES];
        in.get(application).get(instance);
        String jid = new String(payload, in.position(), in.remaining(), StandardCharsets.UTF_8);
        Base64.Encoder base64 = Base64.getEncoder();
        return Optional.of(new EndpointToken(jid, base64.encodeToString(application), base64.encodeToString(instance),
                issuedAt, expiresAt));
    }

    /**
     * The 32 bytes an application or instance attribute encodes.
     *
     * @throws IllegalArgumentException naming the attribute when it is not base64 of 32 bytes
     */
    public static byte[] decodeId(String value, String attribute) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(attribute + ": missing");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(attribute + ": not base64");
        }
        if (decoded.length != ID_BYTES) {
            throw new IllegalArgumentException(attribute + ": " + decoded.length + " bytes, expected " + ID_BYTES);
        }
        if (!Base64.getEncoder().encodeToString(decoded).equals(value)) {
            throw new IllegalArgumentException(attribute + ": not in canonical base64 (with padding)");
        }
        return decoded;
    }
}
