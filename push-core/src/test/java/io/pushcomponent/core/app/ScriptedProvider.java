package io.pushcomponent.core.app;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A provider for push-core's own tests (push-test-kit's FakePushProvider depends on push-core): records requests
 * and answers with scripted stages, delivered when nothing is scripted.
 */
final class ScriptedProvider implements PushProvider {
    final List<PushRequest> requests = new CopyOnWriteArrayList<>();
    private final Queue<CompletableFuture<DeliveryResult>> script = new ConcurrentLinkedQueue<>();
    private final boolean encryptedPayload;
    private final int maxPayloadSize;

    ScriptedProvider() {
        this(false, 0);
    }

    ScriptedProvider(boolean encryptedPayload, int maxPayloadSize) {
        this.encryptedPayload = encryptedPayload;
        this.maxPayloadSize = maxPayloadSize;
    }

    /** The next send answers with {@code answer}, whenever the test completes it. */
    ScriptedProvider then(CompletableFuture<DeliveryResult> answer) {
        script.add(answer);
        return this;
    }

    ScriptedProvider thenAnswer(DeliveryResult result) {
        return then(CompletableFuture.completedFuture(result));
    }

    @Override
    public CompletionStage<DeliveryResult> send(PushRequest request) {
        requests.add(request);
        CompletableFuture<DeliveryResult> next = script.poll();
        return next != null ? next : CompletableFuture.completedFuture(new DeliveryResult.Delivered("ok"));
    }

    @Override
    public boolean acceptsEncryptedPayload() {
        return encryptedPayload;
    }

    @Override
    public int maxPayloadSize() {
        return maxPayloadSize;
    }

    @Override
    public void close() {
    }
}
