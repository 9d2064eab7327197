package io.pushcomponent.metrics.micrometer.internal;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.metrics.MetricsExporter;
import io.pushcomponent.api.metrics.PublishOutcome;
import io.pushcomponent.api.metrics.RegistrationChange;
import io.pushcomponent.api.metrics.SendOutcome;
import java.util.function.IntSupplier;

/**
 * A Prometheus registry with the push meters ({@link MeterListener}) and the JVM's; {@link #scrape()} renders it in
 * Prometheus' text format 0.0.4. The {@link MetricsExporter} service of this module. Thread-safe.
 */
public final class PrometheusExporter implements MetricsExporter {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MeterListener listener = new MeterListener(registry);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** A fresh, empty registry (plus the JVM's meters). */
    public PrometheusExporter() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    @Override
    public String id() {
        return "micrometer-prometheus";
    }

    @Override
    public String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    @Override
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void publishAnswered(PublishOutcome outcome, String condition, String providerId,
                                RejectionReason rejection, long latencyNanos) {
        listener.publishAnswered(outcome, condition, providerId, rejection, latencyNanos);
    }

    @Override
    public void providerSent(String providerId, SendOutcome outcome, RejectionReason rejection, long latencyNanos) {
        listener.providerSent(providerId, outcome, rejection, latencyNanos);
    }

    @Override
    public void registrationChanged(RegistrationChange change, String providerId) {
        listener.registrationChanged(change, providerId);
    }

    @Override
    public void connectionStateChanged(String connection, boolean up) {
        listener.connectionStateChanged(connection, up);
    }

    @Override
    public void connectionAdded(String connection, IntSupplier inFlight) {
        listener.connectionAdded(connection, inFlight);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    @Override
    public String toString() {
        return "PrometheusExporter[" + registry.getMeters().size() + " meters]";
    }
}
