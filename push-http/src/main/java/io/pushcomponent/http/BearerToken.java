package io.pushcomponent.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A shared secret clients present as {@code Authorization: Bearer <secret>} (RFC 6750 section 2.1), compared in time
 * independent of how much of it matches and of either length. Never shown by {@link #toString()}.
 *
 * <p>Immutable; thread-safe.
 */
public final class BearerToken {
    private static final String BEARER = "bearer ";
    private final byte[] digest;

    private BearerToken(String secret) {
        this.digest = sha256(secret);
    }

    /**
     * The token {@code secret}.
     *
     * @throws IllegalArgumentException when it is blank
     */
    public static BearerToken of(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isBlank()) {
            throw new IllegalArgumentException("a bearer token must not be blank");
        }
        return new BearerToken(secret);
    }

    /** {@code true} when {@code request} carries this token. */
    public boolean presentIn(HttpRequest request) {
        String authorization = request.header("Authorization");
        String presented = authorization != null && authorization.length() > BEARER.length()
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).trim() : "";
        return MessageDigest.isEqual(sha256(presented), digest) && !presented.isEmpty();
    }

    /**
     * Throws unless {@code request} carries this token.
     *
     * @throws HttpRefusal 401 with {@code WWW-Authenticate: Bearer realm="push"}
     */
    public void require(HttpRequest request) throws HttpRefusal {
        if (!presentIn(request)) {
            throw new HttpRefusal(401, "missing or wrong bearer token", "WWW-Authenticate", "Bearer realm=\"push\"");
        }
    }

    /** {@code route} answering only requests that carry this token; others get 401 before it runs. */
    public HttpRoute guard(HttpRoute route) {
        Objects.requireNonNull(route, "route");
        return new HttpRoute() {
            @Override
            public HttpResponse handle(HttpRequest request) throws IOException {
                require(request);
                return route.handle(request);
            }

            @Override
            public HttpResponse refusal(int status) {
                return route.refusal(status);
            }
        };
    }

    @Override
    public String toString() {
        return "BearerToken[***]";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
