package io.pushcomponent.provider.fcm;

import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushProviderFactory;
import java.util.Optional;
import java.util.Set;

/**
 * Creates Firebase Cloud Messaging HTTP v1 providers: provider id {@value #ID}, from the artifact
 * {@value #ARTIFACT}. Other ids clients send for it are their dialects' aliases.
 *
 * <p>The smallest configuration names a service-account JSON:
 * <pre>{@code
 * push () {
 *     'fcm-http-v1' () {
 *         'service-account-file' = '/etc/push/firebase-service-account.json'
 *     }
 * }
 * }</pre>
 * Every key is a constant of this class; {@link #settingKeys()} lists them. FCM's legacy XMPP and HTTP APIs are shut
 * down, so the legacy keys {@value #LEGACY_SENDER_ID} and {@value #LEGACY_SERVER_KEY} are refused with a message
 * that says what to configure instead.
 *
 * <p><b>Thread-safety:</b> stateless and thread-safe; discovered through {@link java.util.ServiceLoader}.
 *
 * @see <a href="https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages/send">FCM HTTP v1
 * messages.send</a>
 */
public final class FcmPushProviderFactory implements PushProviderFactory {
    /** The canonical provider id. */
    public static final String ID = "fcm-http-v1";
    /** The Maven coordinates of this provider's artifact. */
    public static final String ARTIFACT = "io.pushcomponent:push-provider-fcm";

    /** Path of the service-account JSON file (relative paths resolve against the configuration file). */
    public static final String SERVICE_ACCOUNT_FILE = "service-account-file";
    /** The service-account JSON itself, e.g. {@code env('FCM_SERVICE_ACCOUNT')}. Exactly one of the two is set. */
    public static final String SERVICE_ACCOUNT_JSON = "service-account-json";
    /** The Firebase project id; default: {@code project_id} of the service-account JSON. */
    public static final String PROJECT_ID = "project-id";
    /**
     * FCM's base URL; default {@value FcmConfig#DEFAULT_BASE_URL}. For proxies and tests. {@code https}, or
     * {@code http} to {@code localhost} or a loopback address only.
     */
    public static final String BASE_URL = "base-url";
    /**
     * The OAuth token endpoint; default: {@code token_uri} of the service-account JSON. For proxies and tests.
     * {@code https}, or {@code http} to {@code localhost} or a loopback address only (the JSON's too).
     */
    public static final String TOKEN_URI = "token-uri";
    /** Most requests in flight at once (further sends wait in a queue); default 64. */
    public static final String MAX_CONCURRENT = "max-concurrent";
    /** Tigase's name for {@value #MAX_CONCURRENT}; set one or the other. */
    public static final String POOL_SIZE = "pool-size";
    /**
     * Time to open a TCP connection, to FCM and to the token endpoint; default 1 s, so that an unreachable endpoint
     * fails pushes fast. Milliseconds or ISO-8601 ({@code PT1S}).
     */
    public static final String CONNECT_TIMEOUT = "connect-timeout";
    /** Longest wait for FCM to take the request or to answer (each read and write); default 30 s. */
    public static final String REQUEST_TIMEOUT = "request-timeout";
    /** How long FCM keeps a message for an offline device; default 24 h. */
    public static final String TTL = "ttl";
    /** How long FCM keeps a call push; default 60 s (a late call push only rings for a call that is over). */
    public static final String CALL_TTL = "call-ttl";
    /** Retries after {@code 429}, {@code 500}, {@code 503} before the push is rejected; default 3. */
    public static final String MAX_RETRIES = "max-retries";
    /**
     * The longest first retry delay when FCM sends no {@code Retry-After}; doubles on each retry, jittered between
     * half and all of it ({@link io.pushcomponent.api.RetryPolicy}); default 500 ms.
     */
    public static final String RETRY_BASE_DELAY = "retry-base-delay";
    /**
     * The longest wait before a retry; a {@code Retry-After} beyond it ends the retries and the rejection carries
     * FCM's advice instead (the app server then pauses the whole provider); default 2 s, or
     * {@value #RETRY_BASE_DELAY} if that is longer.
     */
    public static final String MAX_RETRY_DELAY = "max-retry-delay";
    /** How long before the access token expires a new one is fetched (in the background); default 5 min. */
    public static final String TOKEN_REFRESH_MARGIN = "token-refresh-margin";
    /** FCM legacy API setting; refused. */
    public static final String LEGACY_SENDER_ID = "sender-id";
    /** FCM legacy API setting; refused. */
    public static final String LEGACY_SERVER_KEY = "server-key";
    /**
     * Setting: the sender JID passed on in the data ({@code sender}): {@code bare} (the default; servers send the
     * sender's full JID, resource included, and apps show and match the bare JID) or {@code full}, as the server
     * sent it.
     */
    public static final String SENDER_JID = "sender-jid";

    private static final Set<String> KEYS = Set.of(SERVICE_ACCOUNT_FILE, SERVICE_ACCOUNT_JSON, PROJECT_ID, BASE_URL,
            TOKEN_URI, MAX_CONCURRENT, POOL_SIZE, CONNECT_TIMEOUT, REQUEST_TIMEOUT, TTL, CALL_TTL, MAX_RETRIES,
            RETRY_BASE_DELAY, MAX_RETRY_DELAY, TOKEN_REFRESH_MARGIN, LEGACY_SENDER_ID, LEGACY_SERVER_KEY, SENDER_JID);

    /** For {@link java.util.ServiceLoader}. */
    public FcmPushProviderFactory() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<String> artifact() {
        return Optional.of(ARTIFACT);
    }

    /**
     * Every key above. The legacy keys are listed so that a configuration holding them reaches {@link #create} and
     * gets the FCM-legacy error rather than an "unknown key" one.
     */
    @Override
    public Set<String> settingKeys() {
        return KEYS;
    }

    /**
     * Reads the service account and builds a provider; no network traffic happens until the first send.
     *
     * @throws IllegalArgumentException when a legacy key is set, no or both service-account keys are set, the JSON
     *                                  is not a service account, or a value is malformed; the message never holds the
     *                                  service account's content
     */
    @Override
    public PushProvider create(ProviderSettings settings) {
        settings.requireKnownKeys(KEYS);
        return new FcmPushProvider(FcmConfig.from(settings));
    }
}
