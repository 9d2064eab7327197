package io.pushcomponent.provider.fcm;

import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.BASE_URL;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.CALL_TTL;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.CONNECT_TIMEOUT;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.LEGACY_SENDER_ID;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.LEGACY_SERVER_KEY;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.MAX_CONCURRENT;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.MAX_RETRIES;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.MAX_RETRY_DELAY;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.POOL_SIZE;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.PROJECT_ID;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.REQUEST_TIMEOUT;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.SENDER_JID;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.RETRY_BASE_DELAY;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.SERVICE_ACCOUNT_FILE;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.SERVICE_ACCOUNT_JSON;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.TOKEN_REFRESH_MARGIN;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.TOKEN_URI;
import static io.pushcomponent.provider.fcm.FcmPushProviderFactory.TTL;

import com.google.auth.oauth2.ServiceAccountCredentials;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.RetryPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * The checked settings of one FCM provider. Immutable; {@code toString()} never shows the credentials.
 *
 * @param credentials    service-account credentials, scoped for FCM, token endpoint applied
 * @param projectId      the Firebase project
 * @param sendUrl        {@code {base-url}/v1/projects/{project}/messages:send}
 * @param maxConcurrent  most requests in flight
 * @param connectTimeout connection timeout
 * @param requestTimeout read and write timeout
 * @param ttl            time to live of message pushes
 * @param callTtl        time to live of call pushes
 * @param retry          retries of 429/500/503: {@code retry-base-delay}, {@code max-retry-delay}, {@code max-retries}
 * @param refreshMargin  how long before expiry the access token is renewed
 * @param fullSenderJid  pass the sender on as the server sent it ({@code sender-jid = 'full'}) rather than its bare JID
 */
record FcmConfig(ServiceAccountCredentials credentials, String projectId, HttpUrl sendUrl, int maxConcurrent,
                 Duration connectTimeout, Duration requestTimeout, Duration ttl, Duration callTtl, RetryPolicy retry,
                 Duration refreshMargin, boolean fullSenderJid) {

    static final String DEFAULT_BASE_URL = "https://fcm.googleapis.com";
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

    static FcmConfig from(ProviderSettings s) {
        String id = s.providerId();
        if (s.has(LEGACY_SENDER_ID) || s.has(LEGACY_SERVER_KEY)) {
            throw new IllegalArgumentException("provider '" + id + "': '" + LEGACY_SENDER_ID + "' and '"
                    + LEGACY_SERVER_KEY + "' belong to FCM's legacy XMPP and HTTP APIs, which Google has shut down; "
                    + "configure a service-account JSON for FCM HTTP v1 instead: '" + SERVICE_ACCOUNT_FILE
                    + "' = path of the JSON downloaded from the Firebase console (Project settings > Service "
                    + "accounts), or '" + SERVICE_ACCOUNT_JSON + "' = env('NAME') holding that JSON");
        }
        ServiceAccountCredentials account = serviceAccount(s);
        String tokenUri = s.string(TOKEN_URI).map(String::trim)
                .orElse(account.getTokenServerUri() == null ? null : account.getTokenServerUri().toString());
        if (tokenUri != null) {
            URI checked = httpUri(s, TOKEN_URI, tokenUri, s.has(TOKEN_URI) ? "'" + TOKEN_URI + "'"
                    : "the service account's token_uri");
            account = account.toBuilder().setTokenServerUri(checked).build();
        }
        String projectId = s.string(PROJECT_ID).filter(p -> !p.isBlank()).orElse(account.getProjectId());
        if (projectId == null || projectId.isBlank()) {
            throw new IllegalArgumentException("provider '" + id + "': the service account names no project_id; "
                    + "set '" + PROJECT_ID + "' to the Firebase project id");
        }
        HttpUrl base = HttpUrl.parse(httpUri(s, BASE_URL, DEFAULT_BASE_URL, "'" + BASE_URL + "'").toString());
        HttpUrl sendUrl = base.newBuilder().addPathSegment("v1").addPathSegment("projects")
                .addPathSegment(projectId).addPathSegment("messages:send").build();
        if (s.has(MAX_CONCURRENT) && s.has(POOL_SIZE)) {
            throw new IllegalArgumentException("provider '" + id + "': set '" + MAX_CONCURRENT + "' or its Tigase "
                    + "name '" + POOL_SIZE + "', not both");
        }
        int maxConcurrent = s.integer(POOL_SIZE, s.integer(MAX_CONCURRENT, 64));
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("provider '" + id + "': '" + (s.has(POOL_SIZE) ? POOL_SIZE
                    : MAX_CONCURRENT) + "' must be at least 1, was " + maxConcurrent);
        }
        int maxRetries = s.integer(MAX_RETRIES, 3);
        if (maxRetries < 0) {
            throw new IllegalArgumentException("provider '" + id + "': '" + MAX_RETRIES
                    + "' must not be negative, was " + maxRetries);
        }
        Duration retryBaseDelay = s.positiveDuration(RETRY_BASE_DELAY, Duration.ofMillis(500));
        Duration maxRetryDelay = s.positiveDuration(MAX_RETRY_DELAY, Duration.ofSeconds(2).compareTo(retryBaseDelay) < 0
                ? retryBaseDelay : Duration.ofSeconds(2));
        if (maxRetryDelay.compareTo(retryBaseDelay) < 0) {
            throw new IllegalArgumentException("provider '" + id + "': '" + MAX_RETRY_DELAY + "' must not be shorter "
                    + "than '" + RETRY_BASE_DELAY + "', was " + maxRetryDelay);
        }
        return new FcmConfig((ServiceAccountCredentials) account.createScoped(List.of(SCOPE)), projectId, sendUrl,
                maxConcurrent,
                s.positiveDuration(CONNECT_TIMEOUT, Duration.ofSeconds(1)),
                s.positiveDuration(REQUEST_TIMEOUT, Duration.ofSeconds(30)),
                s.wholeSeconds(TTL, Duration.ofHours(24)),
                s.wholeSeconds(CALL_TTL, Duration.ofSeconds(60)),
                new RetryPolicy(retryBaseDelay, maxRetryDelay, maxRetries),
                s.positiveDuration(TOKEN_REFRESH_MARGIN, Duration.ofMinutes(5)),
                fullSenderJid(s));
    }

    /** {@code sender-jid}: {@code bare} (the default) or {@code full}. */
    private static boolean fullSenderJid(ProviderSettings s) {
        String value = s.string(SENDER_JID).orElse("bare");
        if (!value.equals("bare") && !value.equals("full")) {
            throw new IllegalArgumentException("provider '" + s.providerId() + "': '" + SENDER_JID
                    + "' must be 'bare' or 'full', was '" + value + "'");
        }
        return value.equals("full");
    }

    private static ServiceAccountCredentials serviceAccount(ProviderSettings s) {
        String id = s.providerId();
        boolean file = s.has(SERVICE_ACCOUNT_FILE);
        boolean inline = s.has(SERVICE_ACCOUNT_JSON);
        if (file == inline) {
            throw new IllegalArgumentException("provider '" + id + "': set exactly one of '" + SERVICE_ACCOUNT_FILE
                    + "' (path of the service-account JSON) and '" + SERVICE_ACCOUNT_JSON
                    + "' (the JSON itself, e.g. env('NAME'))" + (file ? ", not both" : ""));
        }
        if (file) {
            Path path = s.path(SERVICE_ACCOUNT_FILE).orElseThrow();
            try (InputStream in = Files.newInputStream(path)) {
                return parse(in, id, "the file '" + path + "' given as '" + SERVICE_ACCOUNT_FILE + "'");
            } catch (IOException e) {
                throw new IllegalArgumentException("provider '" + id + "': cannot read '" + SERVICE_ACCOUNT_FILE
                        + "' " + path + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        String json = s.requireString(SERVICE_ACCOUNT_JSON);
        return parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), id,
                "the value of '" + SERVICE_ACCOUNT_JSON + "'");
    }

    /**
     * Parses a service-account JSON. The library's own messages are not passed on and the cause is not chained:
     * a JSON parser may quote the input, and the input holds a private key.
     */
    private static ServiceAccountCredentials parse(InputStream in, String id, String what) {
        try {
            return ServiceAccountCredentials.fromStream(in);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("provider '" + id + "': " + what + " is not a service-account JSON "
                    + "(expected \"type\": \"service_account\" with client_id, client_email, private_key_id and a "
                    + "PKCS#8 private_key, as the Firebase console downloads it; " + e.getClass().getSimpleName()
                    + ")");
        }
    }

    /**
     * An https URL, or an http URL to a loopback address (the fakes of tests and benchmarks, a local proxy): the
     * access token and the service account's signed assertion must never cross a network in clear text.
     */
    private static URI httpUri(ProviderSettings s, String key, String defaultValue, String what) {
        String value = s.string(key).map(String::trim).orElse(defaultValue);
        HttpUrl url = value == null ? null : HttpUrl.parse(value);
        if (url == null) {
            throw new IllegalArgumentException("provider '" + s.providerId() + "': " + what
                    + " must be an https URL, was '" + value + "'");
        }
        if (!url.isHttps() && !isLoopback(url.host())) {
            throw new IllegalArgumentException("provider '" + s.providerId() + "': " + what + " must be an https "
                    + "URL, was '" + url.scheme() + "://" + url.host() + "': plain http would send the access token "
                    + "and the service account's signed assertion in clear text; it is accepted only for loopback "
                    + "addresses (localhost, 127.0.0.0/8, ::1), as used by tests and local proxies");
        }
        return url.uri();
    }

    /** {@code localhost} or a loopback IP literal; other names are not resolved (DNS could change its answer). */
    private static boolean isLoopback(String host) {
        if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        boolean literal = host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        try {
            return literal && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "FcmConfig[projectId=" + projectId + ", sendUrl=" + sendUrl + ", credentials=***, maxConcurrent="
                + maxConcurrent + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", ttl=" + ttl + ", callTtl=" + callTtl + ", retry=" + retry + ", refreshMargin=" + refreshMargin + "]";
    }
}
