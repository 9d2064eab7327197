package io.pushcomponent.provider.webpush;

import static io.pushcomponent.provider.webpush.WebPushProviderFactory.ALLOW_LOCAL_ENDPOINTS;
import static io.pushcomponent.provider.webpush.WebPushProviderFactory.CALL_TTL;
import static io.pushcomponent.provider.webpush.WebPushProviderFactory.CONNECT_TIMEOUT;
import static io.pushcomponent.provider.webpush.WebPushProviderFactory.MAX_CONCURRENT;
import static io.pushcomponent.provider.webpush.WebPushProviderFactory.MAX_RETRIES;
import static io.pushcomponent.provider.webpush.WebPushProviderFactory.MAX_RETRY_DELAY;
import static io.pushcomponent.provider.webpush.WebPushProviderFactory.REQUEST_TIMEOUT;
import static io.pushcomponent.provider.webpush.WebPushProviderFactory.RETRY_BASE_DELAY;
import static io.pushcomponent.provider.webpush.WebPushProviderFactory.TTL;
import static io.pushcomponent.provider.webpush.WebPushProviderFactory.VAPID_KEY_FILE;
import static io.pushcomponent.provider.webpush.WebPushProviderFactory.VAPID_SUBJECT;
import static io.pushcomponent.provider.webpush.WebPushProviderFactory.VAPID_VALIDITY;

import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.RetryPolicy;
import io.pushcomponent.webpush.crypto.Vapid;
import io.pushcomponent.webpush.crypto.VapidKeys;
import io.pushcomponent.webpush.crypto.WebPushCryptoException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checked settings of one Web Push provider. Immutable; {@code toString()} shows the VAPID public key only.
 *
 * @param vapid               the application server's VAPID keys
 * @param subject             the VAPID {@code sub}
 * @param vapidValidity       how long a signed token is used
 * @param maxConcurrent       most requests in flight
 * @param connectTimeout      connection timeout
 * @param requestTimeout      time to the answer
 * @param ttl                 {@code TTL} of message pushes
 * @param callTtl             {@code TTL} of call pushes
 * @param retry               retries of 429/5xx
 * @param allowLocalEndpoints whether http and local addresses are accepted as endpoints
 */
record WebPushConfig(VapidKeys vapid, String subject, Duration vapidValidity, int maxConcurrent,
                     Duration connectTimeout, Duration requestTimeout, Duration ttl, Duration callTtl,
                     RetryPolicy retry, boolean allowLocalEndpoints) {

    private static final Pattern JSON_MEMBER = Pattern.compile("\"(publicKey|privateKey)\"\\s*:\\s*\"([^\"]*)\"");
    private static final String PEM_PKCS8 = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_SEC1 = "-----BEGIN EC PRIVATE KEY-----";

    static WebPushConfig from(ProviderSettings s) {
        String id = s.providerId();
        VapidKeys vapid = vapidKeys(s);
        String subject = s.string(VAPID_SUBJECT).map(String::strip).orElseThrow(() -> new IllegalArgumentException(
                "provider '" + id + "': set '" + VAPID_SUBJECT + "' to a contact push services can reach you at, "
                        + "e.g. 'mailto:push-admin@example.com' (Mozilla's and Apple's push services refuse pushes "
                        + "without one)"));
        String lower = subject.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("mailto:") && lower.length() > 7) && !(lower.startsWith("https://") && lower.length() > 8)) {
            throw new IllegalArgumentException("provider '" + id + "': '" + VAPID_SUBJECT + "' must be a mailto: or "
                    + "https: URI, was '" + subject + "'");
        }
        Duration validity = s.positiveDuration(VAPID_VALIDITY, Duration.ofHours(12));
        if (validity.compareTo(Vapid.MAX_VALIDITY) > 0 || validity.compareTo(Duration.ofMinutes(10)) < 0) {
            throw new IllegalArgumentException("provider '" + id + "': '" + VAPID_VALIDITY + "' must be between 10 "
                    + "minutes and 24 hours, was " + validity);
        }
        int maxConcurrent = s.integer(MAX_CONCURRENT, 64);
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("provider '" + id + "': '" + MAX_CONCURRENT
                    + "' must be at least 1, was " + maxConcurrent);
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
        return new WebPushConfig(vapid, subject, validity, maxConcurrent,
                s.positiveDuration(CONNECT_TIMEOUT, Duration.ofSeconds(1)),
                s.positiveDuration(REQUEST_TIMEOUT, Duration.ofSeconds(30)),
                s.wholeSeconds(TTL, Duration.ofHours(24)),
                s.wholeSeconds(CALL_TTL, Duration.ofSeconds(60)),
                new RetryPolicy(retryBaseDelay, maxRetryDelay, maxRetries),
                s.bool(ALLOW_LOCAL_ENDPOINTS, false));
    }

    /**
     * Reads the key file. Neither the file's content nor a parser's message reaches an exception: the file holds the
     * private key.
     */
    private static VapidKeys vapidKeys(ProviderSettings s) {
        String id = s.providerId();
        Path path = s.path(VAPID_KEY_FILE).orElseThrow(() -> new IllegalArgumentException("provider '" + id
                + "': set '" + VAPID_KEY_FILE + "' to the file holding the VAPID key pair (public-key = ... and "
                + "private-key = ... in base64url, as 'npx web-push generate-vapid-keys' prints them, or a PEM "
                + "PKCS#8 P-256 private key)"));
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("provider '" + id + "': cannot read '" + VAPID_KEY_FILE + "' " + path
                    + " (" + e.getClass().getSimpleName() + ")");
        }
        String what = "provider '" + id + "': the file '" + path + "' given as '" + VAPID_KEY_FILE + "'";
        try {
            if (text.contains(PEM_SEC1)) {
                throw new IllegalArgumentException(what + " holds a SEC 1 'EC PRIVATE KEY'; convert it to PKCS#8 "
                        + "with 'openssl pkcs8 -topk8 -nocrypt -in old.pem -out vapid.pem'");
            }
            int pem = text.indexOf(PEM_PKCS8);
            if (pem >= 0) {
                int end = text.indexOf("-----END PRIVATE KEY-----", pem);
                if (end < 0) {
                    throw new IllegalArgumentException(what + " has a PEM key without its END line");
                }
                byte[] der = Base64.getMimeDecoder().decode(text.substring(pem + PEM_PKCS8.length(), end));
                return VapidKeys.fromPkcs8(der);
            }
            Map<String, String> values = new HashMap<>();
            Matcher json = JSON_MEMBER.matcher(text);
            while (json.find()) {
                values.put(json.group(1).equals("publicKey") ? "public-key" : "private-key", json.group(2));
            }
            for (String line : text.split("\\R")) {
                String trimmed = line.strip();
                int separator = trimmed.indexOf('=') >= 0 ? trimmed.indexOf('=') : trimmed.indexOf(':');
                if (trimmed.isEmpty() || trimmed.startsWith("#") || separator < 0) {
                    continue;
                }
                String name = trimmed.substring(0, separator).strip().toLowerCase(Locale.ROOT);
                if (name.equals("public-key") || name.equals("private-key")) {
                    values.put(name, trimmed.substring(separator + 1).strip());
                }
            }
            if (!values.containsKey("public-key") || !values.containsKey("private-key")) {
                throw new IllegalArgumentException(what + " holds no VAPID key pair: expected the lines "
                        + "'public-key = <base64url>' and 'private-key = <base64url>', the JSON of "
                        + "'web-push generate-vapid-keys --json', or a PEM PKCS#8 P-256 private key");
            }
            return VapidKeys.fromBase64Url(values.get("public-key"), values.get("private-key"));
        } catch (WebPushCryptoException e) {
            throw new IllegalArgumentException(what + " holds no usable P-256 key pair (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("provider '")) {
                throw e;
            }
            throw new IllegalArgumentException(what + " has a PEM key that is not base64");
        }
    }

    @Override
    public String toString() {
        return "WebPushConfig[vapidPublicKey=" + vapid.publicKeyBase64Url() + ", privateKey=***, subject=" + subject
                + ", vapidValidity=" + vapidValidity + ", maxConcurrent=" + maxConcurrent + ", connectTimeout="
                + connectTimeout + ", requestTimeout=" + requestTimeout + ", ttl=" + ttl + ", callTtl=" + callTtl
                + ", retry=" + retry + ", allowLocalEndpoints=" + allowLocalEndpoints + "]";
    }
}
