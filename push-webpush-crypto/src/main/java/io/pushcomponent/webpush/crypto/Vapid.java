package io.pushcomponent.webpush.crypto;

import io.pushcomponent.webpush.crypto.internal.Base64Url;
import io.pushcomponent.webpush.crypto.internal.Jwt;
import io.pushcomponent.webpush.crypto.internal.P256;
import java.math.BigDecimal;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Voluntary Application Server Identification (RFC 8292): the application server signs a JWT (ES256) naming the
 * push service's origin ({@code aud}), an expiry ({@code exp}, at most 24 hours ahead) and a contact ({@code sub}),
 * and sends it with its public key as {@code Authorization: vapid t=<jwt>, k=<key>}.
 *
 * <p>Stateless and thread-safe. Signing costs one ECDSA signature; callers sending many pushes to one push service
 * reuse a token until shortly before it expires.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8292">RFC 8292</a>
 */
public final class Vapid {
    /** The longest validity a push service accepts (RFC 8292 section 2). */
    public static final Duration MAX_VALIDITY = Duration.ofHours(24);

    private Vapid() {
    }

    /**
     * The audience of a token for a push endpoint: its origin, {@code scheme://host[:port]}.
     *
     * @throws WebPushCryptoException when the endpoint is not an absolute http(s) URL
     */
    public static String audience(String endpoint) {
        return PushSubscription.origin(endpoint);
    }

    /**
     * A signed token.
     *
     * @param keys      the application server's keys
     * @param audience  the push service's origin ({@link #audience})
     * @param expiresAt when it expires, within {@link #MAX_VALIDITY} of when it is used
     * @param subject   a contact URI: {@code mailto:} or {@code https:} as RFC 8292 asks (push services such as
     *                  Mozilla's and Apple's insist), or another scheme such as {@code xmpp:}; {@code null} for none
     * @return the JWT in its compact form
     */
    public static String token(VapidKeys keys, String audience, Instant expiresAt, String subject) {
        Objects.requireNonNull(audience, "audience");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", audience);
        claims.put("exp", expiresAt.getEpochSecond());
        if (subject != null) {
            checkSubject(subject);
            claims.put("sub", subject);
        }
        return Jwt.sign(claims, keys.privateKey());
    }

    /**
     * The {@code Authorization} header value for a push to {@code endpoint}: {@code vapid t=<jwt>, k=<public key>}.
     *
     * @param keys      the application server's keys
     * @param endpoint  the push resource
     * @param expiresAt when the token expires
     * @param subject   a {@code mailto:} or {@code https:} contact; {@code null} for none
     */
    public static String authorization(VapidKeys keys, String endpoint, Instant expiresAt, String subject) {
        return header(token(keys, audience(endpoint), expiresAt, subject), keys);
    }

    /** The {@code Authorization} header value for a token made by {@link #token} with {@code keys}. */
    public static String header(String token, VapidKeys keys) {
        return "vapid t=" + token + ", k=" + keys.publicKeyBase64Url();
    }

    /**
     * Verifies an {@code Authorization} header as a push service does: the {@code vapid} scheme with {@code t} and
     * {@code k}, an ES256 signature made with {@code k}'s private key, {@code aud} equal to the expected origin, and
     * {@code exp} after {@code now} and no more than {@link #MAX_VALIDITY} after it, and {@code sub}, when present, a URI.
     *
     * @param authorization    the header's value
     * @param expectedAudience the push service's own origin
     * @param now              the time to check {@code exp} against
     * @return the verified claims
     * @throws WebPushCryptoException naming the first check that failed
     */
    public static VapidClaims verify(String authorization, String expectedAudience, Instant now) {
        Map<String, String> parameters = parameters(authorization);
        String token = parameters.get("t");
        String key = parameters.get("k");
        if (token == null || key == null) {
            throw new WebPushCryptoException("the vapid authorization lacks t or k");
        }
        ECPublicKey publicKey = P256.publicKey(Base64Url.decode(key, "the vapid k parameter"), "the vapid k parameter");
        Map<String, Object> claims = Jwt.verify(token, publicKey);
        Object audience = claims.get("aud");
        if (!(audience instanceof String) || !audience.equals(expectedAudience)) {
            throw new WebPushCryptoException("the JWT's aud is not this push service's origin " + expectedAudience);
        }
        if (!(claims.get("exp") instanceof BigDecimal exp)) {
            throw new WebPushCryptoException("the JWT has no numeric exp");
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.ofEpochSecond(exp.longValueExact());
        } catch (ArithmeticException | java.time.DateTimeException e) {
            throw new WebPushCryptoException("the JWT's exp is not a time in seconds");
        }
        if (!expiresAt.isAfter(now)) {
            throw new WebPushCryptoException("the JWT expired at " + expiresAt);
        }
        if (expiresAt.isAfter(now.plus(MAX_VALIDITY))) {
            throw new WebPushCryptoException("the JWT's exp is more than 24 hours ahead");
        }
        Object subject = claims.get("sub");
        if (subject != null) {
            if (!(subject instanceof String text)) {
                throw new WebPushCryptoException("the JWT's sub is not a string");
            }
            checkSubject(text);
        }
        return new VapidClaims(publicKey, (String) audience, expiresAt, (String) subject);
    }

    private static void checkSubject(String subject) {
        int colon = subject.indexOf(':');
        if (colon < 1 || !subject.substring(0, colon).toLowerCase(Locale.ROOT).matches("[a-z][a-z0-9+.-]*")
                || subject.length() == colon + 1) {
            throw new WebPushCryptoException("the VAPID subject is not a URI (mailto:, https:, ...)");
        }
    }

    private static Map<String, String> parameters(String authorization) {
        if (authorization == null) {
            throw new WebPushCryptoException("no Authorization header");
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("vapid")) {
            throw new WebPushCryptoException("the Authorization header's scheme is not vapid");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String parameter : value.substring(space + 1).split(",")) {
            int equals = parameter.indexOf('=');
            if (equals < 0) {
                throw new WebPushCryptoException("a vapid parameter has no value");
            }
            String name = parameter.substring(0, equals).strip().toLowerCase(Locale.ROOT);
            String text = parameter.substring(equals + 1).strip();
            if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
                text = text.substring(1, text.length() - 1);
            }
            if (parameters.put(name, text) != null) {
                throw new WebPushCryptoException("the vapid parameter " + name + " appears twice");
            }
        }
        return parameters;
    }
}
