package io.pushcomponent.core.app;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.api.metrics.SendOutcome;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider behind its circuit breaker and its provider-wide {@code Retry-After} pause, as
 * {@link CircuitBreakerPolicy} describes them. While the breaker is open or a pause runs, {@link #send} answers at
 * once with {@code Rejected(UNAVAILABLE or QUOTA_EXCEEDED)}, which the publisher turns into
 * {@code wait/resource-constraint}; otherwise it passes the push on and watches the outcome. A provider whose
 * devices each have a service of their own ({@link PushProvider#isolatesEndpoints()}, Web Push) is passed every push
 * and only counted: its failures say nothing about its other devices' services, and it pauses failing ones itself.
 *
 * <p>Thread-safe and lock-free: the bookkeeping runs on whichever thread completes the provider's stage (OkHttp's
 * dispatcher, pushy's event loop) and never blocks it. Nothing is scheduled: a trial is started by the first publish
 * after the open time, and a trial that has not ended after {@code slowAfterNanos} counts as failed when the next
 * publish comes.
 */
final class GuardedProvider implements PushProvider {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedProvider.class);

    private final String providerId;
    private final PushProvider delegate;
    private final CircuitBreakerPolicy policy;
    private final long slowAfterNanos;
    private final LongSupplier nanoClock;
    private final PushMetricsListener metrics;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<Circuit> circuit = new AtomicReference<>(Circuit.CLOSED);
    private final AtomicReference<Pause> pause = new AtomicReference<>();

    private enum Mode { CLOSED, OPEN, HALF_OPEN }

    /**
     * The breaker's state.
     *
     * @param mode       closed, open or half-open
     * @param untilNanos open: when the next trial is due; half-open: when the trial started
     * @param openings   how many times in a row the breaker opened (0 for the first opening)
     */
    private record Circuit(Mode mode, long untilNanos, int openings) {
        static final Circuit CLOSED = new Circuit(Mode.CLOSED, 0, 0);
    }

    /** A provider-wide pause the provider asked for. */
    private record Pause(long untilNanos, RejectionReason reason) {
    }

    /** @param metrics told of every push passed on to the provider, with what it made of it */
    GuardedProvider(String providerId, PushProvider delegate, CircuitBreakerPolicy policy, Duration slowAfter,
                    LongSupplier nanoClock, PushMetricsListener metrics) {
        this.metrics = metrics;
        this.providerId = providerId;
        this.delegate = delegate;
        this.policy = policy;
        this.slowAfterNanos = slowAfter.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public CompletionStage<DeliveryResult> send(PushRequest request) {
        long now = nanoClock.getAsLong();
        Pause p = pause.get();
        if (p != null && now - p.untilNanos() < 0) {
            return answer(p.reason(), "the push service asked to wait (Retry-After); "
                    + millis(p.untilNanos() - now) + " ms left", p.untilNanos() - now);
        }
        Circuit c = circuit.get();
        if (c.mode() == Mode.CLOSED) {
            return forward(request, now, null);
        }
        boolean trialDue = c.mode() == Mode.OPEN ? now - c.untilNanos() >= 0 : now - c.untilNanos() > slowAfterNanos;
        if (trialDue) {
            Circuit trial = new Circuit(Mode.HALF_OPEN, now, c.openings());
            if (circuit.compareAndSet(c, trial)) {
                LOG.debug("push provider {}: trial send after {} transport failures in a row", providerId,
                        failures.get());
                return forward(request, now, trial);
            }
        }
        long left = c.mode() == Mode.OPEN ? Math.max(0, c.untilNanos() - now) : 0;
        return answer(RejectionReason.UNAVAILABLE, "circuit open after " + failures.get()
                + " transport failures in a row; " + (c.mode() == Mode.OPEN ? "next trial in " + millis(left) + " ms"
                : "a trial send is under way"), left);
    }

    /** A snapshot of the breaker and pause. */
    ProviderStatus status() {
        long now = nanoClock.getAsLong();
        Pause p = pause.get();
        int n = failures.get();
        if (p != null && now - p.untilNanos() < 0) {
            return new ProviderStatus(providerId, ProviderStatus.State.PAUSED, n,
                    Duration.ofNanos(p.untilNanos() - now));
        }
        Circuit c = circuit.get();
        return switch (c.mode()) {
            case CLOSED -> new ProviderStatus(providerId, ProviderStatus.State.CLOSED, n, Duration.ZERO);
            case OPEN -> new ProviderStatus(providerId, ProviderStatus.State.OPEN, n,
                    Duration.ofNanos(Math.max(0, c.untilNanos() - now)));
            case HALF_OPEN -> new ProviderStatus(providerId, ProviderStatus.State.HALF_OPEN, n, Duration.ZERO);
        };
    }

    private CompletionStage<DeliveryResult> forward(PushRequest request, long startNanos, Circuit trial) {
        CompletionStage<DeliveryResult> stage;
        try {
            stage = delegate.send(request);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        // the answer goes out after the books are kept: a publish answered after a successful trial finds the
        // breaker closed
        return stage.whenComplete((result, error) -> settle(startNanos, trial, result, error));
    }

    /** Books one outcome: a transport failure, a provider-wide pause, or proof that the provider is reachable. */
    private void settle(long startNanos, Circuit trial, DeliveryResult result, Throwable error) {
        long now = nanoClock.getAsLong();
        if (error != null || now - startNanos > slowAfterNanos) {
            metrics.providerSent(providerId, SendOutcome.FAILED, null, now - startNanos);
        } else if (result instanceof DeliveryResult.Rejected r) {
            metrics.providerSent(providerId, SendOutcome.REJECTED, r.reason(), now - startNanos);
        } else {
            metrics.providerSent(providerId, SendOutcome.DELIVERED, null, now - startNanos);
        }
        if (delegate.isolatesEndpoints()) {
            // each device has a service of its own: one that fails says nothing about the others
            return;
        }
        if (error != null) {
            failed(trial, now, describe(error));
        } else if (now - startNanos > slowAfterNanos) {
            failed(trial, now, "no answer within " + millis(slowAfterNanos) + " ms");
        } else if (result instanceof DeliveryResult.Rejected r && r.retryAfter() != null
                && (r.reason() == RejectionReason.QUOTA_EXCEEDED || r.reason() == RejectionReason.UNAVAILABLE)) {
            paused(now, r);
            reached(trial);
        } else if (result instanceof DeliveryResult.Rejected r && r.reason() == RejectionReason.UNAVAILABLE) {
            failed(trial, now, r.detail());
        } else {
            reached(trial);
        }
    }

    private void failed(Circuit trial, long now, String why) {
        int n = failures.incrementAndGet();
        if (trial != null) {
            Circuit reopened = open(now, trial.openings() + 1);
            if (circuit.compareAndSet(trial, reopened)) {
                LOG.info("push provider {}: the trial send failed ({}); answering wait errors for another {} ms",
                        providerId, why, millis(reopened.untilNanos() - now));
            }
            return;
        }
        Circuit c = circuit.get();
        if (n >= policy.failures() && c.mode() == Mode.CLOSED) {
            Circuit opened = open(now, 0);
            if (circuit.compareAndSet(c, opened)) {
                LOG.warn("push provider {}: {} transport failures in a row (last: {}); publishes to it are answered "
                        + "wait/resource-constraint at once for {} ms, then a trial send tells whether it is back",
                        providerId, n, why, millis(opened.untilNanos() - now));
            }
        }
    }

    private Circuit open(long now, int openings) {
        return new Circuit(Mode.OPEN, now + policy.openTime().delay(openings).toNanos(), openings);
    }

    private void reached(Circuit trial) {
        if (failures.get() != 0) {
            failures.set(0);
        }
        if (trial != null && circuit.compareAndSet(trial, Circuit.CLOSED)) {
            LOG.info("push provider {} is reachable again: publishes to it are sent again", providerId);
        }
    }

    private void paused(long now, DeliveryResult.Rejected rejected) {
        Duration wait = rejected.retryAfter().compareTo(policy.maxPause()) > 0 ? policy.maxPause()
                : rejected.retryAfter();
        Pause next = new Pause(now + wait.toNanos(), rejected.reason());
        while (true) {
            Pause current = pause.get();
            if (current != null && current.untilNanos() - next.untilNanos() >= 0) {
                return;
            }
            if (pause.compareAndSet(current, next)) {
                if (current == null || now - current.untilNanos() >= 0) {
                    LOG.warn("push provider {} asked to wait {} s ({}, Retry-After {} s): publishes to it are answered "
                            + "wait/resource-constraint at once until then", providerId, wait.toSeconds(),
                            rejected.detail(), rejected.retryAfter().toSeconds());
                }
                return;
            }
        }
    }

    private static CompletionStage<DeliveryResult> answer(RejectionReason reason, String detail, long leftNanos) {
        return CompletableFuture.completedFuture(new DeliveryResult.Rejected(reason, detail,
                Duration.ofNanos(leftNanos)));
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static long millis(long nanos) {
        return Math.max(0, nanos) / 1_000_000;
    }

    @Override
    public boolean acceptsEncryptedPayload() {
        return delegate.acceptsEncryptedPayload();
    }

    @Override
    public int maxPayloadSize() {
        return delegate.maxPayloadSize();
    }

    @Override
    public boolean isolatesEndpoints() {
        return delegate.isolatesEndpoints();
    }

    @Override
    public Optional<String> checkTokens(Device device) {
        return delegate.checkTokens(device);
    }

    /** The provider's own check, past the breaker: a check must reach the service even while the breaker is open. */
    @Override
    public CompletionStage<String> checkOnline() {
        return delegate.checkOnline();
    }

    /** Closes the provider behind the breaker. */
    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "GuardedProvider[" + providerId + ", " + delegate + "]";
    }
}
