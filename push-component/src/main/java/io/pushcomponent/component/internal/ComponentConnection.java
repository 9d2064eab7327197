package io.pushcomponent.component.internal;

import io.pushcomponent.api.metrics.PublishOutcome;
import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.api.RetryPolicy;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.core.xml.XmlLimits;
import io.pushcomponent.core.xml.XmppXml;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.xml.stream.XMLInputFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One XEP-0114 connection of the component to an XMPP server: it connects, opens a {@code jabber:component:accept}
 * stream, authenticates with the handshake (lower-case hex SHA-1 of the stream id followed by the secret), hands
 * every stanza it reads to a {@link StanzaHandler} and writes the replies back in the stream's default namespace.
 *
 * <p>The incoming stream is read by a {@link StreamReader}, which frames each stanza and applies the size and
 * depth caps before parsing. What breaks the stream (restricted XML, input that is not well-formed or not UTF-8, a
 * second stream header, an element that is not a stanza, ...) ends it with the RFC 6120 stream error the reader
 * names, {@code </stream:stream>} and the closed socket, and the connection reconnects. A stanza over a cap is not
 * a broken stream: it is answered with {@code modify/policy-violation} where RFC 6120 §8.3 allows an answer, skipped,
 * and the stream goes on. A stream error from the server is logged with what to check.
 *
 * <p>The connection is built in layers. This class is the lifecycle: it connects, runs the handshake
 * ({@link Handshake}), reads, and when the connection breaks, the server ends the stream or stops answering, it
 * reconnects after a capped exponential back-off with jitter; the back-off restarts only after a successful
 * handshake, so a wrong secret never causes a tight loop. Each stream's socket is written by its own
 * {@link StanzaWriter} alone, so a slow server never blocks the thread that completes a reply (a provider's event
 * loop, a store's thread). {@link Liveness} pings the server on an idle stream and drops a stream whose server
 * stopped answering or reading. {@link InFlightLimit} bounds the stanzas read and not yet answered: at the limit the
 * connection stops reading; requests beyond what may wait for providers and stores are answered at once with
 * {@code wait/resource-constraint}. Replies go out through a {@link ReplyRouter}, on another connection of the
 * component when this one dropped.
 *
 * <p>The reader thread frames; parsing, which is most of a stanza's cost, runs on parser threads (one per
 * processor, shared by the connections of a {@link #group}) while more input waits, so one connection can use every
 * core. A stanza framed when nothing else waits to be read (the server sends one at a time, as at a few thousand
 * per second) is parsed and handled on the reader thread itself: the hand-off to a parser thread, and that
 * thread's wake-up, would only add to its latency; the replies that complete meanwhile are written on the reader
 * thread too when the writer thread is idle ({@link StanzaWriter#writeHeld()}). Stanzas are therefore handled
 * concurrently, as their replies always completed: two that arrive within the same instant may be handled in either
 * order.
 *
 * <p><b>Lifecycle:</b> {@link #start()} once; {@link #close()} waits (up to the shutdown timeout) until every
 * stanza being handled has been answered, then closes the stream and stops. <b>Thread-safety:</b> thread-safe; one
 * reader thread and one writer thread per connection, and one parser thread per processor.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0114.html">XEP-0114: Jabber Component Protocol</a>
 */
public final class ComponentConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ComponentConnection.class);
    private static final long NO_ID_GRACE_MILLIS = 1000;
    private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long PAUSE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The stream error a server answers a second connection for one component with (Prosody). */
    private static final String CONFLICT = "conflict";

    /**
     * How a connection connects.
     *
     * @param componentJid      the component's domain
     * @param host              the server's host
     * @param port              the server's component port
     * @param secret            the shared secret; never logged
     * @param keepAlive         how long a stream may be idle before a ping (no traffic from the server) or a
     *                          whitespace keep-alive (none to it)
     * @param reconnectMinDelay the first reconnect delay
     * @param reconnectMaxDelay the cap of the reconnect delay
     * @param connectTimeout    timeout of the TCP connect and of the handshake
     * @param shutdownTimeout   how long {@link #close()} waits for stanzas in flight
     * @param limits            stanza size and depth limits
     * @param pingTimeout       how long a ping may go without any answer before the stream is dropped; also how
     *                          long queued replies may wait for the server to read before it is
     * @param maxInFlight       the most stanzas read and not yet answered
     * @param transport         plain TCP or direct TLS to the server
     * @param standbyRetry      how often a standby connection (the server has another connection for this
     *                          component, which Prosody answers with {@code <conflict/>}) tries to take over
     */
    public record Settings(String componentJid, String host, int port, String secret, Duration keepAlive,
                           Duration reconnectMinDelay, Duration reconnectMaxDelay, Duration connectTimeout,
                           Duration shutdownTimeout, XmlLimits limits, Duration pingTimeout, int maxInFlight,
                           ComponentTransport transport, Duration standbyRetry) {
        public Settings {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(standbyRetry, "standbyRetry");
            if (standbyRetry.isNegative() || standbyRetry.isZero()) {
                throw new IllegalArgumentException("standbyRetry must be positive, was " + standbyRetry);
            }
            Objects.requireNonNull(componentJid, "componentJid");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(pingTimeout, "pingTimeout");
            if (reconnectMinDelay.isNegative() || reconnectMinDelay.isZero()
                    || reconnectMaxDelay.compareTo(reconnectMinDelay) < 0) {
                throw new IllegalArgumentException("reconnecting needs 0 < reconnectMinDelay <= reconnectMaxDelay, was "
                        + reconnectMinDelay + " and " + reconnectMaxDelay);
            }
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
            }
        }

        @Override
        public String toString() {
            return "Settings[componentJid=" + componentJid + ", server=" + host + ":" + port + ", secret=***"
                    + (transport.encrypted() ? ", TLS" : "") + "]";
        }
    }

    private final String name;
    private final Settings settings;
    private final StanzaHandler handler;
    private final StanzaCodec codec;
    private final ScheduledExecutorService timer;
    private final ReplyRouter router;
    private final ReplyRouter.Route route = this::offer;
    private final RetryPolicy reconnect;
    private final XMLInputFactory inputFactory;
    private final InFlightLimit limit;
    private final String serverDomain;
    private final AtomicLong pings = new AtomicLong();
    private final AtomicLong shed = new AtomicLong();
    private final AtomicBoolean shedding = new AtomicBoolean();
    private final Object monitor = new Object();
    private final Thread thread;
    private final ParserPool parsers;
    private final PushMetricsListener metrics;
    private final ParseJobs jobs = new ParseJobs();
    /** Releases a stanza's in-flight slot once its replies are written or lost; one for every reply. */
    private final Runnable release;
    private volatile Session session;
    private volatile boolean closing;
    /** Since when the server has been answering that another connection serves this component; 0 when not. */
    private volatile long standbySince;
    private long refusedSinceLog;
    private long answeredSinceLog;
    private long lastRefusalLog = System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS;

    /**
     * A connection that sends its replies on its own streams only, not yet started.
     *
     * @param name    a short name for logs and the thread, e.g. {@code xmpp-1}
     * @param timer   runs the liveness checks; owned by the caller
     */
    public ComponentConnection(String name, Settings settings, StanzaHandler handler, StanzaCodec codec,
                               ScheduledExecutorService timer) {
        this(name, settings, handler, codec, timer,
                new ReplyRouter(settings.host() + ":" + settings.port(), codec), new ParserPool(name + "-parse"),
                PushMetricsListener.NONE);
    }

    /**
     * A connection, not yet started, that shares {@code router} with the other connections to the same server.
     *
     * @param name    a short name for logs and the thread, e.g. {@code xmpp-1}
     * @param timer   runs the liveness checks; owned by the caller
     * @param router  sends the replies; this connection adds itself to it
     * @param parsers parses the stanzas it frames
     * @param metrics told of the connection, its state and the publishes it refuses when overloaded
     */
    ComponentConnection(String name, Settings settings, StanzaHandler handler, StanzaCodec codec,
                        ScheduledExecutorService timer, ReplyRouter router, ParserPool parsers,
                        PushMetricsListener metrics) {
        this.name = Objects.requireNonNull(name, "name");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.router = Objects.requireNonNull(router, "router");
        this.reconnect = RetryPolicy.unlimited(settings.reconnectMinDelay(), settings.reconnectMaxDelay());
        this.inputFactory = XmppXml.inputFactory(settings.limits());
        this.limit = InFlightLimit.of(settings.maxInFlight());
        this.release = limit::release;
        this.serverDomain = Handshake.serverDomain(settings.componentJid());
        this.thread = new Thread(this::run, "push-" + name);
        this.parsers = parsers.use();
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        router.add(route);
        metrics.connectionAdded(name, limit::inFlight);
    }

    /**
     * Connections to one server that share their streams for replies (a reply whose stream dropped goes out on
     * another of them) and their parser threads.
     *
     * @param names names of the connections, e.g. {@code xmpp-1}, {@code xmpp-2}
     * @param timer runs the liveness checks; owned by the caller
     */
    public static List<ComponentConnection> group(List<String> names, Settings settings, StanzaHandler handler,
                                                  StanzaCodec codec, ScheduledExecutorService timer) {
        return group(names, settings, handler, codec, timer, PushMetricsListener.NONE);
    }

    /**
     * Like {@link #group(List, Settings, StanzaHandler, StanzaCodec, ScheduledExecutorService)}, telling
     * {@code metrics} of each connection ({@link PushMetricsListener#connectionAdded}), its state, and the
     * publishes it answers {@code wait/resource-constraint} at once when overloaded.
     */
    public static List<ComponentConnection> group(List<String> names, Settings settings, StanzaHandler handler,
                                                  StanzaCodec codec, ScheduledExecutorService timer,
                                                  PushMetricsListener metrics) {
        ReplyRouter router = new ReplyRouter(settings.host() + ":" + settings.port(), codec);
        ParserPool parsers = new ParserPool("parse");
        return names.stream().map(n -> new ComponentConnection(n, settings, handler, codec, timer, router, parsers,
                metrics)).toList();
    }

    /** Starts connecting, on the connection's own thread. */
    public void start() {
        thread.start();
    }

    /** {@code true} while the stream is authenticated. */
    public boolean isConnected() {
        Session s = session;
        return s != null && s.ready && s.writer.isOpen();
    }

    /**
     * Waits until the stream is authenticated.
     *
     * @return {@code true} when connected within {@code timeout}
     */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            long left;
            while (!isConnected() && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
        }
        return isConnected();
    }

    /**
     * {@code true} while this connection stands by: the server has another connection for this component and
     * refuses a second one ({@code <conflict/>}, as Prosody does), so this one tries again every
     * {@link Settings#standbyRetry()} and takes over once the other is gone.
     */
    public boolean isStandby() {
        return standbySince != 0;
    }

    /** Stanzas read and not yet answered. */
    public int inFlight() {
        return limit.inFlight();
    }

    /** Entries queued for the current stream's writer; 0 when there is no stream. */
    int queueDepth() {
        Session s = session;
        return s == null ? 0 : s.writer.depth();
    }

    /** The in-flight limit of this connection. */
    InFlightLimit limit() {
        return limit;
    }

    /**
     * Sends a stanza of the component's own (a request, not an answer) on this connection's stream or, when that is
     * down, on another connection of its group; when none is up it is lost and counted as a lost reply. Never blocks.
     */
    public void send(Stanza stanza) {
        router.send(List.of(Objects.requireNonNull(stanza, "stanza")), route, () -> { });
    }

    /** The router its replies go through. */
    ReplyRouter router() {
        return router;
    }

    /** Requests answered at once with {@code wait/resource-constraint} because too many were waiting. */
    long shed() {
        return shed.get();
    }

    /**
     * Stops reconnecting, waits up to the shutdown timeout until every stanza in flight is answered, closes the
     * stream and waits for the reader thread to end. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        synchronized (monitor) {
            monitor.notifyAll();
        }
        try {
            if (!limit.awaitNone(settings.shutdownTimeout().toNanos())) {
                LOG.warn("{}: {} stanzas still unanswered after {}; closing anyway", name, limit.inFlight(),
                        settings.shutdownTimeout());
            }
            Session s = session;
            if (s != null) {
                s.writer.finish();
                if (!s.writer.awaitFinished(Math.max(0, deadline - System.nanoTime()) + CLOSE_GRACE_NANOS)) {
                    s.writer.abort();
                }
            }
            thread.join(TimeUnit.NANOSECONDS.toMillis(CLOSE_GRACE_NANOS));
            if (thread.isAlive() && s != null) {
                s.writer.abort();
                thread.join(TimeUnit.NANOSECONDS.toMillis(CLOSE_GRACE_NANOS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            parsers.release();
        }
    }

    private void run() {
        int attempt = 0;
        while (!closing) {
            session = null;
            try {
                serve(connect());
            } catch (StreamErrorException e) {
                Hint hint = hint(e.condition());
                if (CONFLICT.equals(e.condition())) {
                    standBy(e, hint);
                } else if (hint.configuration()) {
                    LOG.error("{}: {} ended the stream: {}; {}", name, server(), e.getMessage(), hint.text());
                } else {
                    LOG.warn("{}: {} ended the stream: {}; {}", name, server(), e.getMessage(), hint.text());
                }
            } catch (IOException e) {
                standbySince = 0;
                Session s = session;
                if (s != null && s.dropped != null) {
                    LOG.warn("{}: dropped the connection to {}: {}", name, server(), s.dropped);
                } else if (!closing) {
                    IOException cause = s == null ? null : s.writer.failure();
                    LOG.warn("{}: connection to {} failed: {}", name, server(), describe(cause != null ? cause : e));
                }
            }
            Session s = session;
            if (s != null) {
                boolean wasUp = s.ready;
                if (wasUp) {
                    attempt = 0;
                }
                s.end();
                if (wasUp) {
                    metrics.connectionStateChanged(name, false);
                }
            }
            if (closing) {
                break;
            }
            if (isStandby()) {
                attempt = 0;
                waitUnlessClosing(settings.standbyRetry());
                continue;
            }
            Duration delay = reconnect.delay(attempt++);
            LOG.info("{}: reconnecting to {} in {} ms", name, server(), delay.toMillis());
            waitUnlessClosing(delay);
        }
        LOG.info("{}: stopped", name);
    }

    /**
     * The server refused this connection because another one serves the component (Prosody accepts one connection
     * per component): this connection is a standby. Logged once when it starts standing by, not per attempt; it
     * tries again every {@link Settings#standbyRetry()} and takes over when the other connection is gone.
     */
    private void standBy(StreamErrorException e, Hint hint) {
        if (standbySince != 0) {
            LOG.debug("{}: still standing by: {}", name, e.getMessage());
            return;
        }
        standbySince = System.nanoTime();
        LOG.info("{}: standby: {} ended the stream: {}; {}. Trying to take over every {} ms", name, server(),
                e.getMessage(), hint.text(), settings.standbyRetry().toMillis());
    }

    private void waitUnlessClosing(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (monitor) {
            try {
                long left;
                while (!closing && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closing = true;
            }
        }
    }

    private Session connect() throws IOException {
        int timeout = (int) settings.connectTimeout().toMillis();
        Socket socket = settings.transport().connect(settings.host(), settings.port(), timeout);
        Session s = new Session(socket);
        session = s;
        s.send(Handshake.streamHeader(settings.componentJid()));
        StreamReader reader = new StreamReader(s.liveness.watch(socket.getInputStream()), codec, inputFactory);
        s.reader = reader;
        try {
            StreamReader.Header header = (StreamReader.Header) reader.next();
            if (header.id() == null || header.id().isEmpty()) {
                noStreamId(s, socket);
            }
            s.send(Handshake.request(header.id(), settings.secret()));
            StreamReader.Event answer = reader.next();
            if (answer instanceof StreamReader.ServerError error) {
                s.closeStream();
                throw new StreamErrorException(error.condition(), error.text());
            }
            if (answer instanceof StreamReader.End) {
                s.closeStream();
                throw new IOException("the server closed the stream instead of answering the handshake");
            }
            if (!(answer instanceof StreamReader.Handshake)) {
                s.streamError(StreamFault.Condition.NOT_AUTHORIZED.wireName(), "no handshake was accepted yet");
                throw new IOException("the server answered the handshake with something other than <handshake/>");
            }
        } catch (StreamFault fault) {
            s.streamError(fault.condition().wireName(), fault.getMessage());
            throw fault;
        }
        socket.setSoTimeout(0);
        s.ready = true;
        synchronized (monitor) {
            monitor.notifyAll();
        }
        metrics.connectionStateChanged(name, true);
        router.connected();
        long since = standbySince;
        if (since != 0) {
            standbySince = 0;
            LOG.info("{}: took over as the active connection after standing by for {} ms", name,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
        }
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                Math.min(settings.keepAlive().toNanos(), settings.pingTimeout().toNanos()) / 4);
        s.liveness.inbound(System.nanoTime());
        s.ticks = timer.scheduleAtFixedRate(() -> tick(s), tick, tick, TimeUnit.NANOSECONDS);
        LOG.info("{}: connected to {} as {}", name, server(), settings.componentJid());
        return s;
    }

    /** Runs on the timer: keep-alive, ping, and dropping a stream whose server stopped answering or reading. */
    private void tick(Session s) {
        long now = System.nanoTime();
        if (s.paused) {
            s.liveness.inbound(now);
        }
        long sinceWrite = now - s.writer.lastWriteNanos();
        if (s.writer.depth() > 0 && sinceWrite >= settings.keepAlive().toNanos() + settings.pingTimeout().toNanos()) {
            s.drop("the server has read nothing for " + TimeUnit.NANOSECONDS.toMillis(sinceWrite) + " ms while "
                    + s.writer.depth() + " writes wait");
            return;
        }
        switch (s.liveness.tick(now, s.writer.lastWriteNanos())) {
            case KEEP_ALIVE -> s.send(" ");
            case PING -> s.send(Handshake.ping("ping-" + pings.incrementAndGet(), settings.componentJid(),
                    serverDomain));
            case DEAD -> s.drop("the server answered nothing, not even a ping to " + serverDomain + ", for "
                    + TimeUnit.NANOSECONDS.toMillis(now - s.liveness.lastInbound()) + " ms");
            case NONE -> {
                // alive and busy
            }
        }
    }

    /**
     * A stream header without an id: a server that refuses the component (Prosody for an unknown component JID)
     * sends its header and then a stream error at once (RFC 6120 §4.9.1.2), so that error is what to report.
     */
    private void noStreamId(Session s, Socket socket) throws IOException {
        StreamReader.Event next;
        try {
            socket.setSoTimeout((int) Math.min(settings.connectTimeout().toMillis(), NO_ID_GRACE_MILLIS));
            next = s.reader.next();
        } catch (SocketTimeoutException e) {
            next = null;
        }
        if (next instanceof StreamReader.ServerError error) {
            s.closeStream();
            throw new StreamErrorException(error.condition(), error.text());
        }
        s.streamError(StreamFault.Condition.INVALID_XML.wireName(), "the stream header has no id");
        throw new IOException("the server's stream header has no id and no stream error followed, so no handshake is"
                + " possible; a server that does not accept this component answers so: check 'component-jid' and"
                + " that the server declares it as a component");
    }

    private void serve(Session s) throws IOException {
        StreamReader reader = s.reader;
        try {
            while (true) {
                StreamReader.Event event = reader.frame();
                if (event instanceof StreamReader.Framed framed) {
                    limit.acquire();
                    if (reader.backlogged()) {
                        // the server sends faster than one stanza at a time: a parser thread handles this one while
                        // the next is framed; framing overwrites the reader's buffer, so the parser thread gets a
                        // copy, in a reused job's buffer
                        parsers.execute(jobs.take().fill(s, framed));
                    } else {
                        // handled here, a hand-off (and a thread's wake-up) less; the replies that complete
                        // meanwhile are written here too when the writer thread is idle
                        s.writer.hold();
                        try {
                            parse(s, framed);
                        } finally {
                            s.writer.writeHeld();
                        }
                    }
                    s.awaitRoom();
                } else if (event instanceof StreamReader.Refused refused) {
                    refused(refused);
                } else if (event instanceof StreamReader.ServerError error) {
                    s.closeStream();
                    throw new StreamErrorException(error.condition(), error.text());
                } else if (event instanceof StreamReader.End) {
                    if (s.dropped != null) {
                        LOG.warn("{}: {}", name, s.dropped);
                    } else if (!closing) {
                        LOG.warn("{}: {} closed the stream", name, server());
                    }
                    s.closeStream();
                    return;
                } else {
                    throw new StreamFault(StreamFault.Condition.UNSUPPORTED_STANZA_TYPE, "the server sent "
                            + event.getClass().getSimpleName() + " inside an open stream");
                }
            }
        } catch (StreamFault fault) {
            s.streamError(fault.condition().wireName(), fault.getMessage());
            throw new IOException("stream closed with <" + fault.condition().wireName() + "/>: "
                    + fault.getMessage(), fault);
        } catch (EOFException e) {
            if (closing) {
                return;
            }
            throw e;
        }
    }

    /**
     * A stanza over a cap: skipped, and answered when it can be (an IQ request or a message whose start tag was
     * read); the stream stays up. Logged once a minute at most.
     */
    private synchronized void refused(StreamReader.Refused refused) {
        refused.reply().ifPresent(reply -> {
            router.send(List.of(reply), route, () -> { });
            answeredSinceLog++;
        });
        refusedSinceLog++;
        long now = System.nanoTime();
        if (now - lastRefusalLog >= REFUSAL_LOG_INTERVAL_NANOS) {
            LOG.warn("{}: refused {} stanza(s) from {} since the last such line, {} of them answered with a stanza"
                    + " error; the stream stays up. Latest: {}", name, refusedSinceLog, server(), answeredSinceLog,
                    refused.reason());
            lastRefusalLog = now;
            refusedSinceLog = 0;
            answeredSinceLog = 0;
        }
    }

    /**
     * Runs on a parser thread, or on the reader thread when nothing else waits to be read: parses a stanza the
     * reader framed and hands it on. A stanza that breaks the stream ends it with the stream error; those framed
     * after it are dropped.
     */
    private void parse(Session s, StreamReader.Framed framed) {
        if (s.dropped != null) {
            limit.release();
            return;
        }
        StreamReader.Event event;
        try {
            event = s.reader.parse(framed);
        } catch (StreamFault fault) {
            limit.release();
            s.fault(fault);
            return;
        } catch (RuntimeException e) {
            limit.release();
            LOG.error("{}: parsing a stanza failed: {}", name, e.toString());
            return;
        }
        if (event instanceof StreamReader.Received received) {
            dispatch(received.stanza());
        } else {
            limit.release();
            if (event instanceof StreamReader.Refused refused) {
                refused(refused);
            }
        }
    }

    /**
     * A framed stanza handed to a parser thread, with a copy of its bytes: reused from one stanza to the next, so
     * that a hand-off allocates neither the copy nor the task (together about a tenth of what a publish allocated).
     */
    private final class ParseJob implements Runnable {
        private final byte[] own = new byte[ParseJobs.JOB_BYTES];
        private byte[] bytes;
        private int length;
        private Session session;

        /** Copies the stanza (into a buffer of its own when it is larger than the job's). */
        ParseJob fill(Session s, StreamReader.Framed framed) {
            length = framed.length();
            bytes = length <= own.length ? own : new byte[length];
            System.arraycopy(framed.bytes(), 0, bytes, 0, length);
            session = s;
            return this;
        }

        @Override
        public void run() {
            Session s = session;
            StreamReader.Framed framed = new StreamReader.Framed(bytes, length);
            session = null;
            bytes = null;
            try {
                parse(s, framed);
            } finally {
                jobs.give(this);
            }
        }
    }

    /**
     * The parse jobs not in use. It holds at most as many as were in use at once, which the reader bounds (it
     * stops reading while 256 stanzas wait for this connection's CPU), and never more than {@link #MAX_FREE}.
     */
    private final class ParseJobs {
        /** A publish is about 1 KB; a larger stanza gets a copy of its own. */
        static final int JOB_BYTES = 2048;
        private static final int MAX_FREE = 512;
        private final ParseJob[] free = new ParseJob[MAX_FREE];
        private int count;

        synchronized ParseJob take() {
            return count > 0 ? free[--count] : new ParseJob();
        }

        synchronized void give(ParseJob job) {
            if (count < MAX_FREE) {
                free[count++] = job;
            }
        }
    }

    /** Hands a stanza counted in flight to the handler, or sheds it; its replies go through the router. */
    private void dispatch(Stanza stanza) {
        boolean request = stanza instanceof Iq iq && iq.isRequest();
        if (!limit.tryStartHandling()) {
            if (request) {
                shedRequest((Iq) stanza);
                return;
            }
            limit.startHandling();
        } else if (shedding.get() && limit.handling() <= limit.shedAt() / 2 && shedding.compareAndSet(true, false)) {
            // Over only once the work waiting has fallen well below the threshold: at the threshold itself the
            // state would flip with every stanza, and so would the log lines.
            LOG.warn("{}: overload over: answering requests normally again ({} answered resource-constraint so"
                    + " far)", name, shed.get());
        }
        CompletionStage<List<Stanza>> replies;
        try {
            replies = handler.handle(stanza);
        } catch (RuntimeException e) {
            replies = CompletableFuture.failedFuture(e);
        }
        replies.whenComplete((list, error) -> {
            limit.handled();
            List<Stanza> out = list;
            if (error != null) {
                LOG.error("{}: handling <{}/> id {} failed: {}", name, stanza.elementName(), stanza.id(),
                        error.toString());
                out = request ? List.of(((Iq) stanza).errorReply(StanzaError.of(StanzaError.Type.WAIT,
                        StanzaError.Condition.INTERNAL_SERVER_ERROR, "the push component failed"))) : List.of();
            }
            if (out == null || out.isEmpty()) {
                limit.release();
            } else {
                router.send(out, route, release);
            }
        });
    }

    private void shedRequest(Iq request) {
        shed.incrementAndGet();
        if (request.extension(PubSub.class).flatMap(PubSub::publish).isPresent()) {
            metrics.publishAnswered(PublishOutcome.REFUSED, StanzaError.Condition.RESOURCE_CONSTRAINT.xmlName(),
                    null, null, 0);
        }
        if (shedding.compareAndSet(false, true)) {
            LOG.warn("{}: overloaded: {} stanzas wait for providers or the store; answering further requests"
                    + " wait/resource-constraint until fewer do", name, limit.handling());
        }
        router.send(List.of(request.errorReply(StanzaError.of(StanzaError.Type.WAIT,
                StanzaError.Condition.RESOURCE_CONSTRAINT, "the push component is overloaded; try again later"))),
                route, release);
    }

    /** Queues a reply on the current stream. */
    private boolean offer(ReplyRouter.Reply reply) {
        Session s = session;
        return s != null && s.ready && s.writer.offer(reply);
    }

    /**
     * What to check for each stream error condition of RFC 6120 §4.9.3 a server sends, and whether it is a
     * configuration problem (logged as an error on every attempt; the reconnect goes on with back-off, so a fixed
     * server configuration is picked up without a restart) or a passing one (a warning).
     */
    static Hint hint(String condition) {
        return switch (condition) {
            case "not-authorized" -> Hint.config("the server refused the handshake: 'secret' does not match the"
                    + " component secret configured at the server for 'component-jid'");
            case "host-unknown", "improper-addressing" -> Hint.config("the server does not know this component:"
                    + " check 'component-jid' and that the server declares it as a component (Prosody:"
                    + " Component \"<component-jid>\" with component_secret; ejabberd: a host of its"
                    + " ejabberd_service listener; Openfire: an external component; Tigase: comp-name)");
            case "host-gone" -> Hint.config("the server no longer serves this component's domain: check"
                    + " 'component-jid' and the server's component configuration");
            case "invalid-from" -> Hint.config("the server does not accept 'component-jid' as this stream's"
                    + " address: check that it is the component's domain exactly as the server declares it");
            case CONFLICT -> Hint.passing("another connection already serves this component: another instance of"
                    + " the component, which this one stands by for (Prosody accepts one connection per component),"
                    + " or 'connections' > 1 against Prosody (set 'connections' = 1)");
            case "see-other-host" -> Hint.config("the server sends this component elsewhere: set 'remote-host' and"
                    + " 'remote-port' to the host its error names");
            case "policy-violation" -> Hint.config("the server's policy refused the stream (e.g. a rate or size"
                    + " limit for components); see the server's log");
            case "system-shutdown" -> Hint.passing("the server is shutting down; reconnecting until it is back");
            case "reset" -> Hint.passing("the server reset the stream; reconnecting");
            case "connection-timeout" -> Hint.passing("the server found the stream idle: set 'keep-alive' below the"
                    + " server's idle timeout");
            case "resource-constraint" -> Hint.passing("the server is short of resources; reconnecting with"
                    + " back-off");
            case "remote-connection-failed", "internal-server-error" -> Hint.passing("a problem at the server;"
                    + " see its log");
            case "bad-format", "bad-namespace-prefix", "invalid-namespace", "invalid-xml", "not-well-formed",
                 "restricted-xml", "unsupported-encoding", "unsupported-stanza-type", "unsupported-version",
                 "unsupported-feature" -> Hint.passing("the server could not use what the component sent; the"
                    + " server's log says which stanza");
            default -> Hint.passing("see the server's text and log");
        };
    }

    /**
     * What to check after a stream error from the server.
     *
     * @param configuration a configuration problem (the component or the server must be changed)
     * @param text          what to check
     */
    record Hint(boolean configuration, String text) {
        static Hint config(String text) {
            return new Hint(true, text);
        }

        static Hint passing(String text) {
            return new Hint(false, text);
        }
    }

    private String server() {
        return settings.host() + ":" + settings.port();
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + firstLine(m));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** One TCP connection and its stream; its socket is written by its {@link StanzaWriter} alone. */
    private final class Session {
        private final Socket socket;
        private final StanzaWriter writer;
        private final Liveness liveness;
        private StreamReader reader;
        private ScheduledFuture<?> ticks;
        private volatile boolean ready;
        private volatile boolean paused;
        private volatile String dropped;

        Session(Socket socket) throws IOException {
            this.socket = socket;
            this.writer = new StanzaWriter("push-" + name + "-writer", socket.getOutputStream(), this::shutdownOutput,
                    this::closeSocket, 2 * settings.maxInFlight() + 64);
            this.liveness = new Liveness(settings.keepAlive().toNanos(), settings.pingTimeout().toNanos(),
                    System.nanoTime());
            writer.start();
        }

        /** Queues text on the writer; never blocks. {@code false} when the stream is closing or broken. */
        boolean send(String xml) {
            return writer.offer(xml);
        }

        /** Sends the stream error and closes the stream. */
        void streamError(String condition, String text) {
            send("<stream:error><" + condition + " xmlns='" + StreamReader.STREAM_ERRORS_NS + "'/><text xmlns='"
                    + StreamReader.STREAM_ERRORS_NS + "'>" + escape(text) + "</text></stream:error>");
            closeStream();
        }

        /** Sends {@code </stream:stream>} after what is queued and half-closes the socket; the server then ends its stream. */
        void closeStream() {
            writer.finish();
        }

        /** A stanza broke the stream: sends the stream error and closes the stream; the server then ends its own. */
        void fault(StreamFault fault) {
            dropped = "stream closed with <" + fault.condition().wireName() + "/>: " + fault.getMessage();
            streamError(fault.condition().wireName(), fault.getMessage());
        }

        /** Drops the connection now, e.g. because the server stopped answering; the reader then fails. */
        void drop(String why) {
            dropped = why;
            writer.abort();
        }

        /** Waits for room in flight before reading on; the server's writes wait in TCP meanwhile. */
        void awaitRoom() throws IOException {
            paused = true;
            try {
                limit.awaitRoom(() -> closing || dropped != null || !writer.isOpen(), PAUSE_POLL_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the connection waited for room");
            } finally {
                paused = false;
            }
        }

        /** Ends the session: a closing stream gets a moment to write its last words, then the socket is dropped. */
        void end() {
            ready = false;
            if (ticks != null) {
                ticks.cancel(false);
            }
            if (writer.isFinishing()) {
                try {
                    writer.awaitFinished(CLOSE_GRACE_NANOS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            writer.abort();
        }

        void shutdownOutput() {
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                closeSocket();
            }
        }

        void closeSocket() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing more can be done with a socket that fails to close
            }
        }

        private static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    }
}
