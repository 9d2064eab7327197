package io.pushcomponent.api.metrics;

/**
 * A metrics backend a host can serve over HTTP: it records what the push service does (it is the
 * {@link PushMetricsListener}) and renders the current values in a text exposition format (e.g. Prometheus' at
 * {@code /metrics}). Found through {@link java.util.ServiceLoader} (push-metrics-micrometer provides one); each
 * instance the loader makes is a fresh, empty backend.
 *
 * <p>Thread-safe. {@link #scrape()} may take a moment (it walks every meter) and is called on an HTTP thread, never
 * on a thread that handles stanzas.
 */
public interface MetricsExporter extends PushMetricsListener, AutoCloseable {
    /** A short id for configuration and logs, e.g. {@code micrometer-prometheus}. */
    String id();

    /** The {@code Content-Type} of {@link #scrape()}. */
    String contentType();

    /** The current values, whole, in the exposition format. */
    String scrape();

    /** Stops recording and releases what the backend holds. Idempotent. */
    @Override
    void close();
}
