package io.pushcomponent.testkit.xmpp;

import com.ctc.wstx.stax.WstxInputFactory;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * An XMPP server's side of XEP-0114 for tests: it listens on a free loopback port, accepts component connections,
 * checks each handshake (the lower-case hex SHA-1 of the stream id followed by the secret) and accepts it with
 * {@code <handshake/>} or rejects it with the stream error {@code not-authorized}. Script, run, verify:
 *
 * <pre>{@code
 * try (FakeXmppServer server = FakeXmppServer.start("push.localhost", "s3cret")) {
 *     // ... connect the component to 127.0.0.1:server.port() ...
 *     FakeXmppServer.Connection c = server.awaitConnection(Duration.ofSeconds(5));
 *     c.send("<iq type='get' id='1' from='localhost' to='push.localhost'>"
 *             + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
 *     String reply = server.takeStanza(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>To answer what the component sends, install a {@link Dispatcher}: it sees each stanza (parsed into a
 * {@link ReceivedStanza}) on the connection's own thread and returns the stanzas to send back on that connection.
 *
 * <pre>{@code
 * server.setDispatcher(stanza -> "iq".equals(stanza.name()) && "get".equals(stanza.type())
 *         ? List.of(stanza.result("<query xmlns='http://jabber.org/protocol/disco#info'/>"))
 *         : List.of());
 * }</pre>
 *
 * <p>Stanzas from every connection arrive in one queue, dispatched or not, as the component wrote them (namespace
 * declarations included), so a test can check the wire form. Several connections are served at once, each by its own thread.
 * Like Prosody and ejabberd, the server answers an XEP-0199 ping addressed to anything but the component itself
 * (its own domain) with a result; such pings are counted, not queued. To play a server that keeps TCP open but has
 * stopped answering, {@link #setSilent(boolean) silence} it; to play one that has stopped reading,
 * {@link Connection#stopReading()}.
 *
 * <p>For tests of how the component copes with a broken server, {@link #answerNextStreamWith} replaces the stream
 * header the next connection gets with any bytes (a DTD, invalid UTF-8, a stream error right away, ...),
 * {@link Connection#sendRaw} writes any bytes into an open stream, and {@link Connection#received()} and
 * {@link Connection#awaitClosedByComponent} show everything the component wrote and that it closed the connection:
 *
 * <pre>{@code
 * server.answerNextStreamWith(id -> ("<?xml version='1.0'?><!DOCTYPE x []>"
 *         + FakeXmppServer.streamHeader(id, "push.localhost")).getBytes(StandardCharsets.UTF_8));
 * FakeXmppServer.Connection c = server.awaitStream(Duration.ofSeconds(5));
 * c.awaitClosedByComponent(Duration.ofSeconds(5));
 * assertThat(c.received()).contains("<restricted-xml").endsWith("</stream:stream>");
 * }</pre>
 *
 * <p><b>Thread-safety:</b> every method is thread-safe. <b>Lifecycle:</b> listening from {@link #start} until
 * {@link #close()}, which drops every connection. Needs no test framework; failed expectations throw
 * {@link AssertionError}.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0114.html">XEP-0114: Jabber Component Protocol</a>
 */
public final class FakeXmppServer implements AutoCloseable {
    /** The namespace of component streams. */
    public static final String COMPONENT_NS = "jabber:component:accept";
    private static final String STREAMS_NS = "http://etherx.jabber.org/streams";

    private final String componentJid;
    private volatile String secret;
    private volatile boolean silent;
    private final ServerSocket serverSocket;
    private final XMLInputFactory inputFactory = inputFactory();
    private volatile Dispatcher dispatcher = stanza -> List.of();
    private final Queue<Throwable> dispatcherFailures = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<Connection> authenticated = new LinkedBlockingQueue<>();
    private final BlockingQueue<Connection> opened = new LinkedBlockingQueue<>();
    private final Queue<Function<String, byte[]>> nextHeaders = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<String> stanzas = new LinkedBlockingQueue<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final AtomicInteger rejectedHandshakes = new AtomicInteger();
    private final AtomicInteger streamsOpened = new AtomicInteger();
    private final AtomicInteger pings = new AtomicInteger();
    private final Object counters = new Object();
    private final Thread acceptor;
    private volatile boolean closed;

    private FakeXmppServer(String componentJid, String secret) throws IOException {
        this.componentJid = Objects.requireNonNull(componentJid, "componentJid");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "fake-xmpp-server-accept-" + port());
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /**
     * Starts listening on a free loopback port for the component {@code componentJid} with {@code secret}.
     *
     * @throws UncheckedIOException when no port can be opened
     */
    public static FakeXmppServer start(String componentJid, String secret) {
        try {
            return new FakeXmppServer(componentJid, secret);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for FakeXmppServer", e);
        }
    }

    /** The port it listens on (127.0.0.1). */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** The host to connect to. */
    public String host() {
        return serverSocket.getInetAddress().getHostAddress();
    }

    /** Changes the secret that later handshakes are checked against. */
    public void setSecret(String secret) {
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    /**
     * The stream header this server sends, in the form Prosody sends it: {@code <?xml version='1.0'?>} and a
     * {@code <stream:stream/>} start tag in {@code jabber:component:accept} with {@code id} and {@code from}.
     */
    public static String streamHeader(String id, String from) {
        return "<?xml version='1.0'?><stream:stream xmlns:stream='" + STREAMS_NS + "' xmlns='" + COMPONENT_NS
                + "' id='" + id + "' from='" + from + "'>";
    }

    /**
     * The next connection that opens a stream gets {@code header.apply(streamId)} as the server's stream header
     * instead of {@link #streamHeader}; each call applies to one connection, in order. The handshake is then checked
     * against {@code streamId} as usual, so a header that carries it lets the component in.
     */
    public void answerNextStreamWith(Function<String, byte[]> header) {
        nextHeaders.add(Objects.requireNonNull(header, "header"));
    }

    /**
     * The next connection that sent its stream header, authenticated or not, in the order they arrived.
     *
     * @throws AssertionError when none arrives within {@code timeout}
     */
    public Connection awaitStream(Duration timeout) {
        try {
            Connection c = opened.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (c == null) {
                throw new AssertionError("no component opened a stream within " + timeout);
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a component stream", e);
        }
    }

    /**
     * Answers every stanza the component sends from now on with {@code dispatcher}, on every connection. The default
     * answers nothing. Stanzas stay queued for {@link #takeStanza} whether dispatched or not, each once its answers
     * were sent (so a test that took a stanza knows they are on their way); pings to the server are
     * answered by the server itself and never reach the dispatcher, and a {@link #setSilent silent} server dispatches
     * nothing.
     */
    public void setDispatcher(Dispatcher dispatcher) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    }

    /**
     * Silences the server: it keeps every connection open and reads on, but answers nothing, not even pings, as a
     * server that hangs does. {@code false} answers pings again.
     */
    public void setSilent(boolean silent) {
        this.silent = silent;
    }

    /** How many XEP-0199 pings to the server arrived, answered or not. */
    public int pingsReceived() {
        return pings.get();
    }

    /**
     * Waits until at least {@code count} pings to the server arrived.
     *
     * @throws AssertionError when fewer arrive within {@code timeout}
     */
    public void awaitPings(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (counters) {
            try {
                long left;
                while (pings.get() < count && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(counters, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pings.get() < count) {
            throw new AssertionError(pings.get() + " pings arrived within " + timeout + ", expected " + count);
        }
    }

    /** How many streams were opened (each connection attempt that got as far as its stream header). */
    public int streamsOpened() {
        return streamsOpened.get();
    }

    /** How many handshakes arrived, accepted or not. */
    public int handshakes() {
        return handshakes.get();
    }

    /** How many handshakes were rejected with {@code not-authorized}. */
    public int rejectedHandshakes() {
        return rejectedHandshakes.get();
    }

    /**
     * Waits until at least {@code count} handshakes were rejected.
     *
     * @throws AssertionError when fewer arrive within {@code timeout}
     */
    public void awaitRejectedHandshakes(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (counters) {
            try {
                long left;
                while (rejectedHandshakes.get() < count && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(counters, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (rejectedHandshakes.get() < count) {
            throw new AssertionError(rejectedHandshakes.get() + " handshakes were rejected within " + timeout
                    + ", expected " + count);
        }
    }

    /**
     * The next connection whose handshake was accepted, in the order they were accepted.
     *
     * @throws AssertionError when none arrives within {@code timeout}
     */
    public Connection awaitConnection(Duration timeout) {
        try {
            Connection c = authenticated.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (c == null) {
                throw new AssertionError("no component connection was authenticated within " + timeout
                        + " (streams opened: " + streamsOpened() + ", handshakes rejected: " + rejectedHandshakes()
                        + ")");
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a component connection", e);
        }
    }

    /** The connections that are authenticated and open now. */
    public List<Connection> openConnections() {
        return connections.stream().filter(Connection::isOpen).toList();
    }

    /**
     * The next stanza any connection sent, as written on the wire.
     *
     * @throws AssertionError when none arrives within {@code timeout}
     */
    public String takeStanza(Duration timeout) {
        String s = pollStanza(timeout);
        if (s == null) {
            throw new AssertionError("the component sent no stanza within " + timeout);
        }
        return s;
    }

    /** The next stanza any connection sent, or {@code null} when none arrives within {@code timeout}. */
    public String pollStanza(Duration timeout) {
        try {
            return stanzas.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Drops every open connection without closing its stream, as a crashing server or a network failure does. */
    public void dropConnections() {
        connections.forEach(Connection::drop);
    }

    /**
     * Stops listening and drops every connection. Idempotent.
     *
     * @throws AssertionError when the {@link Dispatcher} threw for some stanza (the first failure is the cause), so
     *     that a broken dispatcher fails the test instead of leaving the component unanswered
     */
    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            // closing a listening socket that is already broken leaves nothing to clean up
        }
        dropConnections();
        Throwable failure = dispatcherFailures.poll();
        if (failure != null) {
            throw new AssertionError("the dispatcher failed on a stanza from the component", failure);
        }
    }

    private static XMLInputFactory inputFactory() {
        WstxInputFactory f = new WstxInputFactory();
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        return f;
    }

    /**
     * Answers the stanzas the component sends (see {@link #setDispatcher}).
     *
     * <p>Called on the reading thread of the connection the stanza came from, one stanza at a time per connection
     * and concurrently for different connections, so an implementation that keeps state must be thread-safe.
     */
    @FunctionalInterface
    public interface Dispatcher {
        /**
         * The stanzas (XML text) to send back on the connection {@code stanza} came from, in order; an empty list
         * sends nothing. What it throws fails {@link FakeXmppServer#close()}.
         */
        List<String> dispatch(ReceivedStanza stanza);
    }

    /**
     * A stanza the component sent: its XML exactly as written on the wire and the routing attributes every stanza
     * kind shares ({@code null} when absent).
     *
     * @param xml the whole stanza, namespace declarations included
     * @param name the element name: {@code iq}, {@code message} or {@code presence}
     * @param type the {@code type} attribute
     * @param id the {@code id} attribute
     * @param from the {@code from} attribute
     * @param to the {@code to} attribute
     */
    public record ReceivedStanza(String xml, String name, String type, String id, String from, String to) {
        /** Requires {@code xml} and {@code name}. */
        public ReceivedStanza {
            Objects.requireNonNull(xml, "xml");
            Objects.requireNonNull(name, "name");
        }

        /** An empty IQ result answering this stanza: same id, {@code from} and {@code to} swapped. */
        public String result() {
            return "<iq type='result'" + routing() + "/>";
        }

        /** An IQ result answering this stanza with {@code childXml} as its payload. */
        public String result(String childXml) {
            return "<iq type='result'" + routing() + ">" + childXml + "</iq>";
        }

        /**
         * An error answering this stanza, of the same kind, with the RFC 6120 §8.3 {@code errorType} (e.g.
         * {@code cancel}) and defined condition (e.g. {@code item-not-found}).
         *
         * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-8.3">RFC 6120 §8.3 Stanza errors</a>
         */
        public String error(String errorType, String condition) {
            return "<" + name + " type='error'" + routing() + "><error type='" + Connection.attribute(errorType)
                    + "'><" + condition + " xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></" + name + ">";
        }

        private String routing() {
            return " id='" + Connection.attribute(id) + "' from='" + Connection.attribute(to) + "' to='"
                    + Connection.attribute(from) + "'";
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = serverSocket.accept();
                Connection c = new Connection(socket);
                Thread t = new Thread(c::serve, "fake-xmpp-server-" + socket.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException("FakeXmppServer stopped accepting", e);
                }
            }
        }
    }

    static String handshakeDigest(String streamId, String secret) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest((streamId + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /**
     * One component connection. Sends go out in the order called.
     *
     * <p>Thread-safe.
     */
    public final class Connection {
        private static final int RECEIVED_CAP = 4 * 1024 * 1024;

        private final Socket socket;
        private final OutputStream out;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final CountDownLatch closedByComponent = new CountDownLatch(1);
        private final String streamId = UUID.randomUUID().toString();
        private final AtomicLong whitespaceReceived = new AtomicLong();
        private final AtomicInteger keepAlives = new AtomicInteger();
        private final Object readGate = new Object();
        private volatile boolean reading = true;
        private volatile boolean open = true;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        /** Sends a stanza (or any XML text) to the component. */
        public void send(String xml) {
            sendRaw(xml.getBytes(StandardCharsets.UTF_8));
        }

        /** Sends bytes to the component as they are: not-well-formed XML, invalid UTF-8, anything. */
        public synchronized void sendRaw(byte[] bytes) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot send to the component: the connection is closed", e);
            }
        }

        /**
         * Everything the component wrote on this connection so far, from its stream header on, as UTF-8 text (the
         * first 4 MiB).
         */
        public String received() {
            synchronized (received) {
                return received.toString(StandardCharsets.UTF_8);
            }
        }

        /**
         * Waits until the component closed the TCP connection (this side read the end of the stream of bytes).
         *
         * @throws AssertionError when it is still open after {@code timeout}
         */
        public void awaitClosedByComponent(Duration timeout) {
            try {
                if (!closedByComponent.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new AssertionError("the component did not close the connection within " + timeout
                            + "; it sent: " + received());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the component to close", e);
            }
        }

        /** Closes the stream properly: {@code </stream:stream>} and then the socket. */
        public void closeStream() {
            send("</stream:stream>");
            drop();
        }

        /** Drops the connection without closing the stream. */
        public void drop() {
            open = false;
            resumeReading();
            try {
                socket.close();
            } catch (IOException e) {
                // the socket is gone either way
            }
        }

        /**
         * Stops reading from the component, as a server that hangs or is overloaded does: what the component writes
         * then waits in TCP buffers until they are full. The connection stays open.
         */
        public void stopReading() {
            reading = false;
        }

        /** Reads from the component again after {@link #stopReading()}. */
        public void resumeReading() {
            synchronized (readGate) {
                reading = true;
                readGate.notifyAll();
            }
        }

        /** {@code true} while the connection is open. */
        public boolean isOpen() {
            return open && !socket.isClosed();
        }

        /** Whitespace characters the component sent between stanzas (its keep-alive), as far as read. */
        public long whitespaceReceived() {
            return whitespaceReceived.get();
        }

        /**
         * Waits until the component has sent whitespace between stanzas at least {@code count} times (a parser may
         * report several keep-alives sent in a row as one).
         *
         * @throws AssertionError when fewer arrive within {@code timeout}
         */
        public void awaitKeepAlives(int count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (keepAlives) {
                try {
                    long left;
                    while (keepAlives.get() < count && (left = deadline - System.nanoTime()) > 0) {
                        TimeUnit.NANOSECONDS.timedWait(keepAlives, left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (keepAlives.get() < count) {
                throw new AssertionError(keepAlives.get() + " keep-alives arrived within " + timeout + ", expected "
                        + count);
            }
        }

        private void serve() {
            try (socket) {
                InputStream in = new Recording(socket.getInputStream());
                XMLStreamReader r = inputFactory.createXMLStreamReader(in, "UTF-8");
                if (r.nextTag() != XMLStreamConstants.START_ELEMENT || !"stream".equals(r.getLocalName())
                        || !STREAMS_NS.equals(r.getNamespaceURI())) {
                    streamError("invalid-namespace");
                    return;
                }
                streamsOpened.incrementAndGet();
                opened.add(this);
                String ns = r.getNamespaceURI("");
                String to = r.getAttributeValue(null, "to");
                Function<String, byte[]> header = nextHeaders.poll();
                if (header == null) {
                    send(streamHeader(streamId, to == null ? "" : to));
                } else {
                    sendRaw(header.apply(streamId));
                }
                if (!COMPONENT_NS.equals(ns)) {
                    streamError("invalid-namespace");
                    return;
                }
                if (!componentJid.equals(to)) {
                    streamError("host-unknown");
                    return;
                }
                int event = r.nextTag();
                if (event == XMLStreamConstants.END_ELEMENT) {
                    awaitEnd(in);
                    return;
                }
                if (STREAMS_NS.equals(r.getNamespaceURI()) && "error".equals(r.getLocalName())) {
                    stanzas.add(XmlText.element(r));
                    r.nextTag();
                    awaitEnd(in);
                    return;
                }
                if (!"handshake".equals(r.getLocalName())) {
                    streamError("not-authorized");
                    return;
                }
                String digest = r.getElementText().trim();
                handshakes.incrementAndGet();
                if (!digest.equals(handshakeDigest(streamId, secret))) {
                    streamError("not-authorized");
                    synchronized (counters) {
                        rejectedHandshakes.incrementAndGet();
                        counters.notifyAll();
                    }
                    return;
                }
                send("<handshake/>");
                connections.add(this);
                authenticated.add(this);
                readStanzas(r, in);
            } catch (IOException | XMLStreamException | UncheckedIOException e) {
                // the component or the test closed the connection
            } finally {
                open = false;
            }
        }

        private void readStanzas(XMLStreamReader r, InputStream in) throws XMLStreamException, IOException {
            while (r.hasNext()) {
                awaitReading();
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    String type = r.getAttributeValue(null, "type");
                    String id = r.getAttributeValue(null, "id");
                    String from = r.getAttributeValue(null, "from");
                    String to = r.getAttributeValue(null, "to");
                    String stanza = XmlText.element(r);
                    if (!open) {
                        return;
                    }
                    if ("iq".equals(name) && "get".equals(type) && !componentJid.equals(to)
                            && stanza.contains("'urn:xmpp:ping'")) {
                        synchronized (counters) {
                            pings.incrementAndGet();
                            counters.notifyAll();
                        }
                        if (!silent) {
                            send("<iq type='result' id='" + attribute(id) + "' from='" + attribute(to) + "' to='"
                                    + attribute(from) + "'/>");
                        }
                        continue;
                    }
                    if (!silent) {
                        dispatch(new ReceivedStanza(stanza, name, type, id, from, to));
                    }
                    stanzas.add(stanza);
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.SPACE) {
                    synchronized (keepAlives) {
                        keepAlives.incrementAndGet();
                        keepAlives.notifyAll();
                    }
                    // Woodstox reads text lazily: getText() returns only when the text ends, at the next tag.
                    whitespaceReceived.addAndGet(r.getText().chars().filter(Character::isWhitespace).count());
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    awaitEnd(in);
                    return;
                }
            }
        }

        /**
         * The component closed its stream: close this side's as RFC 6120 §4.4 says, then read on until the component
         * closes the connection (or 10 s pass), so that a test can tell a clean close from an abandoned socket.
         */
        private void awaitEnd(InputStream in) throws IOException {
            try {
                send("</stream:stream>");
            } catch (UncheckedIOException e) {
                // the component may close the connection before reading this side's closing tag
            }
            socket.setSoTimeout(10_000);
            byte[] rest = new byte[4096];
            while (in.read(rest) >= 0) {
                // what comes after the closing tag is recorded, for the test to see
            }
            drop();
        }

        private void awaitReading() {
            synchronized (readGate) {
                while (!reading && open) {
                    try {
                        readGate.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        private void dispatch(ReceivedStanza stanza) {
            List<String> answers;
            try {
                answers = dispatcher.dispatch(stanza);
            } catch (RuntimeException | AssertionError e) {
                dispatcherFailures.add(e);
                return;
            }
            for (String answer : answers) {
                send(answer);
            }
        }

        private static String attribute(String value) {
            return value == null ? "" : value.replace("&", "&amp;").replace("'", "&apos;").replace("<", "&lt;");
        }

        private void streamError(String condition) {
            send("<stream:error><" + condition + " xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"
                    + "</stream:stream>");
            drop();
        }

        /** Records what the component writes and notices when it closes the connection. */
        private final class Recording extends FilterInputStream {
            Recording(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    closedByComponent.countDown();
                } else {
                    synchronized (received) {
                        if (received.size() < RECEIVED_CAP) {
                            received.write(b, off, Math.min(n, RECEIVED_CAP - received.size()));
                        }
                    }
                }
                return n;
            }
        }
    }
}
