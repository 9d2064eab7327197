package io.pushcomponent.core.dialect;

import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * What the app server lends a {@link Dialect}'s commands and handlers: its JID, its store, its providers (each behind
 * its circuit breaker) and its way of answering a delivery.
 *
 * <p><b>Thread-safety:</b> thread-safe. Nothing here blocks except the store, which is called on
 * {@link #executor()}. <b>Lifecycle:</b> valid while the app server is open.
 *
 * @see AppServerDialect#handle
 * @see DialectCommand#execute
 */
public interface AppServerContext {

    /** The push service's JID. */
    String jid();

    /** Where registrations live; its calls may block, so make them on {@link #executor()}. */
    DeviceRegistrationStore store();

    /** Where blocking store calls run. */
    Executor executor();

    /** The canonical id of a provider id or alias clients send, when that provider is configured. */
    Optional<String> canonicalProviderId(String idOrAlias);

    /** The configured provider of a canonical id, behind its circuit breaker. */
    Optional<PushProvider> provider(String canonicalId);

    /**
     * Sends {@code push} to the registration's device and answers {@code request} as a publish is answered: a result
     * when delivered; {@code cancel/item-not-found} after removing the registration when the provider says the token
     * is dead; a {@code wait} error for every transient failure or an open circuit breaker.
     *
     * @return the stanzas to send, the answer to {@code request} first; never completes exceptionally
     */
    CompletionStage<List<Stanza>> deliver(Iq request, DeviceRegistration registration, PushRequest push);

    /**
     * The app server's rules on who may publish, for a notification that carries no registration secret (a protocol
     * that has none, such as a notification sent as a message): the sender must be given, its domain must be among
     * the allowed publishers when they are configured, and no secret must be required.
     *
     * @param from the notification's sender, as the XMPP server stamped it
     * @return the error to answer with when the sender may not publish; empty when it may
     */
    default Optional<StanzaError> refusedPublisher(String from) {
        return Optional.empty();
    }

    /**
     * Tells the app server that a dialect removed {@code node}'s registration from the store, so that it stops
     * delivering to it at once (the node cache forgets it).
     */
    void registrationRemoved(String node);

    /**
     * Where a dialect reports what its commands and handlers change: registrations it adds or removes
     * ({@link PushMetricsListener#registrationChanged}). Deliveries through {@link #deliver} are reported already.
     */
    default PushMetricsListener metrics() {
        return PushMetricsListener.NONE;
    }
}
