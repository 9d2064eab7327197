package io.pushcomponent.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.metrics.MetricsExporter;
import io.pushcomponent.api.metrics.PublishOutcome;
import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.api.metrics.RegistrationChange;
import io.pushcomponent.api.metrics.SendOutcome;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/** The meters, their names and labels as Prometheus shows them, and the exporter service. */
class MicrometerMetricsTest {

    @Test
    void everyEventBecomesTheDocumentedMeterWithLowerCaseLabelsAndNoneForAbsentValues() {
        try (MetricsExporter exporter = MicrometerMetrics.prometheus()) {
            exporter.publishAnswered(PublishOutcome.DELIVERED, null, "fcm-http-v1", null, 2_000_000);
            exporter.publishAnswered(PublishOutcome.DELIVERED, null, "fcm-http-v1", null, 4_000_000);
            exporter.publishAnswered(PublishOutcome.DEVICE_GONE, "item-not-found", "apns",
                    RejectionReason.INVALID_TOKEN, 1_000_000);
            exporter.publishAnswered(PublishOutcome.REFUSED, "item-not-found", null, null, 500_000);
            exporter.providerSent("apns", SendOutcome.REJECTED, RejectionReason.INVALID_TOKEN, 900_000);
            exporter.registrationChanged(RegistrationChange.REMOVED_DEVICE_GONE, "apns");
            AtomicInteger inFlight = new AtomicInteger(7);
            exporter.connectionAdded("xmpp-1", inFlight::get);
            exporter.connectionStateChanged("xmpp-1", true);

            String text = exporter.scrape();
            assertThat(text)
                    .contains("push_publishes_total{condition=\"none\",outcome=\"delivered\",provider=\"fcm-http-v1\","
                            + "reason=\"none\"} 2.0")
                    .contains("push_publishes_total{condition=\"item-not-found\",outcome=\"device_gone\","
                            + "provider=\"apns\",reason=\"invalid_token\"} 1.0")
                    .contains("push_publishes_total{condition=\"item-not-found\",outcome=\"refused\","
                            + "provider=\"none\",reason=\"none\"} 1.0")
                    .contains("push_publish_latency_seconds_count{outcome=\"delivered\"} 2")
                    .contains("push_publish_latency_seconds_sum{outcome=\"delivered\"} 0.006")
                    .contains("push_provider_sends_total{outcome=\"rejected\",provider=\"apns\","
                            + "reason=\"invalid_token\"} 1.0")
                    .contains("push_provider_latency_seconds_count{provider=\"apns\"} 1")
                    .contains("push_registration_changes_total{change=\"removed_device_gone\",provider=\"apns\"} 1.0")
                    .contains("push_connection_up{connection=\"xmpp-1\"} 1.0")
                    .contains("push_connection_in_flight{connection=\"xmpp-1\"} 7.0")
                    .as("the JVM's meters too").contains("jvm_memory_used_bytes");
            inFlight.set(3);
            exporter.connectionStateChanged("xmpp-1", false);
            assertThat(exporter.scrape()).as("gauges read the current value")
                    .contains("push_connection_in_flight{connection=\"xmpp-1\"} 3.0")
                    .contains("push_connection_up{connection=\"xmpp-1\"} 0.0");
            assertThat(exporter.contentType()).startsWith("text/plain; version=0.0.4");
        }
    }

    @Test
    void theInFlightGaugeKeepsReadingItsSupplierAfterACollection() {
        try (MetricsExporter exporter = MicrometerMetrics.prometheus()) {
            AtomicInteger inFlight = new AtomicInteger(5);
            IntSupplier supplier = inFlight::get;
            WeakReference<IntSupplier> collected = new WeakReference<>(supplier);
            exporter.connectionAdded("xmpp-1", supplier);
            supplier = null;
            for (int i = 0; i < 10 && collected.get() != null; i++) {
                System.gc();
            }

            assertThat(exporter.scrape()).as("the component passes a method reference made for the call and keeps"
                            + " no other reference to it: the gauge must hold it, or it reads NaN after a collection")
                    .contains("push_connection_in_flight{connection=\"xmpp-1\"} 5.0");
        }
    }

    @Test
    void theListenerRecordsIntoAnyRegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PushMetricsListener listener = MicrometerMetrics.listener(registry);
        listener.registrationChanged(RegistrationChange.REGISTERED, "fcm-http-v1");
        listener.registrationChanged(RegistrationChange.REGISTERED, "fcm-http-v1");

        assertThat(registry.get(MicrometerMetrics.REGISTRATION_CHANGES).tag("change", "registered")
                .tag("provider", "fcm-http-v1").counter().count()).isEqualTo(2.0);
    }

    @Test
    void theExporterIsAServiceOfThisModule() {
        List<MetricsExporter> found = ServiceLoader.load(MetricsExporter.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        try {
            assertThat(found).extracting(MetricsExporter::id).containsExactly("micrometer-prometheus");
        } finally {
            found.forEach(MetricsExporter::close);
        }
    }
}
