package io.pushcomponent.api;

import java.util.Set;
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
     * Extra features this provider advertises in the {@code register-device} result form (e.g.
     * {@code tigase:push:encrypt:0}). Empty by default.
     */
    default Set<String> features() {
        return Set.of();
    }

    /** The largest notification payload in bytes this provider takes, or 0 when it does not say. */
    default int maxPayloadSize() {
        return 0;
    }

    /** Releases connections and threads. Idempotent. */
    @Override
    void close();
}
