package io.pushcomponent.core.app;

import java.time.Duration;
import java.util.Objects;

/**
 * What the app server currently makes of one provider, for health checks and operators: whether publishes to it are
 * sent or answered {@code wait} at once. A snapshot; immutable.
 *
 * @param providerId          the provider's canonical id
 * @param state               the circuit breaker's state, or {@link State#PAUSED} during a {@code Retry-After}
 * @param consecutiveFailures transport failures in a row so far
 * @param waitLeft            how long publishes are still answered at once before the next send or trial;
 *                            {@link Duration#ZERO} when they are sent
 * @see CircuitBreakerPolicy
 */
public record ProviderStatus(String providerId, State state, int consecutiveFailures, Duration waitLeft) {

    /** Where the provider stands. */
    public enum State {
        /** Publishes are sent. */
        CLOSED,
        /** Too many transport failures: publishes are answered {@code wait} at once until a trial is due. */
        OPEN,
        /** One trial send is under way; other publishes are answered {@code wait} at once. */
        HALF_OPEN,
        /** The provider asked to wait ({@code Retry-After}): publishes are answered {@code wait} at once. */
        PAUSED
    }

    public ProviderStatus {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(waitLeft, "waitLeft");
    }

    /** {@code true} unless publishes are sent normally ({@link State#CLOSED}). */
    public boolean isOpen() {
        return state != State.CLOSED;
    }
}
