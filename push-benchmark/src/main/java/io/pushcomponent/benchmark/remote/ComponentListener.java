package io.pushcomponent.benchmark.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The XMPP server's side of XEP-0114, as lean as a load generator needs: accepts the component's connections on a
 * loopback port, checks the handshake (SHA-1 of stream id + secret), then hands every reply the component writes
 * to a {@link ReplySink} without parsing XML: a reply is found by its {@code <iq} start tag, its publish number read
 * from {@code id='p<digits>'}, and an error reply's text collected up to its {@code </iq>}.
 *
 * <p>It answers XEP-0199 pings from the component and writes a whitespace keep-alive every few seconds, so that a
 * component that checks the server's liveness keeps its stream between measurements.
 *
 * <p>Thread-safe: one reader thread per connection; {@link Connection#write} may be called from any thread (writes
 * are serialised per connection). Closing the listener closes every connection.
 */
final class ComponentListener implements AutoCloseable {
    /** Receives the component's replies to publishes; called on the connection's reader thread. */
    interface ReplySink {
        /** An answer to publish {@code k}: a result, or an error whose whole stanza is {@code errorStanza}. */
        void onReply(long k, String errorStanza);

        /** Anything else the component sent that is not an answer to a publish (counted, otherwise ignored). */
        void onOther(String what);
    }

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(5);
    private static final byte[] SPACE = {' '};

    private final String componentJid;
    private final String secret;
    private final ReplySink sink;
    private final ServerSocket server;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "listener-keep-alive");
        t.setDaemon(true);
        return t;
    });

    private ComponentListener(String componentJid, String secret, ReplySink sink) throws IOException {
        this.componentJid = componentJid;
        this.secret = secret;
        this.sink = sink;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        keepAlive.scheduleWithFixedDelay(this::keepAlive, KEEP_ALIVE.toMillis(), KEEP_ALIVE.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Listens on a free loopback port. */
    static ComponentListener start(String componentJid, String secret, ReplySink sink) throws IOException {
        return new ComponentListener(componentJid, secret, sink);
    }

    /** The loopback port the component is to connect to. */
    int port() {
        return server.getLocalPort();
    }

    /** The address the component is to connect to. */
    String host() {
        return server.getInetAddress().getHostAddress();
    }

    /**
     * Accepts {@code count} connections and completes each one's handshake.
     *
     * @throws IOException when a connection does not arrive or its handshake fails within {@code timeout}
     */
    List<Connection> accept(int count, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Connection> accepted = new ArrayList<>();
        while (accepted.size() < count) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (System.nanoTime() >= deadline) {
                throw new SocketTimeoutException("the component opened " + accepted.size() + " of " + count
                        + " connections within " + timeout);
            }
            server.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            Socket socket = server.accept();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            Connection c = new Connection(socket, connections.size());
            try {
                c.handshake();
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
            socket.setSoTimeout(0);
            connections.add(c);
            accepted.add(c);
            c.reader.start();
        }
        return accepted;
    }

    private void keepAlive() {
        for (Connection c : connections) {
            try {
                c.write(SPACE, 0, 1);
            } catch (IOException e) {
                // The connection is gone; its reader reports it.
            }
        }
    }

    @Override
    public void close() {
        keepAlive.shutdownNow();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
        for (Connection c : connections) {
            c.close();
        }
    }

    /** One accepted, authenticated component connection. */
    final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final Thread reader;
        private final Object writeLock = new Object();
        private final String streamId = UUID.randomUUID().toString();
        private volatile boolean closed;
        /** Bytes read but not yet scanned, from {@link #start} to {@link #end}. */
        private byte[] buffer = new byte[1 << 16];
        private int start;
        private int end;

        private Connection(Socket socket, int number) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.reader = new Thread(this::read, "listener-reader-" + number);
            reader.setDaemon(true);
        }

        /** Writes {@code length} bytes of {@code bytes} to the component; serialised with other writers. */
        void write(byte[] bytes, int offset, int length) throws IOException {
            synchronized (writeLock) {
                out.write(bytes, offset, length);
            }
        }

        /** Whether the connection is still open (the component has not closed it). */
        boolean isOpen() {
            return !closed;
        }

        private void handshake() throws IOException {
            int header = readUntil("<stream:stream", ">");
            String opening = new String(buffer, 0, header, StandardCharsets.UTF_8);
            if (!opening.contains("jabber:component:accept")) {
                throw new IOException("not a XEP-0114 stream header: " + opening);
            }
            start = header;
            String reply = "<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' "
                    + "xmlns='jabber:component:accept' from='" + componentJid + "' id='" + streamId + "'>";
            write(reply.getBytes(StandardCharsets.UTF_8), 0, reply.length());
            int handshakeEnd = readUntil("<handshake>", "</handshake>");
            String handshake = new String(buffer, start, handshakeEnd - start, StandardCharsets.UTF_8);
            String digest = handshake.substring(handshake.indexOf("<handshake>") + "<handshake>".length(),
                    handshake.indexOf("</handshake>"));
            if (!digest.trim().equalsIgnoreCase(sha1Hex(streamId + secret))) {
                byte[] refusal = ("<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                        + "</stream:error></stream:stream>").getBytes(StandardCharsets.UTF_8);
                write(refusal, 0, refusal.length);
                throw new IOException("the component's handshake does not match the secret");
            }
            start = handshakeEnd;
            byte[] ok = "<handshake/>".getBytes(StandardCharsets.UTF_8);
            write(ok, 0, ok.length);
        }

        /** Reads until {@code last} follows {@code first}; returns the index just after {@code last}. */
        private int readUntil(String first, String last) throws IOException {
            while (true) {
                String text = new String(buffer, 0, end, StandardCharsets.ISO_8859_1);
                int at = text.indexOf(first, start);
                int done = at < 0 ? -1 : text.indexOf(last, at + first.length());
                if (done >= 0) {
                    return done + last.length();
                }
                if (end == buffer.length) {
                    throw new IOException("no " + first + "..." + last + " in the first " + end + " bytes");
                }
                int n = in.read(buffer, end, buffer.length - end);
                if (n < 0) {
                    throw new IOException("the component closed the connection during the handshake");
                }
                end += n;
            }
        }

        private void read() {
            StringBuilder stanza = null;
            try {
                while (true) {
                    int pos = start;
                    while (pos < end) {
                        if (stanza != null) {
                            int close = indexOf(buffer, pos, end, IQ_END);
                            // without the end tag, keep its possible first bytes for the next read
                            int upTo = close >= 0 ? close + IQ_END.length
                                    : Math.max(pos, end - (IQ_END.length - 1));
                            if (upTo == pos) {
                                break;
                            }
                            stanza.append(new String(buffer, pos, upTo - pos, StandardCharsets.UTF_8));
                            pos = upTo;
                            if (close >= 0) {
                                complete(stanza.toString());
                                stanza = null;
                            }
                            continue;
                        }
                        int open = indexOf(buffer, pos, end, LT);
                        if (open < 0) {
                            pos = end;
                            break;
                        }
                        int close = indexOf(buffer, open, end, GT);
                        if (close < 0) {
                            pos = open;
                            break;
                        }
                        pos = close + 1;
                        if (!startsWith(buffer, open, end, IQ_START)) {
                            if (startsWith(buffer, open, end, STREAM_END)
                                    || startsWith(buffer, open, end, STREAM_ERROR)) {
                                sink.onOther(new String(buffer, open, pos - open, StandardCharsets.UTF_8));
                            }
                            continue;
                        }
                        long k = publishNumber(buffer, open, close);
                        boolean selfClosing = buffer[close - 1] == '/';
                        boolean error = contains(buffer, open, close, TYPE_ERROR_1)
                                || contains(buffer, open, close, TYPE_ERROR_2);
                        if (k >= 0 && !error) {
                            sink.onReply(k, null);
                        } else if (selfClosing) {
                            complete(new String(buffer, open, pos - open, StandardCharsets.UTF_8));
                        } else {
                            stanza = new StringBuilder(new String(buffer, open, pos - open, StandardCharsets.UTF_8));
                        }
                    }
                    // keep the unscanned tail, then read more
                    int tail = end - pos;
                    if (tail == buffer.length) {
                        buffer = Arrays.copyOf(buffer, buffer.length * 2);
                    }
                    System.arraycopy(buffer, pos, buffer, 0, tail);
                    start = 0;
                    end = tail;
                    int n = in.read(buffer, end, buffer.length - end);
                    if (n < 0) {
                        sink.onOther("end of stream: the component closed the connection");
                        return;
                    }
                    end += n;
                }
            } catch (IOException e) {
                if (!closed) {
                    sink.onOther("connection failed: " + e);
                }
            } finally {
                closed = true;
            }
        }

        /** A whole {@code <iq>} that is not a plain result: an error answer, a ping to answer, or something else. */
        private void complete(String iq) {
            int tagEnd = iq.indexOf('>');
            long k = publishNumber(iq.getBytes(StandardCharsets.UTF_8), 0, tagEnd);
            if (k >= 0) {
                sink.onReply(k, iq);
                return;
            }
            if (iq.contains("urn:xmpp:ping") && (iq.contains("type='get'") || iq.contains("type=\"get\""))) {
                String id = attribute(iq, "id");
                String from = attribute(iq, "from");
                String to = attribute(iq, "to");
                byte[] pong = ("<iq type='result' id='" + id + "' from='" + to + "' to='" + from + "'/>")
                        .getBytes(StandardCharsets.UTF_8);
                try {
                    write(pong, 0, pong.length);
                } catch (IOException e) {
                    // the reader notices the broken connection
                }
                return;
            }
            sink.onOther(iq);
        }

        private void close() {
            closed = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing to do
            }
        }
    }

    private static final byte[] LT = {'<'};
    private static final byte[] GT = {'>'};
    private static final byte[] IQ_START = "<iq ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IQ_END = "</iq>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM_END = "</stream:stream".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM_ERROR = "<stream:error".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TYPE_ERROR_1 = "type='error'".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TYPE_ERROR_2 = "type=\"error\"".getBytes(StandardCharsets.US_ASCII);

    /** The {@code k} of {@code id='p<k>'} (either quote) in the start tag {@code [from, to)}, or -1. */
    static long publishNumber(byte[] b, int from, int to) {
        for (int i = from; i + 5 < to; i++) {
            if (b[i] == ' ' && b[i + 1] == 'i' && b[i + 2] == 'd' && b[i + 3] == '='
                    && (b[i + 4] == '\'' || b[i + 4] == '"') && b[i + 5] == 'p') {
                byte quote = b[i + 4];
                long k = 0;
                int digits = 0;
                for (int j = i + 6; j < to; j++) {
                    byte c = b[j];
                    if (c == quote) {
                        return digits == 0 ? -1 : k;
                    }
                    if (c < '0' || c > '9' || ++digits > 18) {
                        return -1;
                    }
                    k = k * 10 + (c - '0');
                }
                return -1;
            }
        }
        return -1;
    }

    /** Where {@code what} first starts in {@code b[from, to)}, or -1. */
    static int indexOf(byte[] b, int from, int to, byte[] what) {
        outer:
        for (int i = from; i <= to - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int at, int to, byte[] what) {
        return to - at >= what.length && indexOf(b, at, at + what.length, what) == at;
    }

    private static boolean contains(byte[] b, int from, int to, byte[] what) {
        return indexOf(b, from, to, what) >= 0;
    }

    /** The value of attribute {@code name} (either quote) in the start tag {@code tag}, or "" when it has none. */
    static String attribute(String tag, String name) {
        for (char quote : new char[] {'\'', '"'}) {
            String key = " " + name + "=" + quote;
            int at = tag.indexOf(key);
            if (at >= 0) {
                int from = at + key.length();
                int to = tag.indexOf(quote, from);
                return to < 0 ? "" : tag.substring(from, to);
            }
        }
        return "";
    }

    static String sha1Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }
}
