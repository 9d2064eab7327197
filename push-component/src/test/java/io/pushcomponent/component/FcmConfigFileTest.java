package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.component.config.ConfigException;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FCM provider configured from the component's configuration file, in Tigase's syntax. */
class FcmConfigFileTest {
    private static final String DEVICE_TOKEN = "dQw4w9WgXcQ:APA91bH" + "x".repeat(133);
    private static final ProviderRegistry REGISTRY = ProviderRegistry.discover();

    @TempDir
    Path dir;

    private FakeFcmServer fcm;

    @BeforeEach
    void start() throws Exception {
        fcm = FakeFcmServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        fcm.close();
    }

    private ComponentConfig parse(String push, Map<String, String> env) throws ConfigException {
        return ComponentConfig.parse(dir.resolve("push.tdsl"), "'component-jid' = 'push.example.com'\n"
                + "secret = 'component-secret'\n" + push, REGISTRY, env::get);
    }

    private void assertDelivers(ComponentConfig config, String providerId) throws Exception {
        Map<String, PushProvider> providers = PushComponent.createProviders(config, REGISTRY);
        try {
            assertThat(providers).as("the bean creates the FCM provider under its canonical id")
                    .containsOnlyKeys("fcm-http-v1");
            assertThat(providers.get("fcm-http-v1").send(PushRequest.message(Device.of(providerId, DEVICE_TOKEN),
                    "juliet@example.com", new Summary(1, null, "hi", null, null))).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).isDelivered()).isTrue();
        } finally {
            providers.values().forEach(PushProvider::close);
        }
        assertThat(fcm.takeMessage(Duration.ofSeconds(10)).data()).containsEntry("account", "juliet@example.com");
    }

    @Test
    void anFcmBeanWithAServiceAccountFileCreatesTheProvider() throws Exception {
        Path file = fcm.writeServiceAccountJson(dir);

        ComponentConfig config = parse("push () {\n"
                + "    'fcm-http-v1' () {\n"
                + "        'service-account-file' = '" + file.getFileName() + "'\n"
                + "        'base-url' = '" + fcm.baseUrl() + "'\n"
                + "        'pool-size' = 8\n"
                + "    }\n"
                + "}\n", Map.of());

        assertDelivers(config, "fcm-http-v1");
    }

    @Test
    void tigasesBeanNameWithTheServiceAccountFromTheEnvironmentCreatesTheProvider() throws Exception {
        ComponentConfig config = parse("push () {\n"
                + "    'fcm-xmpp-api' () {\n"
                + "        'service-account-json' = env('FCM_SERVICE_ACCOUNT')\n"
                + "        'base-url' = '" + fcm.baseUrl() + "'\n"
                + "    }\n"
                + "}\n", Map.of("FCM_SERVICE_ACCOUNT", fcm.serviceAccountJson()));

        assertThat(config.toString()).as("the service account never shows").doesNotContain("PRIVATE KEY");
        assertDelivers(config, "fcm-xmpp-api");
    }

    @Test
    void tigasesLegacyFcmKeysAreRefusedWithTheWayToFcmHttpV1() throws Exception {
        ComponentConfig config = parse("push () {\n"
                + "    'fcm-xmpp-api' () {\n"
                + "        'sender-id' = '123456789012'\n"
                + "        'server-key' = 'AAAAlegacykey'\n"
                + "    }\n"
                + "}\n", Map.of());

        ConfigException e = catchThrowableOfType(() -> PushComponent.checkProviders(config, REGISTRY),
                ConfigException.class);

        assertThat(e).as("a configuration copied from Tigase's guide must fail at start-up").isNotNull();
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).as("the problem points at the provider's bean").isEqualTo(4);
            assertThat(p.message()).contains("legacy").contains("shut down").contains("service-account")
                    .doesNotContain("AAAAlegacykey");
        });
    }
}
