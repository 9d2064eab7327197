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
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;

/**
 * Records the listener's events in Micrometer meters resolved once per combination of label values and kept in
 * slots: per provider (a map keyed by the provider id, whose hash the string caches), then an array indexed by the
 * enums' ordinals (and, for an error answer, a map by condition). An event that occurred before costs those reads,
 * the counter's increment and the timer's record: no allocation, no lock, no registry search. Thread-safe; the first
 * occurrence of a combination registers its meter (the registry's lock, once).
 */
public final class MeterListener implements PushMetricsListener {
    private static final String NONE = MicrometerMetrics.NONE;
    private static final PublishOutcome[] OUTCOMES = PublishOutcome.values();
    private static final SendOutcome[] SEND_OUTCOMES = SendOutcome.values();
    private static final RejectionReason[] REASONS = RejectionReason.values();
    private static final RegistrationChange[] CHANGES = RegistrationChange.values();
    /** Slots per outcome: no reason, then one per {@link RejectionReason}. */
    private static final int REASON_SLOTS = REASONS.length + 1;

    private final MeterRegistry registry;
    /** By {@link PublishOutcome#ordinal()}: created with the listener. */
    private final Timer[] publishLatency;
    private final ConcurrentHashMap<String, ProviderMeters> providers = new ConcurrentHashMap<>();
    /** For publishes answered before a registration was found. */
    private final ProviderMeters noProvider;
    private final ConcurrentHashMap<String, AtomicInteger> connectionsUp = new ConcurrentHashMap<>();

    /** @param registry where the meters go */
    public MeterListener(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.publishLatency = new Timer[OUTCOMES.length];
        for (PublishOutcome o : OUTCOMES) {
            publishLatency[o.ordinal()] = Timer.builder(MicrometerMetrics.PUBLISH_LATENCY)
                    .description("From receiving a publish to answering it")
                    .tag("outcome", label(o))
                    .register(registry);
        }
        this.noProvider = new ProviderMeters(null);
    }

    @Override
    public void publishAnswered(PublishOutcome outcome, String condition, String providerId,
                                RejectionReason rejection, long latencyNanos) {
        ProviderMeters meters = meters(providerId);
        AtomicReferenceArray<Counter> slots = condition == null ? meters.results : meters.errors(condition);
        int slot = outcome.ordinal() * REASON_SLOTS + reasonSlot(rejection);
        Counter counter = slots.get(slot);
        if (counter == null) {
            counter = meters.publishes(slots, slot, outcome, condition, rejection);
        }
        counter.increment();
        publishLatency[outcome.ordinal()].record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void providerSent(String providerId, SendOutcome outcome, RejectionReason rejection, long latencyNanos) {
        ProviderMeters meters = meters(providerId);
        int slot = outcome.ordinal() * REASON_SLOTS + reasonSlot(rejection);
        Counter counter = meters.sends.get(slot);
        if (counter == null) {
            counter = meters.sends(slot, outcome, rejection);
        }
        counter.increment();
        meters.sendLatency().record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void registrationChanged(RegistrationChange change, String providerId) {
        ProviderMeters meters = meters(providerId);
        Counter counter = meters.changes.get(change.ordinal());
        if (counter == null) {
            counter = meters.changes(change);
        }
        counter.increment();
    }

    @Override
    public void connectionStateChanged(String connection, boolean up) {
        up(connection).set(up ? 1 : 0);
    }

    @Override
    public void connectionAdded(String connection, IntSupplier inFlight) {
        up(connection);
        // held strongly: a gauge holds its object weakly by default, and the caller's supplier (a method reference
        // made for this call) is referenced nowhere else, so after a collection the gauge would read NaN
        Gauge.builder(MicrometerMetrics.CONNECTION_IN_FLIGHT, inFlight, IntSupplier::getAsInt)
                .description("Stanzas of the connection read and not yet answered")
                .tag("connection", connection)
                .strongReference(true)
                .register(registry);
    }

    private ProviderMeters meters(String providerId) {
        if (providerId == null) {
            return noProvider;
        }
        ProviderMeters meters = providers.get(providerId);
        return meters != null ? meters : providers.computeIfAbsent(providerId, ProviderMeters::new);
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

    private static int reasonSlot(RejectionReason reason) {
        return reason == null ? 0 : reason.ordinal() + 1;
    }

    private static String label(Enum<?> value) {
        return value == null ? NONE : value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The meters of one provider (or of none), each registered the first time its label values occur and then
     * kept in its slot. Two threads meeting an empty slot at once both register; the registry hands both the same
     * meter.
     */
    private final class ProviderMeters {
        private final String label;
        /** Publishes answered with a result (no condition): by outcome and reason. */
        final AtomicReferenceArray<Counter> results = new AtomicReferenceArray<>(OUTCOMES.length * REASON_SLOTS);
        /** Publishes answered with an error: by condition, then by outcome and reason. */
        private final ConcurrentHashMap<String, AtomicReferenceArray<Counter>> errors = new ConcurrentHashMap<>();
        /** Sends: by outcome and reason. */
        final AtomicReferenceArray<Counter> sends = new AtomicReferenceArray<>(SEND_OUTCOMES.length * REASON_SLOTS);
        /** Registration changes: by change. */
        final AtomicReferenceArray<Counter> changes = new AtomicReferenceArray<>(CHANGES.length);
        private volatile Timer sendLatency;

        ProviderMeters(String providerId) {
            this.label = providerId == null ? NONE : providerId;
        }

        AtomicReferenceArray<Counter> errors(String condition) {
            AtomicReferenceArray<Counter> slots = errors.get(condition);
            return slots != null ? slots : errors.computeIfAbsent(condition,
                    c -> new AtomicReferenceArray<>(OUTCOMES.length * REASON_SLOTS));
        }

        Counter publishes(AtomicReferenceArray<Counter> slots, int slot, PublishOutcome outcome, String condition,
                          RejectionReason reason) {
            Counter counter = Counter.builder(MicrometerMetrics.PUBLISHES)
                    .description("Publishes answered, by outcome, the XMPP condition answered, the provider and "
                            + "its rejection reason")
                    .tag("outcome", label(outcome))
                    .tag("condition", condition == null ? NONE : condition)
                    .tag("provider", label)
                    .tag("reason", label(reason))
                    .register(registry);
            slots.set(slot, counter);
            return counter;
        }

        Counter sends(int slot, SendOutcome outcome, RejectionReason reason) {
            Counter counter = Counter.builder(MicrometerMetrics.PROVIDER_SENDS)
                    .description("Pushes passed to a provider, by what it made of them")
                    .tag("provider", label)
                    .tag("outcome", label(outcome))
                    .tag("reason", label(reason))
                    .register(registry);
            sends.set(slot, counter);
            return counter;
        }

        Timer sendLatency() {
            Timer timer = sendLatency;
            if (timer == null) {
                timer = Timer.builder(MicrometerMetrics.PROVIDER_LATENCY)
                        .description("From calling a provider to its answer")
                        .tag("provider", label)
                        .register(registry);
                sendLatency = timer;
            }
            return timer;
        }

        Counter changes(RegistrationChange change) {
            Counter counter = Counter.builder(MicrometerMetrics.REGISTRATION_CHANGES)
                    .description("Registrations added and removed, by change and provider")
                    .tag("change", label(change))
                    .tag("provider", label)
                    .register(registry);
            changes.set(change.ordinal(), counter);
            return counter;
        }
    }
}
