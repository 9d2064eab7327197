package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.component.config.ConfigException;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FCM blocks of Tigase's push component guide, in the component's configuration file. */
class TigaseGuideBlocksTest {
    private static final ProviderRegistry REGISTRY = ProviderRegistry.discover();

    @TempDir
    Path dir;

    private ComponentConfig parse(String push) throws ConfigException {
        return ComponentConfig.parse(dir.resolve("push.tdsl"), String.join("\n",
                "'component-jid' = 'push.example.com'",
                "'secret' = 'component-secret'",
                push, ""), REGISTRY, name -> null);
    }

    @Test
    void theFcmXmppApiBlockWithAServiceAccountLoads() throws Exception {
        try (FakeFcmServer fcm = FakeFcmServer.start()) {
            ComponentConfig config = parse(String.join("\n",
                    "push () {",
                    "    'fcm-xmpp-api' () {",
                    "        'service-account-file' = '" + fcm.writeServiceAccountJson(dir) + "'",
                    "        'pool-size' = 5",
                    "    }",
                    "}"));

            assertThat(config.providers()).as("Tigase's bean name configures our FCM provider")
                    .containsOnlyKeys("fcm-xmpp-api");
            PushComponent.checkProviders(config, REGISTRY);
        }
    }

    @Test
    void theGuidesSenderIdAndServerKeyFailAtStartUpWithTheFcmLegacyMessage() throws Exception {
        ComponentConfig config = parse(String.join("\n",
                "push () {",
                "    'fcm-xmpp-api' () {",
                "        'sender-id' = 'your-sender-id'",
                "        'server-key' = 'your-server-key'",
                "    }",
                "}"));

        assertThatThrownBy(() -> PushComponent.checkProviders(config, REGISTRY))
                .as("FCM's legacy APIs are shut down: the operator is told to use a service account with HTTP v1")
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("push.tdsl:4")
                .hasMessageContaining("service-account JSON for FCM HTTP v1")
                .message().doesNotContain("your-server-key");
    }
}
