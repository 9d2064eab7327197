package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.component.config.ConfigException;
import io.pushcomponent.core.app.CircuitBreakerPolicy;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code breaker-*} keys every provider's block takes: read into the app server's circuit breaker, checked like
 * the provider's own keys, and never passed to the provider's factory (which refuses keys it does not know).
 */
class ProviderBreakerConfigTest {
    private static final ProviderRegistry REGISTRY = ProviderRegistry.discover();

    @TempDir
    Path dir;

    private ComponentConfig parse(String push) throws ConfigException {
        return ComponentConfig.parse(dir.resolve("push.tdsl"), "'component-jid' = 'push.example.com'\n"
                + "secret = 'component-secret'\n" + push, REGISTRY, Map.<String, String>of()::get);
    }

    @Test
    void breakerKeysInAProvidersBlockConfigureItsBreakerAndNotTheProvider() throws Exception {
        try (FakeFcmServer fcm = FakeFcmServer.start()) {
            Path account = fcm.writeServiceAccountJson(dir);
            ComponentConfig config = parse("push () {\n  'fcm-http-v1' () {\n"
                    + "    'service-account-file' = '" + account + "'\n"
                    + "    'base-url' = '" + fcm.baseUrl() + "'\n"
                    + "    'breaker-failures' = 10\n    'breaker-open-time' = 'PT2S'\n"
                    + "    'breaker-max-open-time' = 'PT1M'\n    'breaker-max-pause' = 'PT10M'\n  }\n}\n");

            Map<String, PushProvider> providers = PushComponent.createProviders(config, REGISTRY);
            providers.values().forEach(PushProvider::close);

            assertThat(providers).as("the FCM factory accepted its block without the breaker keys")
                    .containsOnlyKeys("fcm-http-v1");
            CircuitBreakerPolicy policy = CircuitBreakerPolicy.from(config.providers().get("fcm-http-v1"));
            assertThat(policy.failures()).isEqualTo(10);
            assertThat(policy.openTime().initialDelay()).hasSeconds(2);
            assertThat(policy.openTime().maxDelay()).hasMinutes(1);
            assertThat(policy.maxPause()).hasMinutes(10);
        }
    }

    @Test
    void aMalformedBreakerSettingIsAConfigurationProblemNamingTheKey() {
        ConfigException e = catchThrowableOfType(() -> parse("push () {\n  'log' () {\n"
                + "    'breaker-failures' = 0\n  }\n}\n"), ConfigException.class);

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message())
                .contains("'breaker-failures' must be at least 1"));
    }
}
