package io.pushcomponent.component.internal;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A provider whose implementation a configuration reload replaces while the app server keeps using this one
 * object: sends after {@link #replace} go to the new provider, sends already made complete on the old one, which
 * the caller closes once they have had their time.
 *
 * <p>Thread-safe.
 */
public final class ReloadableProvider implements PushProvider {
    private volatile PushProvider current;

    /** Starts with {@code provider}. */
    public ReloadableProvider(PushProvider provider) {
        this.current = Objects.requireNonNull(provider, "provider");
    }

    /**
     * Sends from now on through {@code next}.
     *
     * @return the provider it replaces, still open: the caller closes it once the sends it took are done
     */
    public PushProvider replace(PushProvider next) {
        PushProvider previous = current;
        current = Objects.requireNonNull(next, "next");
        return previous;
    }

    @Override
    public CompletionStage<DeliveryResult> send(PushRequest request) {
        return current.send(request);
    }

    @Override
    public boolean acceptsEncryptedPayload() {
        return current.acceptsEncryptedPayload();
    }

    @Override
    public boolean isolatesEndpoints() {
        return current.isolatesEndpoints();
    }

    @Override
    public int maxPayloadSize() {
        return current.maxPayloadSize();
    }

    @Override
    public Optional<String> checkTokens(Device device) {
        return current.checkTokens(device);
    }

    @Override
    public CompletionStage<String> checkOnline() {
        return current.checkOnline();
    }

    @Override
    public void close() {
        current.close();
    }

    @Override
    public String toString() {
        return current.toString();
    }
}
