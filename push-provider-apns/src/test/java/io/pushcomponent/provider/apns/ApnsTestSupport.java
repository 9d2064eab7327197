package io.pushcomponent.provider.apns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.testkit.apns.FakeApnsServer;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Settings and helpers shared by the APNs provider's tests. */
final class ApnsTestSupport {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String BUNDLE = "im.example.siskin";
    static final String TOKEN = "0123456789abcdef".repeat(4);
    static final String VOIP_TOKEN = "fedcba9876543210".repeat(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApnsTestSupport() {
    }

    /** The two ways to authenticate, each as the settings an operator would write. */
    enum Auth {
        CERTIFICATE {
            @Override
            Map<String, Object> credentials(FakeApnsServer server, String topic) {
                FakeApnsServer.ClientCertificate certificate = server.clientCertificate(topic);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put(ApnsPushProviderFactory.CERT_FILE, certificate.file().toString());
                m.put(ApnsPushProviderFactory.CERT_PASSWORD, certificate.password());
                return m;
            }
        },
        TOKEN {
            @Override
            Map<String, Object> credentials(FakeApnsServer server, String topic) {
                FakeApnsServer.SigningKey key = server.signingKey();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put(ApnsPushProviderFactory.KEY_FILE, key.file().toString());
                m.put(ApnsPushProviderFactory.TEAM_ID, key.teamId());
                m.put(ApnsPushProviderFactory.KEY_ID, key.keyId());
                m.put(ApnsPushProviderFactory.TOPIC, topic);
                return m;
            }
        };

        abstract Map<String, Object> credentials(FakeApnsServer server, String topic);
    }

    /** Settings pointing both environments at {@code server}, with short retry pauses. */
    static Map<String, Object> settings(FakeApnsServer server, Auth auth) {
        Map<String, Object> m = new LinkedHashMap<>(auth.credentials(server, BUNDLE));
        m.put(ApnsPushProviderFactory.APNS_HOST, server.host());
        m.put(ApnsPushProviderFactory.APNS_PORT, server.port());
        m.put(ApnsPushProviderFactory.APNS_SANDBOX_HOST, server.host());
        m.put(ApnsPushProviderFactory.APNS_SANDBOX_PORT, server.port());
        m.put(ApnsPushProviderFactory.TRUSTED_CA_FILE, server.caCertificateFile().toString());
        m.put(ApnsPushProviderFactory.POOL_SIZE, 1);
        m.put(ApnsPushProviderFactory.RETRY_BACKOFF, "PT0.01S");
        return m;
    }

    static PushProvider provider(Map<String, Object> settings) {
        return new ApnsPushProviderFactory().create(ProviderSettings.of("apns", settings));
    }

    static DeliveryResult sendAndWait(PushProvider provider, PushRequest request) {
        try {
            return provider.send(request).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the push did not complete normally", e);
        }
    }

    static JsonNode json(String payload) {
        try {
            return JSON.readTree(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
