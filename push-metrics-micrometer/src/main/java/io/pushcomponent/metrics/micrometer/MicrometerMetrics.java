package io.pushcomponent.metrics.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.pushcomponent.api.metrics.MetricsExporter;
import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.metrics.micrometer.internal.MeterListener;
import io.pushcomponent.metrics.micrometer.internal.PrometheusExporter;

/**
 * The push service's metrics in Micrometer meters. Names as Micrometer writes them (Prometheus adds
 * {@code _total} to counters and {@code _seconds} to timers, and writes dots as underscores); every label value is
 * from a small set, never a token, a node or a JID:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>labels</th></tr>
 *   <tr><td>{@value #PUBLISHES}</td><td>counter</td><td>outcome, condition, provider, reason</td></tr>
 *   <tr><td>{@value #PUBLISH_LATENCY}</td><td>timer</td><td>outcome</td></tr>
 *   <tr><td>{@value #PROVIDER_SENDS}</td><td>counter</td><td>provider, outcome, reason</td></tr>
 *   <tr><td>{@value #PROVIDER_LATENCY}</td><td>timer</td><td>provider</td></tr>
 *   <tr><td>{@value #REGISTRATION_CHANGES}</td><td>counter</td><td>change, provider</td></tr>
 *   <tr><td>{@value #CONNECTION_UP}</td><td>gauge</td><td>connection</td></tr>
 *   <tr><td>{@value #CONNECTION_IN_FLIGHT}</td><td>gauge</td><td>connection</td></tr>
 * </table>
 *
 * <p>Label values are lower case; an absent value (a result's condition, a publish without a provider, a send
 * without a rejection) is {@value #NONE}.
 */
public final class MicrometerMetrics {
    /** Counter of publishes answered. */
    public static final String PUBLISHES = "push.publishes";
    /** Timer from receiving a publish to answering it. */
    public static final String PUBLISH_LATENCY = "push.publish.latency";
    /** Counter of pushes passed to a provider and answered. */
    public static final String PROVIDER_SENDS = "push.provider.sends";
    /** Timer from calling a provider to its answer. */
    public static final String PROVIDER_LATENCY = "push.provider.latency";
    /** Counter of registrations added and removed. */
    public static final String REGISTRATION_CHANGES = "push.registration.changes";
    /** Gauge: 1 while the connection to the XMPP server is authenticated, else 0. */
    public static final String CONNECTION_UP = "push.connection.up";
    /** Gauge: the connection's stanzas read and not yet answered. */
    public static final String CONNECTION_IN_FLIGHT = "push.connection.in.flight";
    /** The label value for "nothing". */
    public static final String NONE = "none";

    private MicrometerMetrics() {
    }

    /**
     * A listener recording into {@code registry}; meters are created as their label values first occur (the
     * connection gauges when the connection is added). Thread-safe; never blocks once a meter exists.
     */
    public static PushMetricsListener listener(MeterRegistry registry) {
        return new MeterListener(registry);
    }

    /**
     * A fresh Prometheus registry with the push meters and the JVM's (memory, threads, garbage collection, uptime,
     * processor), rendered by {@link MetricsExporter#scrape()} in Prometheus' text format. What the component's
     * {@code /metrics} serves; {@link java.util.ServiceLoader} finds the same as a {@link MetricsExporter} service.
     */
    public static MetricsExporter prometheus() {
        return new PrometheusExporter();
    }
}
