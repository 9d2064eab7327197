package io.pushcomponent.provider.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushProviderFactory;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import io.pushcomponent.testkit.webpush.FakeWebPushService;
import io.pushcomponent.webpush.crypto.VapidKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example, with the fake push service's subscription and local endpoints allowed. */
class WebPushReadmeExampleTest {
    @TempDir
    Path tempDir;

    @Test
    void theReadmeExampleDelivers() throws Exception {
        try (FakeWebPushService push = FakeWebPushService.start()) {
            String vapidKeyFile = WebPushProviderTest.keyFile(tempDir, VapidKeys.generate()).toString();
            String subscriptionJson = push.subscribe().json();
            DeliveryResult result;

            PushProviderFactory factory = ProviderRegistry.discover().factory("webpush");
            try (PushProvider webPush = factory.create(ProviderSettings.of("webpush", Map.of(
                    "vapid-key-file", vapidKeyFile, "vapid-subject", "mailto:push-admin@example.com",
                    "allow-local-endpoints", true)))) {
                result = webPush.send(PushRequest.message(Device.of("webpush", subscriptionJson),
                        "juliet@example.com", new Summary(1, "romeo@example.net", "Wherefore art thou?", null, null)))
                        .toCompletableFuture().join();
            }

            assertThat(result.isDelivered()).isTrue();
            assertThat(push.takeMessage(Duration.ofSeconds(10)).text()).contains("\"body\":\"Wherefore art thou?\"");
        }
    }
}
