package io.pushcomponent.benchmark.load;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.benchmark.Fixtures;
import io.pushcomponent.component.PushComponent;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.core.store.JdbcRegistrationStore;
import io.pushcomponent.testkit.FakePushProvider;
import io.pushcomponent.testkit.FakeXmppServer;
import io.pushcomponent.benchmark.Directories;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.HdrHistogram.Histogram;

/**
 * Load generator: plays the XMPP server through {@link FakeXmppServer}, starts the real component in this process
 * ({@link PushComponent}, from a configuration file, with its default embedded H2 store holding pre-registered
 * nodes and a counting {@link FakePushProvider}), lets it open its XEP-0114 connections, then offers the captured
 * Prosody publish at a fixed rate or as fast as it is answered ({@link PublishLoad}), and reports throughput,
 * latency percentiles and this process's memory.
 *
 * <p>Everything runs on loopback; a run is bounded by its warm-up and measurement times plus a drain timeout, and
 * stops by itself. Heap and RSS are this process's: component and generator together (the generator's own share is
 * the histograms and the send-time ring, about 20 MB).
 *
 * <p>Not thread-safe: one run at a time.
 */
public final class LoadGenerator {
    private static final String JID = Fixtures.COMPONENT_JID;
    private static final String SECRET = "bench-component-secret";
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(30);
    private static final long DRAIN_NANOS = Duration.ofSeconds(10).toNanos();

    private LoadGenerator() {
    }

    /**
     * One run.
     *
     * @param connections      XEP-0114 connections the component opens
     * @param registrations    registrations stored before the run; publishes go round-robin over all of them
     * @param offeredPerSecond publishes offered per second, or 0 for as fast as they are answered
     * @param maxInFlight      the most unanswered publishes at a time
     * @param warmup           load offered before measuring
     * @param measure          the measurement window
     * @param fullGcAt         when into the measurement window to force one full collection, to read the live heap
     *                         while the load flows; {@code null} for none (latency runs)
     * @param workDirectory    where the component's configuration and data directory are created (deleted
     *                         afterwards)
     * @param existingStore    an embedded H2 store directory that already holds registrations (the store
     *                         benchmark's), used as the component's data directory and left in place; the
     *                         {@code registrations} are imported on top of what it holds. {@code null} for a fresh
     *                         store in the work directory
     */
    public record Settings(int connections, int registrations, double offeredPerSecond, int maxInFlight,
                           Duration warmup, Duration measure, Duration fullGcAt, Path workDirectory,
                           Path existingStore) {
        public Settings {
            Objects.requireNonNull(warmup, "warmup");
            Objects.requireNonNull(measure, "measure");
            Objects.requireNonNull(workDirectory, "workDirectory");
        }
    }

    /**
     * What a run measured.
     *
     * @param settings             what ran
     * @param registerPerSecond    how fast the registrations were imported before the run (embedded H2, batches)
     * @param stored               registrations in the store while the load ran
     * @param sent                 publishes sent, warm-up included
     * @param measuredSent         publishes due in the measurement window
     * @param answeredPerSecond    answers per second in the measurement window
     * @param latencies            nanoseconds from each measured publish's intended send time to its answer
     * @param errors               answers that were errors
     * @param firstError           the first error answer, or {@code null}
     * @param unanswered           publishes still unanswered when the run ended
     * @param providerSends        pushes the fake provider received
     * @param heapAfterFullGcBytes heap in use after the forced full collection while the load flowed; -1 when none
     * @param maxHeapAfterGcBytes  the most heap in use after any collection during the run
     * @param rssBytes             resident set size at the end of the measurement window ({@code VmRSS})
     * @param peakRssBytes         peak resident set size of the process so far ({@code VmHWM})
     */
    public record Result(Settings settings, double registerPerSecond, long stored, long sent, long measuredSent,
                         double answeredPerSecond, Histogram latencies, long errors, String firstError,
                         long unanswered, long providerSends, long heapAfterFullGcBytes, long maxHeapAfterGcBytes,
                         long rssBytes, long peakRssBytes) {
        /** A latency percentile in milliseconds. */
        public double percentileMillis(double percentile) {
            return latencies.getTotalCount() == 0 ? Double.NaN
                    : latencies.getValueAtPercentile(percentile) / 1e6;
        }
    }

    /** Runs the component under load once; see the class documentation. */
    public static Result run(Settings settings) throws Exception {
        Path dir = Files.createDirectories(settings.workDirectory().resolve("load-" + UUID.randomUUID()));
        Path dataDir = settings.existingStore() != null ? settings.existingStore().toAbsolutePath()
                : Files.createDirectories(dir.resolve("data"));
        try {
            double registerRate;
            long stored;
            try (JdbcRegistrationStore store = JdbcRegistrationStore.openH2(dataDir)) {
                registerRate = Fixtures.importAll(store, settings.registrations());
                stored = store.count();
            }
            String providerName = "bench-" + UUID.randomUUID();
            try (FakeXmppServer server = FakeXmppServer.start(JID, SECRET)) {
                Path config = Files.writeString(dir.resolve("push.tdsl"), String.join("\n",
                        "'component-jid' = '" + JID + "'",
                        "'remote-host' = '" + server.host() + "'",
                        "'remote-port' = " + server.port(),
                        "'secret' = '" + SECRET + "'",
                        "'connections' = " + settings.connections(),
                        "'data-dir' = '" + dataDir.toString().replace("\\", "/") + "'",
                        "push () {",
                        "    'fake' () {",
                        "        name = '" + providerName + "'",
                        "        record = false",
                        "    }",
                        "}",
                        ""), StandardCharsets.UTF_8);
                ProviderRegistry registry = ProviderRegistry.discover();
                try (PushComponent component = PushComponent.start(ComponentConfig.load(config, registry),
                        registry)) {
                    List<FakeXmppServer.Connection> connections = new ArrayList<>();
                    for (int i = 0; i < settings.connections(); i++) {
                        connections.add(server.awaitConnection(CONNECT_WAIT));
                    }
                    return measure(settings, registerRate, stored, server, connections,
                            FakePushProvider.named(providerName));
                }
            }
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    private static Result measure(Settings settings, double registerRate, long stored, FakeXmppServer server,
                                  List<FakeXmppServer.Connection> connections, FakePushProvider provider)
            throws InterruptedException {
        PublishLoad load = new PublishLoad(settings.offeredPerSecond(), settings.maxInFlight(),
                settings.warmup().toNanos(), settings.measure().toNanos(), settings.connections(),
                settings.registrations());
        Thread receiver = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                String stanza = server.pollStanza(Duration.ofMillis(100));
                if (stanza != null) {
                    load.onStanza(stanza);
                }
            }
        }, "load-receiver");
        receiver.setDaemon(true);
        long[] rssAtEnd = {-1};
        Thread sampler = new Thread(() -> sample(settings, rssAtEnd), "load-memory-sampler");
        sampler.setDaemon(true);
        try (ProcessMemory memory = ProcessMemory.start()) {
            receiver.start();
            sampler.start();
            PublishLoad.Outcome outcome = load.run((c, stanzas) -> connections.get(c).send(stanzas), DRAIN_NANOS);
            sampler.join(Duration.ofSeconds(30).toMillis());
            return new Result(settings, registerRate, stored, outcome.sent(), outcome.measuredSent(),
                    outcome.answeredPerSecond(), outcome.latencies(), outcome.errors(), outcome.firstError(),
                    outcome.unanswered(), provider.requestCount(), memory.heapAfterFullGcBytes(),
                    memory.maxHeapAfterGcBytes(), rssAtEnd[0], ProcessMemory.peakResidentBytes());
        } finally {
            receiver.interrupt();
            receiver.join(Duration.ofSeconds(5).toMillis());
        }
    }

    /**
     * Runs once in a JVM of its own, so that heap and RSS are the component's (and this generator's) alone, and
     * prints the result as one line of {@code key=value} pairs (see {@link #resultLine}). Arguments: connections,
     * registrations, offered per second, max in flight, warm-up ms, measure ms, full-GC-at ms (or -1), work
     * directory, existing store directory (or {@code -}).
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 9) {
            throw new IllegalArgumentException("expected 9 arguments: connections registrations offeredPerSecond "
                    + "maxInFlight warmupMs measureMs fullGcAtMs|-1 workDirectory existingStore|-");
        }
        Settings settings = new Settings(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                Double.parseDouble(args[2]), Integer.parseInt(args[3]), Duration.ofMillis(Long.parseLong(args[4])),
                Duration.ofMillis(Long.parseLong(args[5])),
                Long.parseLong(args[6]) < 0 ? null : Duration.ofMillis(Long.parseLong(args[6])), Path.of(args[7]),
                "-".equals(args[8]) ? null : Path.of(args[8]));
        System.out.println(resultLine(run(settings)));
        System.exit(0);
    }

    /** The figures of {@code r} as one line: {@code RESULT stored=... p99Nanos=... ...}. */
    static String resultLine(Result r) {
        return "RESULT stored=" + r.stored() + " sent=" + r.sent() + " answeredPerSecond=" + r.answeredPerSecond()
                + " p50Nanos=" + r.latencies().getValueAtPercentile(50)
                + " p99Nanos=" + r.latencies().getValueAtPercentile(99)
                + " p999Nanos=" + r.latencies().getValueAtPercentile(99.9) + " errors=" + r.errors()
                + " unanswered=" + r.unanswered() + " heapAfterFullGc=" + r.heapAfterFullGcBytes()
                + " maxHeapAfterGc=" + r.maxHeapAfterGcBytes() + " rss=" + r.rssBytes() + " peakRss="
                + r.peakRssBytes() + " maxHeap=" + Runtime.getRuntime().maxMemory();
    }

    /** Forces the full collection (if asked for) and reads the RSS at the end of the measurement window. */
    private static void sample(Settings settings, long[] rssAtEnd) {
        long start = System.nanoTime();
        long measureStart = start + settings.warmup().toNanos();
        try {
            if (settings.fullGcAt() != null) {
                sleepUntil(measureStart + settings.fullGcAt().toNanos());
                System.gc();
            }
            sleepUntil(measureStart + settings.measure().toNanos() - Duration.ofMillis(100).toNanos());
            rssAtEnd[0] = ProcessMemory.residentBytes();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

}
