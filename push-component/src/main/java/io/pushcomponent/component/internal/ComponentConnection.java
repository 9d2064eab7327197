package io.pushcomponent.component.internal;

import io.pushcomponent.core.xml.Iq;
import io.pushcomponent.core.xml.Stanza;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.StanzaError;
import io.pushcomponent.core.xml.XmlLimits;
import io.pushcomponent.core.xml.XmppXml;
import java.io.BufferedWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>When the connection breaks or the server ends the stream, it reconnects after a capped exponential back-off
 * with jitter; the back-off restarts only after a successful handshake, so a wrong secret never causes a tight
 * loop. While connected it writes a single space every keep-alive interval.
 *
 * <p><b>Lifecycle:</b> {@link #start()} once; {@link #close()} waits (up to the shutdown timeout) until every
 * stanza being handled has been answered, then closes the stream and stops. <b>Thread-safety:</b> thread-safe; one
 * reader thread per connection, replies are written from whatever thread completes them.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0114.html">XEP-0114: Jabber Component Protocol</a>
 */
public final class ComponentConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ComponentConnection.class);
    private static final long NO_ID_GRACE_MILLIS = 1000;
    private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    /**
     * How a connection connects.
     *
     * @param componentJid      the component's domain
     * @param host              the server's host
     * @param port              the server's component port
     * @param secret            the shared secret; never logged
     * @param keepAlive         interval of the whitespace keep-alive
     * @param reconnectMinDelay the first reconnect delay
     * @param reconnectMaxDelay the cap of the reconnect delay
     * @param connectTimeout    timeout of the TCP connect and of the handshake
     * @param shutdownTimeout   how long {@link #close()} waits for stanzas in flight
     * @param limits            stanza size and depth limits
     */
    public record Settings(String componentJid, String host, int port, String secret, Duration keepAlive,
                           Duration reconnectMinDelay, Duration reconnectMaxDelay, Duration connectTimeout,
                           Duration shutdownTimeout, XmlLimits limits) {
        public Settings {
            Objects.requireNonNull(componentJid, "componentJid");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(limits, "limits");
        }

        @Override
        public String toString() {
            return "Settings[componentJid=" + componentJid + ", server=" + host + ":" + port + ", secret=***]";
        }
    }

    private final String name;
    private final Settings settings;
    private final StanzaHandler handler;
    private final StanzaCodec codec;
    private final ScheduledExecutorService timer;
    private final Backoff backoff;
    private final XMLInputFactory inputFactory;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object monitor = new Object();
    private final Thread thread;
    private volatile Session session;
    private volatile boolean closing;
    private long refusedSinceLog;
    private long lastRefusalLog = System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS;

    /**
     * A connection, not yet started.
     *
     * @param name    a short name for logs and the thread, e.g. {@code xmpp-1}
     * @param timer   runs the keep-alive; owned by the caller
     */
    public ComponentConnection(String name, Settings settings, StanzaHandler handler, StanzaCodec codec,
                               ScheduledExecutorService timer) {
        this.name = Objects.requireNonNull(name, "name");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.backoff = new Backoff(settings.reconnectMinDelay(), settings.reconnectMaxDelay());
        this.inputFactory = XmppXml.inputFactory(settings.limits());
        this.thread = new Thread(this::run, "push-" + name);
    }

    /** Starts connecting, on the connection's own thread. */
    public void start() {
        thread.start();
    }

    /** {@code true} while the stream is authenticated. */
    public boolean isConnected() {
        Session s = session;
        return s != null && s.ready && !s.streamClosed;
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

    /** Stanzas read and not yet answered. */
    public int inFlight() {
        return inFlight.get();
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
            try {
                long left;
                while (inFlight.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (inFlight.get() > 0) {
            LOG.warn("{}: {} stanzas still unanswered after {}; closing anyway", name, inFlight.get(),
                    settings.shutdownTimeout());
        }
        Session s = session;
        if (s != null) {
            s.closeStream();
        }
        try {
            thread.join(2000);
            if (thread.isAlive() && s != null) {
                s.closeSocket();
                thread.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        int attempt = 0;
        while (!closing) {
            session = null;
            try {
                serve(connect());
            } catch (StreamErrorException e) {
                LOG.error("{}: {} ended the stream: {}{}", name, server(), e.getMessage(), hint(e.condition()));
            } catch (IOException e) {
                if (!closing) {
                    LOG.warn("{}: connection to {} failed: {}", name, server(), describe(e));
                }
            }
            Session s = session;
            if (s != null) {
                if (s.ready) {
                    attempt = 0;
                }
                s.end();
            }
            if (closing) {
                break;
            }
            Duration delay = backoff.delay(attempt++);
            LOG.info("{}: reconnecting to {} in {} ms", name, server(), delay.toMillis());
            waitUnlessClosing(delay);
        }
        LOG.info("{}: stopped", name);
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
        Socket socket = new Socket();
        int timeout = (int) settings.connectTimeout().toMillis();
        try {
            socket.connect(new InetSocketAddress(settings.host(), settings.port()), timeout);
            socket.setSoTimeout(timeout);
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        Session s = new Session(socket);
        session = s;
        s.send("<?xml version='1.0'?><stream:stream xmlns='" + StreamReader.COMPONENT_NS + "' xmlns:stream='"
                + StreamReader.STREAMS_NS + "' to='" + settings.componentJid() + "'>");
        StreamReader reader = new StreamReader(socket.getInputStream(), codec, inputFactory);
        s.reader = reader;
        try {
            StreamReader.Header header = (StreamReader.Header) reader.next();
            if (header.id() == null || header.id().isEmpty()) {
                noStreamId(s, socket);
            }
            s.send("<handshake>" + handshake(header.id(), settings.secret()) + "</handshake>");
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
        long keepAlive = settings.keepAlive().toMillis();
        s.keepAlive = timer.scheduleAtFixedRate(() -> s.send(" "), keepAlive, keepAlive, TimeUnit.MILLISECONDS);
        LOG.info("{}: connected to {} as {}", name, server(), settings.componentJid());
        return s;
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
        throw new IOException("the server's stream header has no id, so no handshake is possible");
    }

    private void serve(Session s) throws IOException {
        StreamReader reader = s.reader;
        try {
            while (true) {
                StreamReader.Event event = reader.next();
                if (event instanceof StreamReader.Received received) {
                    dispatch(received.stanza());
                } else if (event instanceof StreamReader.Refused refused) {
                    refused(refused);
                } else if (event instanceof StreamReader.ServerError error) {
                    s.closeStream();
                    throw new StreamErrorException(error.condition(), error.text());
                } else if (event instanceof StreamReader.End) {
                    if (!closing) {
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

    /** A stanza over a cap: answered and skipped, the stream stays up. Logged once a minute at most. */
    private void refused(StreamReader.Refused refused) {
        refused.reply().ifPresent(this::reply);
        refusedSinceLog++;
        long now = System.nanoTime();
        if (now - lastRefusalLog >= REFUSAL_LOG_INTERVAL_NANOS) {
            LOG.warn("{}: refused {} stanza(s) from {} since the last such line and answered them with a stanza"
                    + " error; the stream stays up. Latest: {}", name, refusedSinceLog, server(), refused.reason());
            lastRefusalLog = now;
            refusedSinceLog = 0;
        }
    }

    private void dispatch(Stanza stanza) {
        inFlight.incrementAndGet();
        CompletionStage<List<Stanza>> replies;
        try {
            replies = handler.handle(stanza);
        } catch (RuntimeException e) {
            replies = CompletableFuture.failedFuture(e);
        }
        replies.whenComplete((list, error) -> {
            try {
                if (error != null) {
                    LOG.error("{}: handling <{}/> id {} failed: {}", name, stanza.elementName(), stanza.id(),
                            error.toString());
                    if (stanza instanceof Iq iq && iq.isRequest()) {
                        reply(iq.errorReply(StanzaError.of(StanzaError.Type.WAIT,
                                StanzaError.Condition.INTERNAL_SERVER_ERROR, "the push component failed")));
                    }
                } else {
                    list.forEach(this::reply);
                }
            } finally {
                if (inFlight.decrementAndGet() == 0) {
                    synchronized (monitor) {
                        monitor.notifyAll();
                    }
                }
            }
        });
    }

    /** Replies go on the current session: after a reconnect the server still routes them by their addresses. */
    private void reply(Stanza reply) {
        Session s = session;
        String xml = codec.write(reply);
        if (s == null || !s.ready || !s.send(xml)) {
            LOG.warn("{}: reply <{}/> id {} to {} lost: not connected", name, reply.elementName(), reply.id(),
                    reply.to());
        }
    }

    private static String hint(String condition) {
        return switch (condition) {
            case "not-authorized" -> "; the server refused the handshake: 'secret' does not match the component"
                    + " secret configured at the server";
            case "host-unknown", "improper-addressing" -> "; the server does not know this component: check"
                    + " 'component-jid' and the server's component configuration";
            case "conflict" -> "; another connection already serves this component (Prosody accepts one"
                    + " connection per component: set 'connections' = 1)";
            default -> "";
        };
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

    static String handshake(String streamId, String secret) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest((streamId + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /** One TCP connection and its stream. Writes are serialised on the session. */
    private static final class Session {
        private final Socket socket;
        private final Writer out;
        private StreamReader reader;
        private ScheduledFuture<?> keepAlive;
        private volatile boolean ready;
        private volatile boolean streamClosed;

        Session(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8));
        }

        /** Writes and flushes; {@code false} when the stream is closed or the write failed. */
        synchronized boolean send(String xml) {
            if (streamClosed) {
                return false;
            }
            try {
                out.write(xml);
                out.flush();
                return true;
            } catch (IOException e) {
                streamClosed = true;
                closeSocket();
                return false;
            }
        }

        void streamError(String condition, String text) {
            send("<stream:error><" + condition + " xmlns='" + StreamReader.STREAM_ERRORS_NS + "'/><text xmlns='"
                    + StreamReader.STREAM_ERRORS_NS + "'>" + escape(text) + "</text></stream:error>");
            closeStream();
        }

        /** Sends {@code </stream:stream>} once and half-closes the socket; the server then ends its stream. */
        synchronized void closeStream() {
            if (streamClosed) {
                return;
            }
            send("</stream:stream>");
            streamClosed = true;
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                closeSocket();
            }
        }

        void end() {
            ready = false;
            if (keepAlive != null) {
                keepAlive.cancel(false);
            }
            streamClosed = true;
            closeSocket();
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
