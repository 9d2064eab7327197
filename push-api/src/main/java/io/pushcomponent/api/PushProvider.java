package io.pushcomponent.api;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Delivers pushes to one push service (FCM, APNs, ...).
 *
 * <p><b>Thread-safety:</b> implementations are thread-safe; {@link #send} is called concurrently from many threads.
 * <p><b>Blocking:</b> {@link #send} never blocks the caller; it returns at once and completes the stage later.
 * <p><b>Lifecycle:</b> created by {@link PushProviderFactory#create}, used until {@link #close()}, which releases
 * connections and threads; sends after close complete exceptionally.
 */
public interface PushProvider extends AutoCloseable {

    /**
     * Sends one push.
     *
     * @param request the push
     * @return a stage that completes with {@link DeliveryResult.Delivered} or {@link DeliveryResult.Rejected}, or
     * exceptionally when the provider could not be reached or did not answer in time
     */
    CompletionStage<DeliveryResult> send(PushRequest request);

    /**
     * Whether this provider delivers an end-to-end encrypted payload ({@link PushRequest#encrypted()}) to the device
     * unread. Dialects advertise their encryption features by it. {@code false} by default.
     */
    default boolean acceptsEncryptedPayload() {
        return false;
    }

    /**
     * Whether each device is reached through an endpoint of its own, run by many independent services (Web Push:
     * the service a browser's subscription names), so that a transport failure or a {@code Retry-After} tells about
     * that one service, not about the provider. The app server's circuit breaker and provider-wide pause then leave
     * such a provider alone, and the provider keeps a failing service from costing the others itself. {@code false}
     * by default: one service (FCM, APNs) behind every device.
     */
    default boolean isolatesEndpoints() {
        return false;
    }

    /** The largest notification payload in bytes this provider takes, or 0 when it does not say. */
    default int maxPayloadSize() {
        return 0;
    }

    /**
     * Checks a device's tokens against this provider's token format before the device is registered, so that a
     * token this provider can never deliver to (wrong characters, wrong length) is refused at {@code register-device}
     * instead of being stored. The app server answers a refusal with {@code modify/not-acceptable} and the text.
     * Accepts everything by default.
     *
     * <p>Cheap, pure and thread-safe: no I/O (formats only; whether a token is live is only known when a push is
     * sent).
     *
     * @param device the device about to be registered: its {@link Device#token()} and, when present,
     *               {@link Device#secondToken()}
     * @return empty when both tokens are acceptable; otherwise why not, for the client, naming the field
     * ({@code device-token} or {@code device-second-token}) and never containing the token itself
     */
    default Optional<String> checkTokens(Device device) {
        return Optional.empty();
    }

    /**
     * Checks that the push service can be reached and accepts this provider's credentials, without delivering
     * anything to anybody: FCM fetches an OAuth access token, APNs opens a connection per app and environment. An
     * operator's {@code --check-config --online} calls it once per provider, before the component runs.
     *
     * <p>Never blocks the caller. The default has nothing to check and completes at once.
     *
     * @return a stage completing with a short description of what was checked, or exceptionally with why the service
     * cannot be used, in words an operator can act on and never holding a credential
     */
    default CompletionStage<String> checkOnline() {
        return CompletableFuture.completedFuture("nothing to check online");
    }

    /** Releases connections and threads. Idempotent. */
    @Override
    void close();
}
