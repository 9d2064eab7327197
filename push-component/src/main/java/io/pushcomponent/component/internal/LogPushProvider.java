package io.pushcomponent.component.internal;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Redaction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider that delivers by writing one log line per push (shortened token, kind, priority, summary without the
 * message body) and counting it.
 *
 * <p>Thread-safe; {@link #send} never blocks beyond writing the log line. After {@link #close()} sends fail.
 */
final class LogPushProvider implements PushProvider {
    private static final Logger LOG = LoggerFactory.getLogger(LogPushProvider.class);

    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean closed;

    @Override
    public CompletionStage<DeliveryResult> send(PushRequest request) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the log provider is closed"));
        }
        long n = delivered.incrementAndGet();
        if (LOG.isInfoEnabled()) {
            LOG.info("push #{} to {} token={} account={} kind={} priority={} {}", n, request.device().providerId(),
                    Redaction.token(request.device().token()), request.account(), request.kind(),
                    request.priority(), request.summary());
        }
        return CompletableFuture.completedFuture(new DeliveryResult.Delivered("log-" + n));
    }

    /** Pushes delivered so far. */
    long deliveredCount() {
        return delivered.get();
    }

    @Override
    public void close() {
        closed = true;
    }
}
