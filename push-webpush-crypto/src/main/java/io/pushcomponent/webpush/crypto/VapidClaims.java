package io.pushcomponent.webpush.crypto;

import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Objects;

/**
 * A verified VAPID token: who signed it and what it claims. Immutable and thread-safe.
 *
 * @param publicKey the application server's public key ({@code k}), which the signature verified with
 * @param audience  {@code aud}: the push service's origin
 * @param expiresAt {@code exp}
 * @param subject   {@code sub}: the application server's contact URI ({@code mailto:}, {@code https:}, ...); {@code null}
 *                  when the token has none
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8292#section-2">RFC 8292 section 2</a>
 */
public record VapidClaims(ECPublicKey publicKey, String audience, Instant expiresAt, String subject) {
    /** Checks that the key, audience and expiry are present. */
    public VapidClaims {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
