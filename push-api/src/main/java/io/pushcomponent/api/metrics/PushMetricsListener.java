package io.pushcomponent.api.metrics;

import io.pushcomponent.api.RejectionReason;
import java.util.function.IntSupplier;

/**
 * Told what the push service does, for metrics: publishes answered, provider sends, registrations, connections and
 * their queues. Every method has a no-op default, so an implementation overrides what it records; {@link #NONE}
 * records nothing.
 *
 * <p><b>Threads:</b> called on the thread where the event happens (a connection's reader, a provider's callback
 * thread, the store executor), often many at once: an implementation is thread-safe and returns at once. It must
 * never block, do I/O or throw; a listener that throws is a bug of the listener (the caller does not catch).
 *
 * <p><b>Labels:</b> every argument is from a small set (enums, provider ids of the configured providers, XMPP
 * conditions, connection names); nothing names a device token, a node or a JID, so all of them may become metric
 * labels.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
public interface PushMetricsListener {
    /** Records nothing. */
    PushMetricsListener NONE = new PushMetricsListener() {
        @Override
        public String toString() {
            return "PushMetricsListener.NONE";
        }
    };

    /**
     * A publish (an XMPP server's push request, or a dialect's delivery) was answered.
     *
     * @param outcome      what became of it
     * @param condition    the RFC 6120 defined condition of the error we answered (e.g. {@code item-not-found}),
     *                     or {@code null} for a result
     * @param providerId   the canonical id of the registration's provider, or {@code null} when no registration
     *                     was found (or the publish was refused before looking)
     * @param rejection    the provider's rejection reason when it refused the push (or its breaker answered for it),
     *                     else {@code null}
     * @param latencyNanos from receiving the publish to answering it
     */
    default void publishAnswered(PublishOutcome outcome, String condition, String providerId,
                                 RejectionReason rejection, long latencyNanos) {
    }

    /**
     * A provider was called with a push and answered, failed or did not answer in time. Publishes answered without
     * calling the provider (its circuit breaker open, a {@code Retry-After} pause) are not sends.
     *
     * @param providerId   the provider's canonical id
     * @param outcome      what the provider made of it
     * @param rejection    the reason for {@link SendOutcome#REJECTED}, else {@code null}
     * @param latencyNanos from the call to the answer
     */
    default void providerSent(String providerId, SendOutcome outcome, RejectionReason rejection, long latencyNanos) {
    }

    /**
     * A registration was added or removed.
     *
     * @param change     what happened
     * @param providerId the registration's provider
     */
    default void registrationChanged(RegistrationChange change, String providerId) {
    }

    /**
     * A connection to the XMPP server went up (authenticated) or down.
     *
     * @param connection the connection's name, e.g. {@code xmpp-1}
     * @param up         {@code true} when it is authenticated now
     */
    default void connectionStateChanged(String connection, boolean up) {
    }

    /**
     * A connection exists; {@code inFlight} tells at any time how many of its stanzas are read and not yet answered
     * (its queue depth). Called once per connection, when it is created; {@code inFlight} is cheap and never
     * blocks.
     *
     * @param connection the connection's name, e.g. {@code xmpp-1}
     * @param inFlight   the stanzas read and not yet answered, now
     */
    default void connectionAdded(String connection, IntSupplier inFlight) {
    }
}
