package io.pushcomponent.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushcomponent.api.metrics.PublishOutcome;
import io.pushcomponent.api.metrics.PushMetricsListener;
import org.junit.jupiter.api.Test;

/** The README's smallest example, compiled and run: the listener in an application's own registry. */
class ReadmeExampleTest {
    @Test
    void readmeExample() {
        MeterRegistry registry = new SimpleMeterRegistry();   // the application's own registry

        PushMetricsListener metrics = MicrometerMetrics.listener(registry);
        // PushAppServer.builder()...metrics(metrics).build()
        metrics.publishAnswered(PublishOutcome.DELIVERED, null, "fcm-http-v1", null, 1_000_000);

        assertThat(registry.get("push.publishes").tag("outcome", "delivered").counter().count()).isEqualTo(1.0);
    }
}
