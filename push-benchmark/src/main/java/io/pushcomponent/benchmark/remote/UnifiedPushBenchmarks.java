package io.pushcomponent.benchmark.remote;

import io.pushcomponent.benchmark.Directories;
import io.pushcomponent.benchmark.Fixtures;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.HdrHistogram.Histogram;

/**
 * The UnifiedPush row: an HTTP POST to an endpoint, relayed by the component as a {@code <push/>} IQ over its one
 * XEP-0114 connection, answered by the client, and answered {@code 201} to the poster. The component runs in its own
 * JVM through the shipped launcher with its public HTTP listener at its defaults (4 threads); this JVM plays the
 * XMPP server and every client behind it (it answers each {@code <push/>} at once with a result, parsing the stream
 * with StAX) and the application servers (one new TCP connection per POST, as the listener closes each).
 *
 * <p>First {@value #ENDPOINTS} clients register over XMPP and get their endpoints; then the POSTs go round-robin
 * over the endpoints: as fast as answered with {@value #CLOSED_LOOP_CLIENTS} posters, then at a fixed rate of half
 * that, each latency from its intended send time. The per-endpoint rate limit is raised so that it does not count.
 *
 * <p>Bounded in time, loopback only; the component and its files are gone when it returns. Not thread-safe.
 */
public final class UnifiedPushBenchmarks {
    private static final String NS = "http://gultsch.de/xmpp/drafts/unified-push";
    private static final int ENDPOINTS = 1_000;
    private static final int CLOSED_LOOP_CLIENTS = 16;
    private static final int OPEN_LOOP_WORKERS = 64;
    private static final int BODY_BYTES = 256;
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(60);
    private static final int SOCKET_TIMEOUT_MILLIS = 15_000;

    private UnifiedPushBenchmarks() {
    }

    /**
     * One phase's figures.
     *
     * @param offeredPerSecond the fixed rate, 0 for as fast as answered
     * @param created          POSTs answered {@code 201} in the measurement window
     * @param perSecond        {@code created} per second of the window
     * @param latencies        nanoseconds: service time (as fast as answered) or from the intended send time
     * @param other            answers other than {@code 201} (and failed requests) in the window
     * @param firstOther       the first of them
     * @param componentCpuMicros the component's CPU time per POST in the window
     */
    public record Figures(double offeredPerSecond, long created, double perSecond, Histogram latencies, long other,
                          String firstOther, double componentCpuMicros) {
        /** A latency percentile in milliseconds. */
        public double percentileMillis(double percentile) {
            return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1e6;
        }

        /** The longest latency in milliseconds. */
        public double maxMillis() {
            return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getMaxValue() / 1e6;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %,d created (%,.0f/s), p50 %.3f ms, p99 %.3f ms, max %.3f ms, "
                            + "other answers %d%s; component CPU %.1f µs per POST",
                    offeredPerSecond > 0 ? String.format(Locale.ROOT, "%,.0f/s offered", offeredPerSecond)
                            : "as fast as answered", created, perSecond, percentileMillis(50), percentileMillis(99),
                    maxMillis(), other, firstOther == null ? "" : " (first: " + firstOther + ")",
                    componentCpuMicros);
        }
    }

    /** Both phases, and how many endpoints were registered. */
    public record Result(int endpoints, Figures fastest, Figures fixed, int listenerThreads) {
    }

    /** Runs both phases; {@code progress} gets one line per phase. */
    public static Result run(ComponentBenchmarks.Timing t, Path work, java.util.function.Consumer<String> progress)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("unifiedpush-" + UUID.randomUUID()));
        int httpPort = freePort();
        try (LeanServer xmpp = LeanServer.start()) {
            Path config = Files.writeString(dir.resolve("push.tdsl"), String.join("\n",
                    "'component-jid' = '" + Fixtures.COMPONENT_JID + "'",
                    "'remote-host' = '127.0.0.1'",
                    "'remote-port' = " + xmpp.port(),
                    "'secret' = '" + ComponentRig.SECRET + "'",
                    "'data-dir' = '" + dir.resolve("data").toAbsolutePath().toString().replace("\\", "/") + "'",
                    "push () {",
                    "    'log' () { }",
                    "}",
                    "http () {",
                    "    public () { port = " + httpPort + " }",
                    "}",
                    "'unified-push' () {",
                    "    'endpoint-url' = 'http://127.0.0.1:" + httpPort + "/up'",
                    "    'messages-per-minute' = 1000000",
                    "}",
                    ""), StandardCharsets.UTF_8);
            List<String> opts = new ArrayList<>(List.of(ComponentRig.LOG_LEVEL));
            String extra = System.getenv(ComponentRig.EXTRA_OPTS_VARIABLE);
            if (extra != null && !extra.isBlank()) {
                opts.addAll(List.of(extra.trim().split("\\s+")));
            }
            try (ComponentProcess process = ComponentProcess.start(ComponentRig.launcher(),
                    ComponentRig.componentJar(), config, opts)) {
                try {
                    xmpp.accept(CONNECT_WAIT);
                    awaitListening(httpPort, CONNECT_WAIT);
                } catch (IOException e) {
                    throw new IOException(e.getMessage() + "; the component's last lines: " + process.lastLines(), e);
                }
                int endpoints = t.quick() ? 100 : ENDPOINTS;
                List<String> paths = xmpp.register(endpoints, httpPort);
                progress.accept("UnifiedPush: " + paths.size() + " endpoints registered");
                Poster poster = new Poster(httpPort, paths);
                Figures fastest = poster.closedLoop(process, t.warmup(5), t.measure(10));
                progress.accept("UnifiedPush " + fastest);
                double rate = Math.max(100, Math.floor(fastest.perSecond() / 2 / 100) * 100);
                Figures fixed = poster.openLoop(process, rate, t.warmup(3), t.measure(15));
                progress.accept("UnifiedPush " + fixed);
                if (xmpp.failure() != null) {
                    throw new IOException("the XMPP side failed: " + xmpp.failure());
                }
                return new Result(paths.size(), fastest, fixed, 4);
            }
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the public HTTP listener did not open port " + port + " within "
                            + timeout, e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    /** The application servers: raw HTTP/1.1 POSTs, one connection each. */
    private static final class Poster {
        private final int port;
        private final List<String> paths;
        private final AtomicInteger next = new AtomicInteger();
        private final byte[] body = new byte[BODY_BYTES];

        Poster(int port, List<String> paths) {
            this.port = port;
            this.paths = paths;
            new java.util.Random(7).nextBytes(body);
        }

        /** The status of one POST to the next endpoint, or -1 when the request failed. */
        int post() {
            String path = paths.get(Math.floorMod(next.getAndIncrement(), paths.size()));
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), SOCKET_TIMEOUT_MILLIS);
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n"
                        + "TTL: 60\r\nUrgency: normal\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] head = new byte[12];
                int read = 0;
                while (read < head.length) {
                    int n = in.read(head, read, head.length - read);
                    if (n < 0) {
                        return -1;
                    }
                    read += n;
                }
                return Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII));
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        Figures closedLoop(ComponentProcess process, Duration warmup, Duration measure) throws InterruptedException {
            Histogram latencies = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            AtomicLong created = new AtomicLong();
            AtomicLong other = new AtomicLong();
            AtomicReference<String> firstOther = new AtomicReference<>();
            long start = System.nanoTime();
            long measureFrom = start + warmup.toNanos();
            long end = measureFrom + measure.toNanos();
            long[] cpu = new long[1];
            ExecutorService pool = Executors.newFixedThreadPool(CLOSED_LOOP_CLIENTS);
            CountDownLatch done = new CountDownLatch(CLOSED_LOOP_CLIENTS);
            Thread cpuMark = new Thread(() -> {
                LockSupport.parkNanos(Math.max(0, measureFrom - System.nanoTime()));
                cpu[0] = process.cpuNanos();
            });
            cpuMark.start();
            for (int i = 0; i < CLOSED_LOOP_CLIENTS; i++) {
                pool.execute(() -> {
                    try {
                        while (true) {
                            long sent = System.nanoTime();
                            if (sent >= end) {
                                return;
                            }
                            int status = post();
                            long answered = System.nanoTime();
                            if (sent < measureFrom || answered > end) {
                                continue;
                            }
                            if (status == 201) {
                                created.incrementAndGet();
                                synchronized (latencies) {
                                    latencies.recordValue(Math.min(answered - sent, latencies.getHighestTrackableValue()));
                                }
                            } else {
                                other.incrementAndGet();
                                firstOther.compareAndSet(null, status < 0 ? "request failed" : "status " + status);
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await(measure.plus(warmup).toSeconds() + 60, TimeUnit.SECONDS);
            cpuMark.join();
            long cpuUsed = process.cpuNanos() - cpu[0];
            pool.shutdownNow();
            double seconds = measure.toNanos() / 1e9;
            long posts = created.get() + other.get();
            return new Figures(0, created.get(), created.get() / seconds, latencies, other.get(), firstOther.get(),
                    posts == 0 ? Double.NaN : cpuUsed / 1e3 / posts);
        }

        Figures openLoop(ComponentProcess process, double rate, Duration warmup, Duration measure)
                throws InterruptedException {
            Histogram latencies = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            AtomicLong created = new AtomicLong();
            AtomicLong other = new AtomicLong();
            AtomicReference<String> firstOther = new AtomicReference<>();
            ExecutorService workers = Executors.newFixedThreadPool(OPEN_LOOP_WORKERS);
            long interval = (long) (1e9 / rate);
            long start = System.nanoTime();
            long measureFrom = start + warmup.toNanos();
            long end = measureFrom + measure.toNanos();
            long cpuStart = -1;
            for (long k = 0; ; k++) {
                long due = start + k * interval;
                if (due >= end) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (cpuStart < 0 && due >= measureFrom) {
                    cpuStart = process.cpuNanos();
                }
                boolean measured = due >= measureFrom;
                workers.execute(() -> {
                    int status = post();
                    if (!measured) {
                        return;
                    }
                    if (status == 201) {
                        created.incrementAndGet();
                        long latency = System.nanoTime() - due;
                        synchronized (latencies) {
                            latencies.recordValue(Math.min(latency, latencies.getHighestTrackableValue()));
                        }
                    } else {
                        other.incrementAndGet();
                        firstOther.compareAndSet(null, status < 0 ? "request failed" : "status " + status);
                    }
                });
            }
            workers.shutdown();
            workers.awaitTermination(30, TimeUnit.SECONDS);
            workers.shutdownNow();
            long cpuUsed = process.cpuNanos() - cpuStart;
            long posts = created.get() + other.get();
            return new Figures(rate, created.get(), created.get() / (measure.toNanos() / 1e9), latencies,
                    other.get(), firstOther.get(), posts == 0 ? Double.NaN : cpuUsed / 1e3 / posts);
        }
    }

    /**
     * The XMPP server and its clients, as lean as the row needs: accepts the component's one connection, checks its
     * handshake, registers endpoints for made-up full JIDs, and answers every {@code <push/>} and ping at once.
     */
    private static final class LeanServer implements AutoCloseable {
        private final ServerSocket server;
        private final Map<String, CompletableFuture<String>> registrations = new ConcurrentHashMap<>();
        private final AtomicReference<String> failure = new AtomicReference<>();
        private Socket socket;
        private OutputStream out;
        private Thread reader;

        private LeanServer(ServerSocket server) {
            this.server = server;
        }

        static LeanServer start() throws IOException {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new LeanServer(server);
        }

        int port() {
            return server.getLocalPort();
        }

        String failure() {
            return failure.get();
        }

        /** Accepts the component's connection and runs the handshake; then reads on a thread of its own. */
        void accept(Duration timeout) throws IOException {
            server.setSoTimeout((int) timeout.toMillis());
            socket = server.accept();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) timeout.toMillis());
            out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            XMLStreamReader xml;
            try {
                XMLInputFactory factory = XMLInputFactory.newFactory();
                factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
                factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
                xml = factory.createXMLStreamReader(socket.getInputStream(), "UTF-8");
                xml.nextTag();
                String id = UUID.randomUUID().toString();
                write("<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' "
                        + "xmlns:stream='http://etherx.jabber.org/streams' from='" + Fixtures.COMPONENT_JID
                        + "' id='" + id + "'>");
                xml.nextTag();
                String digest = xml.getElementText().trim();
                if (!digest.equalsIgnoreCase(sha1Hex(id + ComponentRig.SECRET))) {
                    throw new IOException("the component's handshake does not match the secret");
                }
                write("<handshake/>");
            } catch (XMLStreamException e) {
                throw new IOException("the component's stream could not be read: " + e.getMessage(), e);
            }
            socket.setSoTimeout(0);
            XMLStreamReader stream = xml;
            reader = new Thread(() -> read(stream), "unifiedpush-xmpp-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Registers {@code count} clients and returns their endpoints' paths. */
        List<String> register(int count, int httpPort) throws IOException {
            List<CompletableFuture<String>> answers = new ArrayList<>();
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < count; i++) {
                String id = "r" + i;
                CompletableFuture<String> answer = new CompletableFuture<>();
                registrations.put(id, answer);
                answers.add(answer);
                batch.append("<iq type='set' id='").append(id).append("' from='user").append(i)
                        .append("@localhost/phone' to='").append(Fixtures.COMPONENT_JID).append("'><register xmlns='")
                        .append(NS).append("' application='").append(hash("app", i)).append("' instance='")
                        .append(hash("instance", i)).append("'/></iq>");
                if (batch.length() > 32_000) {
                    write(batch.toString());
                    batch.setLength(0);
                }
            }
            write(batch.toString());
            String prefix = "http://127.0.0.1:" + httpPort;
            List<String> paths = new ArrayList<>();
            for (CompletableFuture<String> answer : answers) {
                try {
                    String endpoint = answer.get(60, TimeUnit.SECONDS);
                    if (!endpoint.startsWith(prefix)) {
                        throw new IOException("an endpoint outside " + prefix);
                    }
                    paths.add(endpoint.substring(prefix.length()));
                } catch (Exception e) {
                    throw new IOException("a registration was not answered with an endpoint: " + e, e);
                }
            }
            return paths;
        }

        private static String hash(String what, int i) {
            try {
                return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest((what + i).getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private void read(XMLStreamReader xml) {
            try {
                while (xml.hasNext()) {
                    if (xml.next() != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    String element = xml.getLocalName();
                    String id = xml.getAttributeValue(null, "id");
                    String type = xml.getAttributeValue(null, "type");
                    String to = xml.getAttributeValue(null, "to");
                    String child = null;
                    String endpoint = null;
                    String errorCondition = null;
                    int depth = 1;
                    while (depth > 0) {
                        int event = xml.next();
                        if (event == XMLStreamConstants.START_ELEMENT) {
                            depth++;
                            if (depth == 2 && child == null) {
                                child = xml.getLocalName();
                                endpoint = xml.getAttributeValue(null, "endpoint");
                            } else if (depth == 3 && "error".equals(child)) {
                                errorCondition = xml.getLocalName();
                            }
                        } else if (event == XMLStreamConstants.END_ELEMENT) {
                            depth--;
                        }
                    }
                    if (!"iq".equals(element)) {
                        continue;
                    }
                    if ("set".equals(type) && "push".equals(child)) {
                        write("<iq type='result' id='" + id + "' from='" + to + "' to='" + Fixtures.COMPONENT_JID
                                + "'/>");
                    } else if ("get".equals(type) && "ping".equals(child)) {
                        write("<iq type='result' id='" + id + "' from='localhost' to='" + Fixtures.COMPONENT_JID
                                + "'/>");
                    } else if (("result".equals(type) || "error".equals(type)) && id != null) {
                        CompletableFuture<String> waiting = registrations.remove(id);
                        if (waiting != null) {
                            if (endpoint != null) {
                                waiting.complete(endpoint);
                            } else {
                                waiting.completeExceptionally(new IOException("answered " + type + " "
                                        + errorCondition));
                            }
                        }
                    }
                }
            } catch (XMLStreamException | IOException e) {
                if (!server.isClosed()) {
                    failure.compareAndSet(null, e.toString());
                }
            }
        }

        private synchronized void write(String xml) throws IOException {
            out.write(xml.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private static String sha1Hex(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            if (socket != null) {
                socket.close();
            }
        }
    }
}
