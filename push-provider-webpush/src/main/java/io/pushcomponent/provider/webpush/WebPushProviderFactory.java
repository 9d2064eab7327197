package io.pushcomponent.provider.webpush;

import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushProviderFactory;
import java.util.Optional;
import java.util.Set;

/**
 * Creates Web Push providers: provider id {@value #ID}, from the artifact {@value #ARTIFACT}. Delivers to browsers
 * and desktop applications through the push service their subscription names (Firefox's, Chrome's and Edge's through
 * FCM, Safari's through Apple's), encrypted for the subscription (RFC 8291) and signed with the application server's
 * VAPID key (RFC 8292).
 *
 * <p>A registration's {@code device-token} is the browser's subscription as {@code JSON.stringify(subscription)}
 * writes it: {@code {"endpoint": "https://...", "expirationTime": null, "keys": {"p256dh": "...", "auth": "..."}}}.
 *
 * <p>The smallest configuration names the VAPID key file and a contact:
 * <pre>{@code
 * push () {
 *     'webpush' () {
 *         'vapid-key-file' = '/etc/push/vapid.properties'
 *         'vapid-subject' = 'mailto:push-admin@example.com'
 *     }
 * }
 * }</pre>
 * Every key is a constant of this class; {@link #settingKeys()} lists them.
 *
 * <p><b>Thread-safety:</b> stateless and thread-safe; discovered through {@link java.util.ServiceLoader}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8030#section-5">RFC 8030 section 5: requesting push message
 * delivery</a>
 */
public final class WebPushProviderFactory implements PushProviderFactory {
    /** The canonical provider id. */
    public static final String ID = "webpush";
    /** The Maven coordinates of this provider's artifact. */
    public static final String ARTIFACT = "io.pushcomponent:push-provider-webpush";

    /**
     * Path of the VAPID key file (relative paths resolve against the configuration file): either
     * {@code public-key = <base64url>} and {@code private-key = <base64url>} lines (as {@code web-push
     * generate-vapid-keys} prints them), or a PEM PKCS#8 private key ({@code openssl ecparam -name prime256v1 -genkey
     * | openssl pkcs8 -topk8 -nocrypt}). Required; never logged.
     */
    public static final String VAPID_KEY_FILE = "vapid-key-file";
    /** The contact push services may reach the operator at: a {@code mailto:} or {@code https:} URI. Required. */
    public static final String VAPID_SUBJECT = "vapid-subject";
    /** How long a VAPID token is used before a new one is signed; default 12 h, at most 24 h. */
    public static final String VAPID_VALIDITY = "vapid-validity";
    /** Most requests in flight at once (further sends wait in a queue); default 64. */
    public static final String MAX_CONCURRENT = "max-concurrent";
    /**
     * Time to open a TCP connection to a push service; default 1 s, so that an unreachable push service fails pushes
     * fast. Milliseconds or ISO-8601 ({@code PT1S}).
     */
    public static final String CONNECT_TIMEOUT = "connect-timeout";
    /** Longest wait for the push service's answer; default 30 s. */
    public static final String REQUEST_TIMEOUT = "request-timeout";
    /** How long the push service keeps a message for an offline browser ({@code TTL}); default 24 h. */
    public static final String TTL = "ttl";
    /** How long it keeps a call push; default 60 s (a late call push only rings for a call that is over). */
    public static final String CALL_TTL = "call-ttl";
    /** Retries after {@code 429} and {@code 5xx} before the push is rejected; default 3. */
    public static final String MAX_RETRIES = "max-retries";
    /**
     * The longest first retry delay when the push service sends no {@code Retry-After}; doubles on each retry,
     * jittered ({@link io.pushcomponent.api.RetryPolicy}); default 500 ms.
     */
    public static final String RETRY_BASE_DELAY = "retry-base-delay";
    /**
     * The longest wait before a retry; a {@code Retry-After} beyond it ends the retries and the rejection carries the
     * push service's advice instead (the app server then pauses the whole provider); default 2 s, or
     * {@value #RETRY_BASE_DELAY} if that is longer.
     */
    public static final String MAX_RETRY_DELAY = "max-retry-delay";
    /**
     * Accept subscriptions whose endpoint is plain {@code http} or a loopback, private or link-local address; default
     * {@code false}. Endpoints come from clients, so without this a client cannot make the component post to the
     * machine's own or its network's services. For tests and a push service on the local network only.
     */
    public static final String ALLOW_LOCAL_ENDPOINTS = "allow-local-endpoints";

    private static final Set<String> KEYS = Set.of(VAPID_KEY_FILE, VAPID_SUBJECT, VAPID_VALIDITY, MAX_CONCURRENT,
            CONNECT_TIMEOUT, REQUEST_TIMEOUT, TTL, CALL_TTL, MAX_RETRIES, RETRY_BASE_DELAY, MAX_RETRY_DELAY,
            ALLOW_LOCAL_ENDPOINTS);

    /** For {@link java.util.ServiceLoader}. */
    public WebPushProviderFactory() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<String> artifact() {
        return Optional.of(ARTIFACT);
    }

    /** Every key above. */
    @Override
    public Set<String> settingKeys() {
        return KEYS;
    }

    /**
     * Reads the VAPID key file and builds a provider; no network traffic happens until the first send.
     *
     * @throws IllegalArgumentException when a required key is missing, the key file cannot be read or holds no P-256
     *                                  key pair, or a value is malformed; the message never holds a key
     */
    @Override
    public PushProvider create(ProviderSettings settings) {
        settings.requireKnownKeys(KEYS);
        return new WebPushProvider(WebPushConfig.from(settings));
    }
}
