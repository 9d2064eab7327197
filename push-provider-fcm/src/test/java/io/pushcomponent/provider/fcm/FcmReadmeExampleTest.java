package io.pushcomponent.provider.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushProviderFactory;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example, with the fake's service account and address in place of the real ones. */
class FcmReadmeExampleTest {
    @TempDir
    Path tempDir;

    @Test
    void theReadmeExampleDelivers() throws Exception {
        try (FakeFcmServer fake = FakeFcmServer.start()) {
            String serviceAccountFile = fake.writeServiceAccountJson(tempDir).toString();
            String registrationToken = FcmPushProviderTest.DEVICE_TOKEN;

            PushProviderFactory factory = ProviderRegistry.discover().factory("fcm-http-v1");
            try (PushProvider fcm = factory.create(ProviderSettings.of("fcm-http-v1",
                    Map.of("service-account-file", serviceAccountFile, "base-url", fake.baseUrl())))) {
                DeliveryResult result = fcm.send(PushRequest.message(Device.of("fcm-http-v1", registrationToken),
                        "juliet@example.com", new Summary(1, "romeo@example.net", "Wherefore art thou?", null, null)))
                        .toCompletableFuture().join();

                assertThat(result.isDelivered()).isTrue();
            }
            assertThat(fake.takeMessage(Duration.ofSeconds(10)).data()).containsExactly(
                    Map.entry("account", "juliet@example.com"), Map.entry("unread-messages", "1"),
                    Map.entry("sender", "romeo@example.net"), Map.entry("body", "Wherefore art thou?"));
        }
    }
}
