package io.pushcomponent.provider.apns;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushProviderFactory;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import io.pushcomponent.testkit.apns.FakeApnsServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's smallest example, against a fake APNs instead of Apple. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleDeliversAMessage() throws Exception {
        String deviceToken = "ab".repeat(32);
        String voipToken = "cd".repeat(32);
        try (FakeApnsServer fake = FakeApnsServer.startValidating()) {
            fake.addDeviceToken("im.example.app", deviceToken);
            Map<String, Object> settings = new HashMap<>(Map.of(
                    "key-file", fake.signingKey().file().toString(),
                    "team-id", fake.signingKey().teamId(),
                    "key-id", fake.signingKey().keyId(),
                    "topic", "im.example.app"));
            settings.putAll(Map.of("apns-host", fake.host(), "apns-port", fake.port(),
                    "trusted-ca-file", fake.caCertificateFile().toString()));

            PushProviderFactory factory = ProviderRegistry.discover().factory("apns");
            DeliveryResult result;
            try (PushProvider apns = factory.create(ProviderSettings.of("apns", settings))) {
                Device device = new Device("apns", deviceToken, voipToken, null, false);
                result = apns.send(PushRequest.message(device, "juliet@example.com",
                        new Summary(1, "romeo@example.net", "Wherefore art thou?", null, null)))
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
            }

            assertThat(result.isDelivered()).isTrue();
            assertThat(fake.takeNotification(Duration.ofSeconds(10)).payload()).contains("Wherefore art thou?");
        }
    }
}
