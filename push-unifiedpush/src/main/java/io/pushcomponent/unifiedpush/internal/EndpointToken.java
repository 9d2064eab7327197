package io.pushcomponent.unifiedpush.internal;

import io.pushcomponent.api.Redaction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * What an endpoint token carries: everything needed to relay a push, so that the distributor keeps nothing per
 * endpoint ({@link EndpointTokens} seals it).
 *
 * <p>Immutable. {@code toString()} shows no JID.
 *
 * @param jid         the client's full JID, where pushes go
 * @param application the application attribute the client sent (base64 of 32 bytes)
 * @param instance    the instance attribute the client sent (base64 of 32 bytes)
 * @param issuedAt    when it was issued (microsecond precision); a revocation of its {@link #subject()} at or
 *                    after this instant ends it
 * @param expiresAt   when it stops being accepted (second precision)
 */
public record EndpointToken(String jid, String application, String instance, Instant issuedAt, Instant expiresAt) {
    public EndpointToken {
        Objects.requireNonNull(jid, "jid");
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * What a revocation names: a hash of the JID, application and instance (43 characters of URL-safe base64), so that
     * the store holds neither the JID nor the token.
     */
    public String subject() {
        return subject(jid, application, instance);
    }

    /** {@link #subject()} of the endpoints of a JID, application and instance. */
    public static String subject(String jid, String application, String instance) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {jid, application, instance}) {
                sha256.update(part.getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) 0);
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "EndpointToken[subject=" + Redaction.token(subject()) + ", issuedAt=" + issuedAt + ", expiresAt="
                + expiresAt + "]";
    }
}
