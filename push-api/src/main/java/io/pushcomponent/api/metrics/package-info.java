/**
 * Observation without a metrics library: {@link io.pushcomponent.api.metrics.PushMetricsListener}, which push-core
 * and push-component call for publishes, provider sends, registrations and connections, and
 * {@link io.pushcomponent.api.metrics.MetricsExporter}, a listener a host can serve (push-metrics-micrometer).
 */
package io.pushcomponent.api.metrics;
