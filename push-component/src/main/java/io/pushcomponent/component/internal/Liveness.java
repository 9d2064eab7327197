package io.pushcomponent.component.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides, tick by tick, whether one stream is alive. Anything read from the server counts as a sign of life. After
 * {@code idle} without one, it asks for an XEP-0199 ping to the server's domain (which Prosody, ejabberd, Openfire
 * and Tigase answer); when nothing at all arrives within {@code timeout} of that ping, the server has stopped
 * answering, though TCP may still be open, and the stream is declared dead. While the server talks but we have
 * written nothing for {@code idle}, it asks for a whitespace keep-alive so that intermediaries keep the connection.
 *
 * <p><b>Thread-safety:</b> {@link #inbound} may be called from any thread; {@link #tick} from one thread at a time.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0199.html">XEP-0199: XMPP Ping</a>
 */
final class Liveness {
    /** What the connection should do now. */
    enum Action {
        /** Nothing. */
        NONE,
        /** Write a whitespace keep-alive. */
        KEEP_ALIVE,
        /** Send a ping to the server's domain. */
        PING,
        /** The server did not answer the ping in time: drop the connection and reconnect. */
        DEAD
    }

    private final long idleNanos;
    private final long timeoutNanos;
    private final AtomicLong lastInbound;
    private long pingSentAt;

    /**
     * @param idleNanos    how long without traffic before a ping or a keep-alive
     * @param timeoutNanos how long a ping may go without any answer
     * @param now          {@code System.nanoTime()} when the stream became ready
     */
    Liveness(long idleNanos, long timeoutNanos, long now) {
        if (idleNanos <= 0 || timeoutNanos <= 0) {
            throw new IllegalArgumentException("idle and timeout must be positive");
        }
        this.idleNanos = idleNanos;
        this.timeoutNanos = timeoutNanos;
        this.lastInbound = new AtomicLong(now);
    }

    /** Records that something arrived from the server at {@code now}. */
    void inbound(long now) {
        lastInbound.set(now);
    }

    /** When something last arrived from the server. */
    long lastInbound() {
        return lastInbound.get();
    }

    /**
     * What to do at {@code now}.
     *
     * @param lastOutbound when we last wrote to the server
     */
    Action tick(long now, long lastOutbound) {
        long in = lastInbound.get();
        if (pingSentAt != 0) {
            if (in - pingSentAt >= 0) {
                pingSentAt = 0;
            } else if (now - pingSentAt >= timeoutNanos) {
                return Action.DEAD;
            } else {
                return Action.NONE;
            }
        }
        if (now - in >= idleNanos) {
            pingSentAt = now;
            return Action.PING;
        }
        if (now - lastOutbound >= idleNanos) {
            return Action.KEEP_ALIVE;
        }
        return Action.NONE;
    }

    /** How long the ping has gone unanswered at {@code now}; 0 when none is outstanding. */
    long pingAgeNanos(long now) {
        return pingSentAt == 0 ? 0 : now - pingSentAt;
    }

    /** Wraps the socket's input so that every read that returns data counts as a sign of life. */
    InputStream watch(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    inbound(System.nanoTime());
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    inbound(System.nanoTime());
                }
                return n;
            }
        };
    }
}
