package io.pushcomponent.provider.apns;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientMetricsListener;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether one pushy client can reach APNs, from pushy's connection events, so that sends fail at once while it cannot.
 *
 * <p>After a failed connection attempt pushy waits before the next one (1 s, doubling up to 60 s) and queues the sends
 * that need a connection behind it: without this, every push during an outage would wait up to a minute. So while
 * the last attempt failed and no connection is open, one send at a time (the <em>probe</em>) goes to pushy and makes
 * it try again (its answer does not wait for pushy's delay: see {@code ApnsPushProvider}); the others fail at once.
 * The first connection opened ends it.
 *
 * <p>Thread-safe and lock-free; pushy calls the listener methods on its event loop.
 */
final class ConnectionHealth implements ApnsClientMetricsListener {

    /** What a send may do. */
    enum Permit {
        /** Go ahead: connections are open, or no attempt has failed. */
        SEND,
        /** Go ahead as the one probe; {@link #probeDone()} when it completes. */
        PROBE,
        /** Fail at once: APNs cannot be reached and a probe is under way. */
        REFUSE
    }

    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean lastAttemptFailed;

    Permit permit() {
        if (!lastAttemptFailed || openConnections.get() > 0) {
            return Permit.SEND;
        }
        return probing.compareAndSet(false, true) ? Permit.PROBE : Permit.REFUSE;
    }

    void probeDone() {
        probing.set(false);
    }

    @Override
    public void handleConnectionAdded(ApnsClient client) {
        openConnections.incrementAndGet();
        lastAttemptFailed = false;
    }

    @Override
    public void handleConnectionRemoved(ApnsClient client) {
        openConnections.decrementAndGet();
    }

    @Override
    public void handleConnectionCreationFailed(ApnsClient client) {
        lastAttemptFailed = true;
    }

    @Override
    public void handleWriteFailure(ApnsClient client, long notificationId) {
    }

    @Override
    public void handleNotificationSent(ApnsClient client, long notificationId) {
    }

    @Override
    public void handleNotificationAccepted(ApnsClient client, long notificationId) {
    }

    @Override
    public void handleNotificationRejected(ApnsClient client, long notificationId) {
    }
}
