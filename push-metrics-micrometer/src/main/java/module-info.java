/**
 * Push metrics with Micrometer: {@link io.pushcomponent.metrics.micrometer.MicrometerMetrics#listener} records
 * push-api's {@link io.pushcomponent.api.metrics.PushMetricsListener} events in any Micrometer
 * {@code MeterRegistry}, and a {@link io.pushcomponent.api.metrics.MetricsExporter} (found by
 * {@link java.util.ServiceLoader}) renders them, with the JVM's, in Prometheus' text format for the component's
 * {@code /metrics}. The implementation is in the unexported {@code internal} package.
 *
 * @see <a href="https://prometheus.io/docs/instrumenting/exposition_formats/">Prometheus exposition formats</a>
 */
module io.pushcomponent.metrics.micrometer {
    requires transitive io.pushcomponent.api;
    requires transitive micrometer.core;
    requires micrometer.registry.prometheus;

    exports io.pushcomponent.metrics.micrometer;

    provides io.pushcomponent.api.metrics.MetricsExporter
            with io.pushcomponent.metrics.micrometer.internal.PrometheusExporter;
}
