package io.pushcomponent.metrics.micrometer.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.metrics.PublishOutcome;
import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.api.metrics.RegistrationChange;
import io.pushcomponent.api.metrics.SendOutcome;
import io.pushcomponent.metrics.micrometer.MicrometerMetrics;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Records the listener's events in Micrometer meters, found again through maps keyed by the label values so that
 * an event costs a hash look-up and an increment, not a registry search. Thread-safe; never blocks once a meter
 * exists (creating one takes the registry's lock once).
 */
public final class MeterListener implements PushMetricsListener {
    private static final String NONE = MicrometerMetrics.NONE;

    private final MeterRegistry registry;
    private final Map<PublishKey, Counter> publishes = new ConcurrentHashMap<>();
    /** By {@link PublishOutcome#ordinal()}: created with the listener, so recording never looks anything up. */
    private final Timer[] publishLatency;
    private final Map<SendKey, Counter> sends = new ConcurrentHashMap<>();
    private final Map<String, Timer> sendLatency = new ConcurrentHashMap<>();
    private final Map<ChangeKey, Counter> changes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> connectionsUp = new ConcurrentHashMap<>();

    private record PublishKey(PublishOutcome outcome, String condition, String provider, RejectionReason reason) {
    }

    private record SendKey(String provider, SendOutcome outcome, RejectionReason reason) {
    }

    private record ChangeKey(RegistrationChange change, String provider) {
    }

    /** @param registry where the meters go */
    public MeterListener(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.publishLatency = new Timer[PublishOutcome.values().length];
        for (PublishOutcome o : PublishOutcome.values()) {
            publishLatency[o.ordinal()] = Timer.builder(MicrometerMetrics.PUBLISH_LATENCY)
                    .description("From receiving a publish to answering it")
                    .tag("outcome", label(o))
                    .register(registry);
        }
    }

    @Override
    public void publishAnswered(PublishOutcome outcome, String condition, String providerId,
                                RejectionReason rejection, long latencyNanos) {
        publishes.computeIfAbsent(new PublishKey(outcome, condition, providerId, rejection), k ->
                Counter.builder(MicrometerMetrics.PUBLISHES)
                        .description("Publishes answered, by outcome, the XMPP condition answered, the provider and "
                                + "its rejection reason")
                        .tag("outcome", label(k.outcome()))
                        .tag("condition", k.condition() == null ? NONE : k.condition())
                        .tag("provider", k.provider() == null ? NONE : k.provider())
                        .tag("reason", label(k.reason()))
                        .register(registry)).increment();
        publishLatency[outcome.ordinal()].record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void providerSent(String providerId, SendOutcome outcome, RejectionReason rejection, long latencyNanos) {
        sends.computeIfAbsent(new SendKey(providerId, outcome, rejection), k ->
                Counter.builder(MicrometerMetrics.PROVIDER_SENDS)
                        .description("Pushes passed to a provider, by what it made of them")
                        .tag("provider", k.provider())
                        .tag("outcome", label(k.outcome()))
                        .tag("reason", label(k.reason()))
                        .register(registry)).increment();
        sendLatency.computeIfAbsent(providerId, p -> Timer.builder(MicrometerMetrics.PROVIDER_LATENCY)
                .description("From calling a provider to its answer")
                .tag("provider", p)
                .register(registry)).record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void registrationChanged(RegistrationChange change, String providerId) {
        changes.computeIfAbsent(new ChangeKey(change, providerId), k ->
                Counter.builder(MicrometerMetrics.REGISTRATION_CHANGES)
                        .description("Registrations added and removed, by change and provider")
                        .tag("change", label(k.change()))
                        .tag("provider", k.provider() == null ? NONE : k.provider())
                        .register(registry)).increment();
    }

    @Override
    public void connectionStateChanged(String connection, boolean up) {
        up(connection).set(up ? 1 : 0);
    }

    @Override
    public void connectionAdded(String connection, IntSupplier inFlight) {
        up(connection);
        Gauge.builder(MicrometerMetrics.CONNECTION_IN_FLIGHT, inFlight, IntSupplier::getAsInt)
                .description("Stanzas of the connection read and not yet answered")
                .tag("connection", connection)
                .register(registry);
    }

    private AtomicInteger up(String connection) {
        return connectionsUp.computeIfAbsent(connection, c -> {
            AtomicInteger state = new AtomicInteger();
            Gauge.builder(MicrometerMetrics.CONNECTION_UP, state, AtomicInteger::get)
                    .description("1 while the connection to the XMPP server is authenticated, else 0")
                    .tag("connection", c)
                    .register(registry);
            return state;
        });
    }

    private static String label(Enum<?> value) {
        return value == null ? NONE : value.name().toLowerCase(Locale.ROOT);
    }
}
