package io.pushcomponent.component.internal;

import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.StanzaCodec;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends replies on the connections of one component to one server. A reply goes out on the connection its stanza
 * came in on; when that stream has dropped by the time the reply is ready, or drops before the reply is written,
 * it goes out on another live connection to the same server (the server routes it by its {@code to} address, so
 * any stream will do). When no connection is up, the reply is lost: lost replies are counted, and logged once when
 * an outage starts losing them and once with their number when a connection is back, never once per stanza.
 *
 * <p><b>Thread-safety:</b> thread-safe; replies are sent from whatever thread completes them, and never block it.
 */
final class ReplyRouter {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyRouter.class);
    /** How many streams a reply may be handed to before it counts as lost (each may break before writing it). */
    private static final int MAX_ATTEMPTS = 4;

    /** A stream a reply can be sent on. */
    interface Route {
        /**
         * Queues {@code reply} on the route's current stream; never blocks.
         *
         * @return {@code false} when the route has no live stream or its queue is full
         */
        boolean offer(Reply reply);
    }

    private final String server;
    private final StanzaCodec codec;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong lostThisOutage = new AtomicLong();
    private final AtomicLong rerouted = new AtomicLong();

    /**
     * @param server the server's address, for log lines
     * @param codec  writes the replies, on the writer thread that sends them
     */
    ReplyRouter(String server, StanzaCodec codec) {
        this.server = Objects.requireNonNull(server, "server");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** Adds a connection to send on. */
    void add(Route route) {
        routes.add(route);
    }

    /** Replies lost so far: no connection could take them. */
    long lost() {
        return lost.get();
    }

    /** Replies sent on another stream than the one their stanza came in on. */
    long rerouted() {
        return rerouted.get();
    }

    /**
     * Sends {@code replies} (written together), preferring {@code origin}; {@code done} runs once they are written
     * or lost.
     */
    void send(List<Stanza> replies, Route origin, Runnable done) {
        Reply reply = new Reply(this, replies, done);
        if (!tryOn(reply, origin)) {
            resend(reply, origin);
        }
    }

    /** A connection's stream is up again: reports what the outage lost, if anything. */
    void connected() {
        long n = lostThisOutage.getAndSet(0);
        if (n > 0) {
            LOG.warn("{} replies to {} were lost while no connection could take them ({} lost since the start)", n,
                    server, lost.get());
        }
    }

    private void resend(Reply reply, Route failed) {
        if (reply.attempts < MAX_ATTEMPTS) {
            for (Route route : routes) {
                if (route != failed && tryOn(reply, route)) {
                    rerouted.incrementAndGet();
                    return;
                }
            }
        }
        lose(reply);
    }

    private static boolean tryOn(Reply reply, Route route) {
        reply.route = route;
        reply.attempts++;
        return route.offer(reply);
    }

    private void lose(Reply reply) {
        lost.incrementAndGet();
        if (lostThisOutage.getAndIncrement() == 0) {
            LOG.warn("replies to {} are being lost: no connection to it can take them (first: <{}/> id {});"
                    + " counting until one can", server, reply.first.elementName(), reply.first.id());
        }
        reply.done.run();
    }

    /** The replies to one stanza, written together, and what to do once they are. */
    static final class Reply implements StanzaWriter.Outgoing {
        private final ReplyRouter router;
        private final List<Stanza> stanzas;
        private final Stanza first;
        private final Runnable done;
        private int attempts;
        private Route route;

        private Reply(ReplyRouter router, List<Stanza> stanzas, Runnable done) {
            this.router = router;
            this.stanzas = stanzas;
            this.first = stanzas.get(0);
            this.done = done;
        }

        @Override
        public String xml() {
            StringBuilder sb = new StringBuilder(256);
            appendTo(sb);
            return sb.toString();
        }

        /**
         * Appends the replies' XML; nothing when one cannot be written (logged). Written again on each stream the
         * reply is offered to, which is the same text.
         */
        @Override
        public void appendTo(StringBuilder out) {
            int start = out.length();
            try {
                for (int i = 0, n = stanzas.size(); i < n; i++) {
                    router.codec.write(stanzas.get(i), out);
                }
            } catch (RuntimeException e) {
                out.setLength(start);
                LOG.error("cannot write the reply <{}/> id {}: {}", first.elementName(), first.id(), e.toString());
            }
        }

        @Override
        public void written() {
            done.run();
        }

        @Override
        public void notWritten() {
            router.resend(this, route);
        }
    }
}
