package io.pushcomponent.provider.apns;

import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.ALERT_BODY;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.APNS_HOST;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.APNS_PORT;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.APNS_SANDBOX_HOST;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.APNS_SANDBOX_PORT;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.APPS;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.APP_KEYS;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.CALL_ALERT_BODY;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.CALL_EXPIRATION;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.CERT_FILE;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.CERT_PASSWORD;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.CONNECT_TIMEOUT;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.EXPIRATION;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.KEY_FILE;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.KEY_ID;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.MAX_RETRY_DELAY;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.POOL_SIZE;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.RETRY_ATTEMPTS;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.RETRY_BACKOFF;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.SANDBOX;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.SENDER_JID;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.WAKE_UP;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.WAKE_UP_ALERT;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.WAKE_UP_BACKGROUND;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.TEAM_ID;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.TOPIC;
import static io.pushcomponent.provider.apns.ApnsPushProviderFactory.TRUSTED_CA_FILE;

import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The APNs provider's settings, read and checked: apps with their credentials, endpoints, limits.
 *
 * <p>Immutable and thread-safe once built. Credentials are loaded here, once; {@code toString()} of every part
 * leaves out passwords and keys.
 */
record ApnsConfig(List<App> apps, Endpoint production, Endpoint sandbox, Path trustedCaFile, int poolSize,
                  Duration expiration, Duration callExpiration, String alertBody, String callAlertBody,
                  RetryPolicy retry, Duration connectTimeout) {

    private static final Pattern UID = Pattern.compile("(?:^|,)UID=([^,+]+)");

    ApnsConfig {
        apps = List.copyOf(apps);
    }

    /** The app a registration without an app id uses. */
    App defaultApp() {
        return apps.get(0);
    }

    static ApnsConfig from(ProviderSettings settings) {
        Map<CredentialsSource, Credentials> loaded = new LinkedHashMap<>();
        List<App> apps = new ArrayList<>();
        CredentialsSource topLevel = CredentialsSource.of(settings);
        Credentials defaultCredentials = loaded.computeIfAbsent(topLevel, s -> s.load(settings));
        String defaultTopic = settings.string(TOPIC).filter(t -> !t.isBlank())
                .or(() -> defaultCredentials.certificateTopic())
                .orElseThrow(() -> new IllegalArgumentException("provider '" + settings.providerId() + "': setting '"
                        + TOPIC + "' (the app's bundle id) is required with token authentication"));
        boolean fullSender = fullSenderJid(settings, false);
        boolean wakeUpAlert = wakeUpAlert(settings, false);
        apps.add(new App(defaultTopic, defaultCredentials, settings.bool(SANDBOX, false), fullSender, wakeUpAlert));

        for (Map.Entry<String, ProviderSettings> app : appBlocks(settings).entrySet()) {
            ProviderSettings block = app.getValue();
            block.requireKnownKeys(APP_KEYS);
            ProviderSettings effective = CredentialsSource.ownedBy(block) ? block : settings;
            Credentials credentials = loaded.computeIfAbsent(CredentialsSource.of(effective),
                    s -> s.load(effective));
            App added = new App(app.getKey(), credentials, block.bool(SANDBOX, settings.bool(SANDBOX, false)),
                    fullSenderJid(block, fullSender), wakeUpAlert(block, wakeUpAlert));
            if (apps.stream().anyMatch(a -> a.topic().equals(added.topic()))) {
                throw new IllegalArgumentException("provider '" + settings.providerId() + "': app '" + added.topic()
                        + "' is configured twice");
            }
            apps.add(added);
        }

        int cpus = Runtime.getRuntime().availableProcessors();
        int poolSize = settings.integer(POOL_SIZE, cpus);
        int retryAttempts = settings.integer(RETRY_ATTEMPTS, 3);
        Duration expiration = settings.duration(EXPIRATION, Duration.ofDays(1));
        Duration callExpiration = settings.duration(CALL_EXPIRATION, Duration.ofSeconds(30));
        Duration retryBackoff = settings.duration(RETRY_BACKOFF, Duration.ofMillis(500));
        Duration maxRetryDelay = settings.duration(MAX_RETRY_DELAY,
                retryBackoff.compareTo(Duration.ofSeconds(2)) > 0 ? retryBackoff : Duration.ofSeconds(2));
        Duration connectTimeout = settings.duration(CONNECT_TIMEOUT, Duration.ofSeconds(1));
        require(settings, POOL_SIZE, poolSize >= 1, "must be at least 1");
        require(settings, RETRY_ATTEMPTS, retryAttempts >= 0, "must not be negative");
        require(settings, EXPIRATION, !expiration.isNegative(), "must not be negative");
        require(settings, CALL_EXPIRATION, !callExpiration.isNegative(), "must not be negative");
        require(settings, RETRY_BACKOFF, !retryBackoff.isNegative(), "must not be negative");
        require(settings, MAX_RETRY_DELAY, maxRetryDelay.compareTo(retryBackoff) >= 0,
                "must not be shorter than '" + RETRY_BACKOFF + "'");
        require(settings, CONNECT_TIMEOUT, !connectTimeout.isNegative() && !connectTimeout.isZero(),
                "must be positive");
        Path trustedCa = settings.path(TRUSTED_CA_FILE).orElse(null);
        if (trustedCa != null) {
            requireReadable(settings, TRUSTED_CA_FILE, trustedCa);
        }
        return new ApnsConfig(apps,
                endpoint(settings, APNS_HOST, APNS_PORT, ApnsClientBuilder.PRODUCTION_APNS_HOST),
                endpoint(settings, APNS_SANDBOX_HOST, APNS_SANDBOX_PORT, ApnsClientBuilder.DEVELOPMENT_APNS_HOST),
                trustedCa, poolSize, expiration, callExpiration,
                settings.string(ALERT_BODY).orElse("New message"),
                settings.string(CALL_ALERT_BODY).orElse("Incoming call"),
                new RetryPolicy(retryBackoff, maxRetryDelay, retryAttempts), connectTimeout);
    }

    /** Block {@code apps}: a map of bundle id to a block of settings, or a list of bundle ids. */
    private static Map<String, ProviderSettings> appBlocks(ProviderSettings settings) {
        Object value = settings.values().get(APPS);
        Map<String, ProviderSettings> blocks = new LinkedHashMap<>();
        if (value == null) {
            return blocks;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String topic = String.valueOf(e.getKey());
                Map<String, Object> values = new LinkedHashMap<>();
                if (e.getValue() instanceof Map<?, ?> block) {
                    block.forEach((k, v) -> values.put(String.valueOf(k), v));
                } else if (e.getValue() != null) {
                    throw new IllegalArgumentException("provider '" + settings.providerId() + "': '" + APPS + "' entry '"
                            + topic + "' must be a block of settings");
                }
                blocks.put(topic, new ProviderSettings(settings.providerId() + "/" + APPS + "/" + topic, values,
                        settings.baseDir()));
            }
            return blocks;
        }
        for (String topic : settings.list(APPS)) {
            blocks.put(topic, new ProviderSettings(settings.providerId() + "/" + APPS + "/" + topic, Map.of(),
                    settings.baseDir()));
        }
        return blocks;
    }

    /** {@code sender-jid}: {@code bare} or {@code full}; {@code inherited} when not set. */
    private static boolean fullSenderJid(ProviderSettings settings, boolean inherited) {
        return choice(settings, SENDER_JID, "bare", "full", inherited);
    }

    /** {@code wake-up}: {@code background} or {@code alert}; {@code inherited} when not set. */
    private static boolean wakeUpAlert(ProviderSettings settings, boolean inherited) {
        return choice(settings, WAKE_UP, WAKE_UP_BACKGROUND, WAKE_UP_ALERT, inherited);
    }

    /** {@code true} for {@code second}, {@code false} for {@code first}, {@code inherited} when not set. */
    private static boolean choice(ProviderSettings settings, String key, String first, String second,
                                  boolean inherited) {
        Optional<String> value = settings.string(key);
        if (value.isEmpty()) {
            return inherited;
        }
        require(settings, key, value.get().equals(first) || value.get().equals(second),
                "must be '" + first + "' or '" + second + "'");
        return value.get().equals(second);
    }

    private static Endpoint endpoint(ProviderSettings settings, String hostKey, String portKey, String defaultHost) {
        int port = settings.integer(portKey, ApnsClientBuilder.DEFAULT_APNS_PORT);
        require(settings, portKey, port > 0 && port < 65536, "must be a port number");
        return new Endpoint(settings.string(hostKey).orElse(defaultHost), port);
    }

    private static void require(ProviderSettings settings, String key, boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("provider '" + settings.providerId() + "': setting '" + key + "' "
                    + rule + ", was '" + settings.values().get(key) + "'");
        }
    }

    private static void requireReadable(ProviderSettings settings, String key, Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("provider '" + settings.providerId() + "': setting '" + key
                    + "': cannot read " + file);
        }
    }

    /**
     * One app: a bundle id and how to authenticate for it.
     *
     * @param topic       the bundle id; VoIP pushes go to {@code <topic>.voip}
     * @param credentials certificate or token key
     * @param sandbox     {@code true} when every push of the app goes to the sandbox
     * @param fullSender  pass the sender JID on as the server sent it ({@code sender-jid = 'full'}), not its bare JID
     * @param wakeUpAlert send a notification without anything to show as a mutable-content alert with a placeholder
     *                    ({@code wake-up = 'alert'}) rather than a background push
     */
    record App(String topic, Credentials credentials, boolean sandbox, boolean fullSender, boolean wakeUpAlert) {
    }

    /** Host and port of one APNs environment. */
    record Endpoint(String host, int port) {
    }

    /** Where credentials come from, to load each file once when several apps share it. */
    private record CredentialsSource(Path certFile, Path keyFile, String teamId, String keyId) {

        static boolean ownedBy(ProviderSettings block) {
            return block.has(CERT_FILE) || block.has(KEY_FILE);
        }

        static CredentialsSource of(ProviderSettings settings) {
            Path cert = settings.path(CERT_FILE).orElse(null);
            Path key = settings.path(KEY_FILE).orElse(null);
            if (cert != null && key != null) {
                throw new IllegalArgumentException("provider '" + settings.providerId() + "': set either '" + CERT_FILE
                        + "' (certificate authentication) or '" + KEY_FILE + "' (token authentication), not both");
            }
            if (cert == null && key == null) {
                throw new IllegalArgumentException("provider '" + settings.providerId() + "': no APNs credentials; set '"
                        + CERT_FILE + "' and '" + CERT_PASSWORD + "' (certificate authentication) or '" + KEY_FILE
                        + "', '" + TEAM_ID + "' and '" + KEY_ID + "' (token authentication)");
            }
            return key == null ? new CredentialsSource(cert, null, null, null)
                    : new CredentialsSource(null, key, settings.requireString(TEAM_ID), settings.requireString(KEY_ID));
        }

        Credentials load(ProviderSettings settings) {
            return certFile != null ? loadCertificate(settings) : loadSigningKey(settings);
        }

        private Credentials loadCertificate(ProviderSettings settings) {
            requireReadable(settings, CERT_FILE, certFile);
            String password = settings.string(CERT_PASSWORD).orElse("");
            try (InputStream in = Files.newInputStream(certFile)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, password.toCharArray());
                for (String alias : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(alias)) {
                        Key key = store.getKey(alias, password.toCharArray());
                        if (key instanceof PrivateKey privateKey
                                && store.getCertificate(alias) instanceof X509Certificate certificate) {
                            return new Credentials.Certificate(certFile, certificate, privateKey);
                        }
                    }
                }
                throw new IllegalArgumentException("provider '" + settings.providerId() + "': setting '" + CERT_FILE
                        + "': " + certFile + " holds no certificate with a private key");
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("provider '" + settings.providerId() + "': setting '" + CERT_FILE
                        + "': cannot read " + certFile + " as PKCS#12 with the configured '" + CERT_PASSWORD
                        + "' (" + e.getClass().getSimpleName() + ")");
            }
        }

        private Credentials loadSigningKey(ProviderSettings settings) {
            requireReadable(settings, KEY_FILE, keyFile);
            try {
                return new Credentials.Token(keyFile, ApnsSigningKey.loadFromPkcs8File(keyFile.toFile(), teamId, keyId));
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                throw new IllegalArgumentException("provider '" + settings.providerId() + "': setting '" + KEY_FILE
                        + "': cannot read " + keyFile + " as an APNs .p8 signing key ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
    }

    /** How the provider authenticates to APNs for an app. */
    sealed interface Credentials {

        /** The bundle id the certificate was issued for (its subject's {@code UID}), if it is a certificate. */
        Optional<String> certificateTopic();

        /** Certificate authentication. */
        record Certificate(Path file, X509Certificate certificate, PrivateKey privateKey) implements Credentials {
            public Certificate {
                Objects.requireNonNull(certificate, "certificate");
                Objects.requireNonNull(privateKey, "privateKey");
            }

            @Override
            public Optional<String> certificateTopic() {
                Matcher m = UID.matcher(certificate.getSubjectX500Principal().getName());
                return m.find() ? Optional.of(m.group(1)) : Optional.empty();
            }

            @Override
            public String toString() {
                return "Certificate[file=" + file + ", subject=" + certificate.getSubjectX500Principal().getName()
                        + ", notAfter=" + certificate.getNotAfter().toInstant() + "]";
            }
        }

        /** Token authentication. */
        record Token(Path file, ApnsSigningKey signingKey) implements Credentials {
            @Override
            public Optional<String> certificateTopic() {
                return Optional.empty();
            }

            @Override
            public String toString() {
                return "Token[file=" + file + ", teamId=" + signingKey.getTeamId() + ", keyId="
                        + signingKey.getKeyId() + "]";
            }
        }
    }
}
