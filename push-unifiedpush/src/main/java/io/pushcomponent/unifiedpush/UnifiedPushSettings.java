package io.pushcomponent.unifiedpush;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the UnifiedPush distributor runs.
 *
 * <p>Immutable and thread-safe.
 *
 * @param endpointUrl       the public URL endpoints start with, e.g. {@code https://push.example.net/up}: an endpoint
 *                          is this URL, a slash and its token. Application servers on the internet post to it, so it
 *                          names the host (or reverse proxy) in front of the public HTTP listener, whose route serves
 *                          this URL's path
 * @param endpointLifetime  how long an endpoint is valid after it was issued; the client registers again before it
 *                          runs out (Conversations does) and gets a new one. Default {@link #DEFAULT_LIFETIME}
 * @param messagesPerMinute how many messages one endpoint may receive per minute, a token bucket of that size
 *                          refilled evenly; beyond it {@code 429} with {@code Retry-After}. Each endpoint has its own
 *                          bucket. Default {@value #DEFAULT_MESSAGES_PER_MINUTE}
 * @param relayTimeout      how long the client may take to answer a relayed message before the post gets a temporary
 *                          failure; default {@link #DEFAULT_RELAY_TIMEOUT}
 * @param maxWaiting        the most relayed messages waiting for their client's answer at once, over all endpoints;
 *                          beyond a share of it that depends on the message's {@code Urgency} the post gets
 *                          {@code 503}. Default {@value #DEFAULT_MAX_WAITING}
 */
public record UnifiedPushSettings(URI endpointUrl, Duration endpointLifetime, int messagesPerMinute,
                                  Duration relayTimeout, int maxWaiting) {
    /** The default endpoint lifetime: 7 days. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(7);
    /** The default of {@code messagesPerMinute}. */
    public static final int DEFAULT_MESSAGES_PER_MINUTE = 60;
    /** The default relay timeout: 10 s. */
    public static final Duration DEFAULT_RELAY_TIMEOUT = Duration.ofSeconds(10);
    /** The default of {@code maxWaiting}. */
    public static final int DEFAULT_MAX_WAITING = 1024;

    /**
     * @throws IllegalArgumentException when the URL is not absolute HTTP(S) with a host, has a query or fragment, or a
     *                                  number is out of range
     */
    public UnifiedPushSettings {
        Objects.requireNonNull(endpointUrl, "endpointUrl");
        String scheme = endpointUrl.getScheme();
        if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) || endpointUrl.getHost() == null
                || endpointUrl.getRawQuery() != null || endpointUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("the endpoint URL must be an http or https URL with a host and without "
                    + "query or fragment, e.g. https://push.example.net/up");
        }
        String path = endpointUrl.getRawPath() == null ? "" : endpointUrl.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        endpointUrl = URI.create(scheme.toLowerCase(java.util.Locale.ROOT) + "://" + endpointUrl.getRawAuthority()
                + path);
        if (endpointLifetime == null || endpointLifetime.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("the endpoint lifetime must be at least a minute");
        }
        if (messagesPerMinute < 1) {
            throw new IllegalArgumentException("messagesPerMinute must be at least 1");
        }
        if (relayTimeout == null || relayTimeout.isNegative() || relayTimeout.isZero()) {
            throw new IllegalArgumentException("the relay timeout must be positive");
        }
        if (maxWaiting < 4) {
            throw new IllegalArgumentException("maxWaiting must be at least 4");
        }
    }

    /** Defaults for everything but the URL. */
    public static UnifiedPushSettings of(URI endpointUrl) {
        return new UnifiedPushSettings(endpointUrl, DEFAULT_LIFETIME, DEFAULT_MESSAGES_PER_MINUTE,
                DEFAULT_RELAY_TIMEOUT, DEFAULT_MAX_WAITING);
    }

    /** The path the HTTP route serves: the URL's path, {@code /} when it has none, e.g. {@code /up}. */
    public String path() {
        String path = endpointUrl.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }
}
