package io.pushcomponent.component.internal;

import io.pushcomponent.component.PushComponent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogPushProviderTest {
    private static final String TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

    @Test
    void logsEachPushWithAShortenedTokenAndWithoutTheBodyAndCountsIt() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(LogPushProvider.class);
        logger.addAppender(logs);
        try (PushProvider provider = new LogPushProviderFactory().create(ProviderSettings.empty("log"))) {
            PushRequest request = PushRequest.message(Device.of("log", TOKEN), "juliet@example.com",
                    new Summary(1, "romeo@example.net", "Wherefore art thou?", null, null));
            DeliveryResult first = provider.send(request).toCompletableFuture().join();
            provider.send(request).toCompletableFuture().join();

            assertThat(first.isDelivered()).isTrue();
            assertThat(((LogPushProvider) provider).deliveredCount()).as("every push is counted").isEqualTo(2);
            String line = logs.list.get(0).getFormattedMessage();
            assertThat(line).as("one line per push, with the shortened token and the account")
                    .contains("push #1").contains("a1b2c3…(64)").contains("juliet@example.com");
            assertThat(line).as("neither the full token nor the message body is logged").doesNotContain(TOKEN)
                    .doesNotContain("Wherefore");
        } finally {
            logger.detachAppender(logs);
        }
    }

    @Test
    void isDiscoveredAsLogAndRefusesSettings() {
        assertThat(PushComponent.providerRegistry(PushComponent.class.getClassLoader()).ids()).contains("log");
        assertThatThrownBy(() -> new LogPushProviderFactory()
                        .create(ProviderSettings.of("log", Map.of("level", "debug"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown setting 'level'");
    }
}
