package io.pushcomponent.benchmark.remote;

import io.pushcomponent.benchmark.Directories;
import io.pushcomponent.benchmark.Fixtures;
import io.pushcomponent.core.store.internal.JdbcRegistrationStore;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * The component measured from outside: each method starts the shaded {@code push-component.jar} in a JVM of its
 * own through the shipped launcher ({@code packaging/bin/push-component}, its default JVM flags), plays the XMPP
 * server on a loopback port, offers the captured Prosody publish and reads the answers off the wire. Nothing of
 * the component's internals is used: only the jar, its configuration file, its store (filled before it starts)
 * and XEP-0114.
 *
 * <p>Every run is bounded (each phase's time plus at most {@link RemoteLoad#DRAIN} to drain), stays on loopback,
 * and stops the component and deletes its files when it ends or fails.
 *
 * <p>Not thread-safe: one run at a time.
 */
public final class ComponentBenchmarks {
    /** The provider of the hot, cold and overload runs: {@code log}, whose one line per push is below WARN. */
    static final String LOG_PROVIDER = "log";
    /** The FCM provider's id. */
    static final String FCM_PROVIDER = "fcm-http-v1";
    private static final int HOT_NODES = 10_000;
    private static final int IMPORT_BATCH = 5_000;

    private ComponentBenchmarks() {
    }

    /** How long a measurement runs: warm-up and measurement window of a full run, or about a second each. */
    public record Timing(boolean quick) {
        Duration warmup(double fullSeconds) {
            return Duration.ofMillis(Math.round((quick ? Math.min(0.5, fullSeconds) : fullSeconds) * 1000));
        }

        Duration measure(double fullSeconds) {
            return Duration.ofMillis(Math.round((quick ? Math.min(1, fullSeconds) : fullSeconds) * 1000));
        }
    }

    /** One phase's figures, as {@link RemoteLoad} measured them. */
    public record Figures(String name, double offeredPerSecond, long sent, long measuredSent,
                          double answeredPerSecond, double resultsPerSecond, Histogram latencies, long errors,
                          long waitErrors, long cancelErrors, long measuredErrors, String firstError,
                          long unanswered,
                          double sendStalledSeconds, long unsent, double componentCpuMicros,
                          double generatorCpuMicros, Histogram senderLateness) {
        static Figures of(RemoteLoad.PhaseResult r, double componentCpuMicros, double generatorCpuMicros) {
            return new Figures(r.phase().name(), r.phase().offeredPerSecond(), r.sent(), r.measuredSent(),
                    r.answeredPerSecond(), r.resultsPerSecond(), r.latencies(), r.errors(), r.waitErrors(),
                    r.cancelErrors(), r.measuredErrors(), r.firstError(), r.unanswered(),
                    r.sendStalledNanos() / 1e9, r.unsent(),
                    componentCpuMicros, generatorCpuMicros, r.senderLateness());
        }

        /**
         * Open loop: a percentile, in milliseconds, of how late the generator began writing a measured publish
         * after its intended time (its own part of the latency); NaN in a closed loop.
         */
        public double senderLateMillis(double percentile) {
            return senderLateness.getTotalCount() == 0 ? Double.NaN
                    : senderLateness.getValueAtPercentile(percentile) / 1e6;
        }

        /** A latency percentile in milliseconds; NaN when nothing was measured. */
        public double percentileMillis(double percentile) {
            return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1e6;
        }

        /** The longest latency in milliseconds; NaN when nothing was measured. */
        public double maxMillis() {
            return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getMaxValue() / 1e6;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: offered %s, sent %,d (%,d measured), %,.0f answered/s "
                            + "(%,.0f results/s), p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms, errors %d "
                            + "(wait %d, cancel %d), unanswered %d, unsent %d, sender held by back-pressure %.1f s%s; "
                            + "CPU per publish: component %.1f µs, generator %.1f µs%s", name,
                    offeredPerSecond > 0 ? String.format(Locale.ROOT, "%,.0f/s", offeredPerSecond)
                            : "closed loop", sent, measuredSent, answeredPerSecond, resultsPerSecond,
                    percentileMillis(50), percentileMillis(99), percentileMillis(99.9), maxMillis(), errors,
                    waitErrors, cancelErrors, unanswered, unsent, sendStalledSeconds,
                    senderLateness.getTotalCount() == 0 ? "" : String.format(Locale.ROOT,
                            ", sender late p50 %.3f ms, p99 %.3f ms", senderLateMillis(50), senderLateMillis(99)),
                    componentCpuMicros, generatorCpuMicros,
                    firstError == null ? "" : "; first error: " + firstError);
        }
    }

    /** What the process did during a run. */
    public record ProcessFigures(long peakRssBytes, long maxThreads, boolean alive, long otherStanzas,
                                 String firstOther) {
    }

    /**
     * The hot rows: one connection as fast as answered, at 30,000/s and at 10,000/s offered; the floor
     * ({@link BareComponent}) at the same two rates; then a component with four connections as fast as answered.
     * Publishes go round-robin over 10,000 registrations, which the node cache holds after the first round.
     *
     * @param floor30k the floor at 30,000/s offered: what the machine gives any component over one connection
     * @param floor10k the floor at 10,000/s offered
     */
    public record Hot(Figures oneMax, Figures one30k, Figures one10k, Figures floor30k, Figures floor10k,
                      Figures fourMax, ProcessFigures one, ProcessFigures four) {
    }

    /**
     * Seconds of full load before a component's first "as fast as answered" window is measured. On two cores the
     * JIT's compiler threads share the CPU with a component at full load: in a run with a compilation log,
     * Woodstox's UTF-8 decoding loop (a fifth to a quarter of the CPU samples while interpreted) was compiled 14.5 s
     * after the JVM started, and on a busier machine it ran interpreted for about 30 s; a 5 s warm-up measured that
     * start, not the component as it runs for days.
     */
    static final int JIT_WARMUP_SECONDS = 30;

    /** Runs the hot rows; {@code progress} gets one line per phase. */
    public static Hot hot(Timing t, Path work, Consumer<String> progress) throws IOException {
        Path dir = Files.createDirectories(work.resolve("hot-" + UUID.randomUUID()));
        try {
            Path data = dir.resolve("data");
            int nodes = t.quick() ? 1_000 : HOT_NODES;
            importSqlite(data, nodes, LOG_PROVIDER, null);
            RemoteLoad.Nodes roundRobin = RemoteLoad.roundRobin(IntStream.range(0, nodes)
                    .mapToObj(Fixtures::node).toList());
            List<Figures> one;
            ProcessFigures oneProcess;
            try (ComponentRig rig = ComponentRig.start(new ComponentRig.Config(1, data, null,
                    ComponentRig.Config.logProvider()), dir, roundRobin);
                 ProcessSampler sampler = ProcessSampler.start(rig.process())) {
                prime(rig, nodes, progress);
                one = new ArrayList<>(run(rig, List.of(new RemoteLoad.Phase("1 connection, as fast as answered", 0,
                        4_000, t.warmup(JIT_WARMUP_SECONDS), t.measure(10), true, false)), progress));
                // the latency phases are measured without the sampler's reads, as the floor's are
                sampler.stop();
                one.addAll(run(rig, List.of(latencyPhase("1 connection", 30_000, t),
                        latencyPhase("1 connection", 10_000, t)), progress));
                sampler.close();
                oneProcess = processFigures(rig, sampler);
            }
            List<Figures> floor;
            try (ComponentRig rig = ComponentRig.startBare(roundRobin)) {
                floor = run(rig, List.of(latencyPhase("floor (a bare XEP-0114 echo)", 30_000, t),
                        latencyPhase("floor (a bare XEP-0114 echo)", 10_000, t)), progress);
            }
            List<Figures> four;
            ProcessFigures fourProcess;
            try (ComponentRig rig = ComponentRig.start(new ComponentRig.Config(4, data, null,
                    ComponentRig.Config.logProvider()), dir, roundRobin);
                 ProcessSampler sampler = ProcessSampler.start(rig.process())) {
                prime(rig, nodes, progress);
                four = run(rig, List.of(new RemoteLoad.Phase("4 connections, as fast as answered", 0, 8_000,
                        t.warmup(JIT_WARMUP_SECONDS), t.measure(10), true, false)), progress);
                sampler.close();
                fourProcess = processFigures(rig, sampler);
            }
            return new Hot(one.get(0), one.get(1), one.get(2), floor.get(0), floor.get(1), four.get(0), oneProcess,
                    fourProcess);
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    /** A hot latency phase: {@code rate} publishes/s offered, 5 s of warm-up, 15 s measured. */
    private static RemoteLoad.Phase latencyPhase(String who, int rate, Timing t) {
        return new RemoteLoad.Phase(String.format(Locale.ROOT, "%s, %,d/s offered", who, rate), rate,
                RemoteLoad.RING / 2, t.warmup(5), t.measure(15), true, true);
    }

    /**
     * The metrics listener's cost: two components side by side on copies of the same 10,000 registrations, both with
     * an admin HTTP listener, one recording metrics (push-metrics-micrometer, as shipped) and one with
     * {@code metrics = false}; each as fast as answered over one connection, one loaded at a time.
     *
     * @param off         each measured round's figures without metrics
     * @param on          each measured round's figures with metrics
     * @param ratio       the publishes/s answered with metrics on over those with metrics off, summed over the
     *                    measured rounds
     * @param offWarmup   the publishes/s of each warm-up window of the component without metrics
     * @param onWarmup    the same with metrics
     * @param settled     whether both warm-ups settled ({@link Settling}) before their bound ran out
     */
    public record MetricsCost(List<Figures> off, List<Figures> on, double ratio, List<Double> offWarmup,
                              List<Double> onWarmup, boolean settled, ProcessFigures offProcess,
                              ProcessFigures onProcess) {
    }

    /** Publishes/s of consecutive metrics warm-up windows that count as settled: within 3 % of each other. */
    static final Settling METRICS_SETTLING = new Settling(0.03, 3, 20);
    /** The metrics section's measured rounds (each: both components, one after the other). */
    static final int METRICS_ROUNDS = 8;

    /**
     * Runs the metrics section: both components warm up in alternating windows of 2 s until each one's last
     * windows agree ({@link #METRICS_SETTLING}; bounded), then {@link #METRICS_ROUNDS} rounds with one component
     * loaded at a time, the order alternating (off/on, on/off, ...); {@code progress} gets one line per phase.
     */
    public static MetricsCost metricsCost(Timing t, Path work, Consumer<String> progress) throws IOException {
        Path dir = Files.createDirectories(work.resolve("metrics-" + UUID.randomUUID()));
        try {
            int nodes = t.quick() ? 1_000 : HOT_NODES;
            Path offData = dir.resolve("off").resolve("data");
            Path onData = dir.resolve("on").resolve("data");
            importSqlite(offData, nodes, LOG_PROVIDER, null);
            importSqlite(onData, nodes, LOG_PROVIDER, null);
            RemoteLoad.Nodes roundRobin = RemoteLoad.roundRobin(IntStream.range(0, nodes)
                    .mapToObj(Fixtures::node).toList());
            int rounds = t.quick() ? 1 : METRICS_ROUNDS;
            List<Figures> off = new ArrayList<>();
            List<Figures> on = new ArrayList<>();
            try (ComponentRig offRig = ComponentRig.start(new ComponentRig.Config(1, offData, null,
                    ComponentRig.Config.logProvider(), List.of("http () { admin () { port = 0", "metrics = false } }")),
                    Files.createDirectories(dir.resolve("off")), roundRobin);
                 ComponentRig onRig = ComponentRig.start(new ComponentRig.Config(1, onData, null,
                    ComponentRig.Config.logProvider(), List.of("http () { admin () { port = 0 } }")),
                    Files.createDirectories(dir.resolve("on")), roundRobin);
                 ProcessSampler offSampler = ProcessSampler.start(offRig.process());
                 ProcessSampler onSampler = ProcessSampler.start(onRig.process())) {
                prime(offRig, nodes, progress);
                prime(onRig, nodes, progress);
                // warm-up windows, alternating, until each component's rate has stopped moving: a component still
                // compiling (or its heap still growing) would make the first rounds decide the verdict
                List<Double> offWarmup = new ArrayList<>();
                List<Double> onWarmup = new ArrayList<>();
                int bound = t.quick() ? 2 : METRICS_SETTLING.maxWindows();
                for (int w = 1; w <= bound && !(METRICS_SETTLING.settled(offWarmup)
                        && METRICS_SETTLING.settled(onWarmup)); w++) {
                    if (!METRICS_SETTLING.settled(offWarmup)) {
                        offWarmup.add(run(offRig, List.of(warmupWindow("metrics off, warm-up " + w, t)), progress)
                                .get(0).resultsPerSecond());
                    }
                    if (!METRICS_SETTLING.settled(onWarmup)) {
                        onWarmup.add(run(onRig, List.of(warmupWindow("metrics on, warm-up " + w, t)), progress)
                                .get(0).resultsPerSecond());
                    }
                }
                boolean settled = METRICS_SETTLING.settled(offWarmup) && METRICS_SETTLING.settled(onWarmup);
                progress.accept(String.format(Locale.ROOT, "metrics warm-up %s after %d windows off, %d on",
                        settled ? "settled" : "NOT settled", offWarmup.size(), onWarmup.size()));
                // one component at a time, the order alternating, so that neither competes with the other for the
                // cores and a drift of the machine's load weighs on both alike
                for (int round = 1; round <= rounds; round++) {
                    boolean offFirst = round % 2 == 1;
                    for (boolean metricsOn : offFirst ? new boolean[] {false, true} : new boolean[] {true, false}) {
                        String name = (metricsOn ? "metrics on" : "metrics off") + ", round " + round;
                        (metricsOn ? on : off).addAll(run(metricsOn ? onRig : offRig,
                                List.of(metricsPhase(name, t)), progress));
                    }
                }
                offSampler.close();
                onSampler.close();
                double offSum = off.stream().mapToDouble(Figures::resultsPerSecond).sum();
                double onSum = on.stream().mapToDouble(Figures::resultsPerSecond).sum();
                return new MetricsCost(off, on, offSum == 0 ? Double.NaN : onSum / offSum, offWarmup, onWarmup,
                        settled, processFigures(offRig, offSampler), processFigures(onRig, onSampler));
            }
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    /** A metrics warm-up window: one connection, as fast as answered, at most 4,000 in flight, 2 s all measured. */
    private static RemoteLoad.Phase warmupWindow(String name, Timing t) {
        return new RemoteLoad.Phase(name, 0, 4_000, Duration.ZERO, t.measure(2), true, false);
    }

    /**
     * One measured round of the metrics section: one connection, as fast as answered, at most 4,000 in flight; 1 s
     * to fill the connection after the other component's turn, then 5 s measured.
     */
    private static RemoteLoad.Phase metricsPhase(String name, Timing t) {
        return new RemoteLoad.Phase(name, 0, 4_000, t.warmup(1), t.measure(5), true, false);
    }

    /**
     * Runs the phases back to back, reading every phase's figures at the end (answers to a phase that does not
     * drain arrive during the next); CPU per publish is not split by phase, so it is left out (NaN).
     */
    private static List<Figures> runTogether(ComponentRig rig, List<RemoteLoad.Phase> plan,
                                             Consumer<String> progress) {
        List<Figures> figures = new ArrayList<>();
        for (RemoteLoad.PhaseResult r : rig.load().run(plan)) {
            Figures f = Figures.of(r, Double.NaN, Double.NaN);
            progress.accept(f.toString());
            figures.add(f);
        }
        return figures;
    }

    /** Runs the phases one by one, each with the CPU the component and the generator used for it. */
    private static List<Figures> run(ComponentRig rig, List<RemoteLoad.Phase> plan, Consumer<String> progress) {
        List<Figures> figures = new ArrayList<>();
        for (RemoteLoad.Phase phase : plan) {
            long component = rig.process().cpuNanos();
            long generator = ownCpuNanos();
            RemoteLoad.PhaseResult r = rig.load().run(List.of(phase)).get(0);
            Figures f = Figures.of(r, perPublish(rig.process().cpuNanos() - component, r.sent()),
                    perPublish(ownCpuNanos() - generator, r.sent()));
            progress.accept(phase.offeredPerSecond() > 0 && !rig.load().timerSlackTightened()
                    ? f + " (the generator's timer slack could not be set to 1 µs: its parks end up to 50 µs late,"
                    + " which counts as latency)" : f.toString());
            figures.add(f);
        }
        return figures;
    }

    /** CPU time of this JVM (the load generator, and the suite around it). */
    static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double perPublish(long cpuNanos, long publishes) {
        return publishes == 0 || cpuNanos < 0 ? Double.NaN : cpuNanos / 1e3 / publishes;
    }

    /**
     * Two publishes to each of the first {@code nodes} nodes, so that the node cache holds them all (it keeps a
     * look-up's answer from the node's second look-up on; at most 60 s).
     */
    private static void prime(ComponentRig rig, int nodes, Consumer<String> progress) {
        run(rig, List.of(new RemoteLoad.Phase("priming the node cache (" + nodes + " nodes)", 0, 1_000, Duration.ZERO,
                Duration.ofSeconds(60), true, false, 2L * nodes)), progress);
    }

    private static ProcessFigures processFigures(ComponentRig rig, ProcessSampler sampler) {
        return new ProcessFigures(sampler.peakRssBytes(), sampler.maxThreads(), rig.process().isAlive(),
                rig.load().others(), rig.load().firstOther());
    }

    /**
     * Stores fixture registrations {@code [0, count)} in the embedded H2 store at {@code data}, in batches, until
     * done or until {@code budget} runs out (when not {@code null}).
     *
     * @return rows stored and the rate, as {@code [rows, per second]}
     */
    static double[] importH2(Path data, int count, String providerId, Duration budget) throws IOException {
        // owner only, as the store wants its directory
        Files.createDirectories(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rwx------")));
        try (JdbcRegistrationStore store = JdbcRegistrationStore.openH2(data)) {
            return importAll(store, count, providerId, budget);
        }
    }

    /** As {@link #importH2}, into the embedded SQLite store ({@code 'store' = 'sqlite'}) at {@code data}. */
    static double[] importSqlite(Path data, int count, String providerId, Duration budget) throws IOException {
        Files.createDirectories(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rwx------")));
        try (JdbcRegistrationStore store = JdbcRegistrationStore.openSqlite(data,
                JdbcRegistrationStore.DEFAULT_TABLE_PREFIX, false)) {
            return importAll(store, count, providerId, budget);
        }
    }

    /** Two threads, batches of 5,000 taken in turn, as the store benchmark loads. */
    private static double[] importAll(JdbcRegistrationStore store, int count, String providerId, Duration budget) {
        long start = System.nanoTime();
        long deadline = budget == null ? Long.MAX_VALUE : start + budget.toNanos();
        AtomicInteger nextBatch = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();
        Runnable loader = () -> {
            for (int from = nextBatch.getAndAdd(IMPORT_BATCH); from < count && System.nanoTime() < deadline;
                 from = nextBatch.getAndAdd(IMPORT_BATCH)) {
                int to = Math.min(count, from + IMPORT_BATCH);
                store.importAll(IntStream.range(from, to).mapToObj(i -> Fixtures.registration(i, providerId))
                        .toList());
                stored.addAndGet(to - from);
            }
        };
        CompletableFuture<Void> second = CompletableFuture.runAsync(loader, runnable -> {
            Thread t = new Thread(runnable, "cold-import");
            t.setDaemon(true);
            t.start();
        });
        loader.run();
        second.join();
        return new double[] {stored.get(), stored.get() / ((System.nanoTime() - start) / 1e9)};
    }

    /**
     * The cold-node rows: {@code registrations} stored, publishes spread over all of them in an order that
     * repeats no node before every one was published once (a stride through the registrations), so the node cache
     * never answers; first 10,000/s offered (after {@value #JIT_WARMUP_SECONDS} s at that rate), then a step search
     * for the highest rate with p99 under 10 ms.
     *
     * @param store        the store's name in the table
     * @param loaded       rows stored
     * @param loadPerSecond how fast they were stored
     * @param at10k        10,000 publishes/s offered
     * @param steps        the step search, in order: up from 10,000/s until a step misses, or down from it until
     *                     one holds; it also stops when the next step would publish a node a second time
     * @param sustained    the highest step offered rate met (p99 < 10 ms, ≥ 95 % answered, no error answer to a
     *                     measured publish); 0 if none
     * @param budgetReached whether the search stopped because the nodes ran out, not because a step missed
     * @param serverCpuMicros PostgreSQL: CPU per publish of this machine's {@code postgres} processes during the
     *                      10,000/s phase (warm-up included, as the component's); NaN for an embedded store or a
     *                      server elsewhere
     * @param serverSettings PostgreSQL: the server settings that decide how much of the work stays in memory, and
     *                      the registration table's size; {@code null} for an embedded store
     */
    public record Cold(String store, long loaded, long planned, double loadPerSecond, Figures at10k,
                       List<Figures> steps, double sustained, boolean budgetReached, ProcessFigures process,
                       double serverCpuMicros, String serverSettings) {
    }

    /** The p99 (ms) a cold step must stay under to count as sustained. */
    public static final double COLD_P99_MILLIS = 10;
    private static final double[] COLD_STEPS_UP = {15_000, 20_000, 30_000, 40_000, 60_000};
    private static final double[] COLD_STEPS_DOWN = {5_000, 2_500, 1_000};

    /** The embedded stores the cold rows can run on, by store id: H2 and SQLite (the component's default). */
    public static final List<String> EMBEDDED_STORES = List.of("h2", "sqlite");

    /**
     * Runs the cold-node rows on an embedded store ({@code jdbcUrl == null}) or on PostgreSQL (in a schema of its
     * own, dropped afterwards).
     *
     * @param embeddedStore one of {@link #EMBEDDED_STORES}: the store id the component is configured with when
     *                      {@code jdbcUrl} is {@code null}
     * @param loadBudget    how long storing the registrations may take; the rows say how many were stored
     */
    public static Cold cold(Timing t, Path work, String jdbcUrl, String embeddedStore, int registrations,
                            Duration loadBudget, Consumer<String> progress) throws IOException, SQLException {
        if (!EMBEDDED_STORES.contains(embeddedStore)) {
            throw new IllegalArgumentException("embedded store " + embeddedStore + "; known: " + EMBEDDED_STORES);
        }
        boolean sqlite = jdbcUrl == null && "sqlite".equals(embeddedStore);
        String storeName = jdbcUrl != null ? "PostgreSQL" : sqlite ? "SQLite embedded (default)" : "H2 embedded";
        Path dir = Files.createDirectories(work.resolve("cold-" + UUID.randomUUID()));
        String schema = "push_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = jdbcUrl == null ? null : jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema="
                + schema;
        try {
            Path data = jdbcUrl == null ? dir.resolve("data") : null;
            double[] loaded;
            String serverSettings = null;
            long started = System.nanoTime();
            if (sqlite) {
                loaded = importSqlite(data, registrations, LOG_PROVIDER, loadBudget);
            } else if (jdbcUrl == null) {
                loaded = importH2(data, registrations, LOG_PROVIDER, loadBudget);
            } else {
                execute(jdbcUrl, "CREATE SCHEMA " + schema);
                try (HikariDataSource ds = dataSource(url);
                     JdbcRegistrationStore store = JdbcRegistrationStore.open(ds)) {
                    loaded = importAll(store, registrations, LOG_PROVIDER, loadBudget);
                }
                // A service with a million registrations has a vacuumed, analysed table; right after the bulk load,
                // autovacuum's VACUUM ANALYZE of it otherwise ran inside the measured window (a core for a minute).
                execute(url, "VACUUM (ANALYZE) push_registration");
                serverSettings = query(url, SERVER_SETTINGS);
            }
            int rows = (int) loaded[0];
            progress.accept(String.format(Locale.ROOT, "cold (%s): %,d registrations stored in %.0f s",
                    storeName, rows, (System.nanoTime() - started) / 1e9));
            RemoteLoad.Nodes spread = spread(rows);
            try (ComponentRig rig = ComponentRig.start(new ComponentRig.Config(1, data, url,
                    ComponentRig.Config.logProvider(), sqlite ? List.of("'store' = 'sqlite'") : List.of()), dir,
                    spread);
                 ProcessSampler sampler = ProcessSampler.start(rig.process())) {
                // The JIT warm-up of the hot rows, on nodes of their own (300,000 of the million at 10,000/s):
                // the measured window is the compiled component's, not its first seconds.
                RemoteLoad.Phase first = new RemoteLoad.Phase("cold, 10,000/s offered", 10_000,
                        RemoteLoad.RING / 2, t.warmup(JIT_WARMUP_SECONDS), t.measure(20), true, true);
                long serverCpu = jdbcUrl == null ? -1 : LocalProcesses.cpuNanos("postgres");
                Figures at10k = run(rig, List.of(first), progress).get(0);
                long serverCpuAfter = serverCpu < 0 ? -1 : LocalProcesses.cpuNanos("postgres");
                double serverCpuMicros = serverCpuAfter < 0 ? Double.NaN
                        : perPublish(serverCpuAfter - serverCpu, at10k.sent());
                long used = at10k.sent();
                List<Figures> steps = new ArrayList<>();
                double sustained = sustained(at10k) ? 10_000 : 0;
                boolean budgetReached = false;
                // up from 10,000/s while it holds; down from it when it does not
                double[] rates = sustained > 0 ? COLD_STEPS_UP : COLD_STEPS_DOWN;
                for (double rate : rates) {
                    Duration warmup = t.warmup(1);
                    Duration measure = t.measure(6);
                    long needed = Math.round(rate * (warmup.toNanos() + measure.toNanos()) / 1e9);
                    if (used + needed > rows) {
                        budgetReached = true;
                        break;
                    }
                    Figures step = run(rig, List.of(new RemoteLoad.Phase(String.format(Locale.ROOT,
                            "cold step, %,.0f/s offered", rate), rate, RemoteLoad.RING / 2, warmup, measure,
                            true, true)), progress).get(0);
                    steps.add(step);
                    used += step.sent();
                    boolean held = sustained(step);
                    if (held) {
                        sustained = Math.max(sustained, rate);
                    }
                    if (held != (rates == COLD_STEPS_UP)) {
                        break;
                    }
                }
                sampler.close();
                return new Cold(storeName, rows, registrations,
                        loaded[1], at10k, steps, sustained, budgetReached, processFigures(rig, sampler),
                        serverCpuMicros, serverSettings);
            }
        } finally {
            if (jdbcUrl != null) {
                execute(jdbcUrl, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            Directories.deleteRecursively(dir);
        }
    }

    private static boolean sustained(Figures f) {
        return f.measuredErrors() == 0 && f.percentileMillis(99) < COLD_P99_MILLIS
                && f.resultsPerSecond() >= 0.95 * f.offeredPerSecond();
    }

    /**
     * Publish {@code k} goes to registration {@code (k * stride) mod rows}, with {@link #stride}: every node once
     * before any twice, neighbours far apart.
     */
    static RemoteLoad.Nodes spread(int rows) {
        long s = stride(rows);
        return (k, target, offset) -> {
            byte[] node = Fixtures.node((int) ((k % rows) * s % rows)).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(node, 0, target, offset, 32);
        };
    }

    /**
     * The step of {@link #spread} through the registrations: coprime with {@code rows} (so every one comes once
     * before any twice) and about {@code rows} divided by the golden ratio, so that publishes in a row go to
     * registrations stored far apart. The registrations are stored in index order, so a step close to a multiple
     * of {@code rows} (a fixed 1,000,003 with 1,000,000 rows steps by 3) would publish to neighbouring rows, whose
     * pages the store has just read, and flatter the look-ups of a cold node.
     */
    static long stride(int rows) {
        long stride = Math.max(1, Math.round(rows * 0.6180339887498949));
        while (gcd(stride, rows) != 1) {
            stride++;
        }
        return stride;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * The overload row: 60 s offered at {@code factor} times {@code capacity} on one connection, then 10 s at
     * 10,000/s measured from the moment the overload stops.
     */
    public record Overload(double capacity, double offered, Figures overload, Figures after,
                           ProcessFigures process) {
    }

    /**
     * Runs the overload row.
     *
     * @param capacity publishes/s one connection answers (the hot rows' figure), or 0 to measure it here first
     */
    public static Overload overload(Timing t, Path work, double capacity, double factor, Consumer<String> progress)
            throws IOException {
        Path dir = Files.createDirectories(work.resolve("overload-" + UUID.randomUUID()));
        try {
            Path data = dir.resolve("data");
            int nodes = t.quick() ? 1_000 : HOT_NODES;
            importSqlite(data, nodes, LOG_PROVIDER, null);
            try (ComponentRig rig = ComponentRig.start(new ComponentRig.Config(1, data, null,
                    ComponentRig.Config.logProvider()), dir, RemoteLoad.roundRobin(IntStream.range(0, nodes)
                    .mapToObj(Fixtures::node).toList()));
                 ProcessSampler sampler = ProcessSampler.start(rig.process())) {
                prime(rig, nodes, progress);
                double measured = capacity;
                if (measured <= 0) {
                    measured = run(rig, List.of(new RemoteLoad.Phase("capacity, as fast as answered", 0, 4_000,
                            t.warmup(3), t.measure(5), true, false)), progress).get(0).resultsPerSecond();
                }
                double offered = Math.max(factor * measured, 10_000);
                List<Figures> phases = runTogether(rig, List.of(
                        new RemoteLoad.Phase(String.format(Locale.ROOT, "overload, %,.0f/s offered", offered),
                                offered, RemoteLoad.RING / 2, Duration.ZERO, t.measure(60), false, false),
                        new RemoteLoad.Phase("after the overload, 10,000/s offered", 10_000, RemoteLoad.RING / 2,
                                Duration.ZERO, t.measure(10), true, true)), progress);
                Figures overload = phases.get(0);
                Figures after = phases.get(1);
                sampler.close();
                return new Overload(measured, offered, overload, after, processFigures(rig, sampler));
            }
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    /**
     * The outage row: the FCM provider with its OAuth token endpoint on a loopback port that refuses connections;
     * 200 publishes/s for 30 s, the first 10 s (while the provider learns of the outage) and the last 20 s
     * (after it had 2,000 failures to open its circuit) measured apart.
     */
    public record Outage(Figures opening, Figures open, Histogram all, ProcessFigures process) {
        /** A percentile over the whole run, in milliseconds. */
        public double percentileMillis(double percentile) {
            return all.getTotalCount() == 0 ? Double.NaN : all.getValueAtPercentile(percentile) / 1e6;
        }
    }

    /** Runs the outage row. */
    public static Outage outage(Timing t, Path work, Consumer<String> progress) throws IOException {
        Path dir = Files.createDirectories(work.resolve("outage-" + UUID.randomUUID()));
        try (FakeFcmServer fcm = FakeFcmServer.start()) {
            Path data = dir.resolve("data");
            int nodes = 1_000;
            importSqlite(data, nodes, FCM_PROVIDER, null);
            Path account = fcm.writeServiceAccountJson(dir);
            int refusing = closedPort();
            List<String> beans = List.of("'" + FCM_PROVIDER + "' () {",
                    "        'service-account-file' = '" + account.toAbsolutePath().toString().replace("\\", "/")
                            + "'",
                    "        'base-url' = '" + fcm.baseUrl() + "'",
                    "        'token-uri' = 'http://127.0.0.1:" + refusing + "/token'",
                    "    }");
            try (ComponentRig rig = ComponentRig.start(new ComponentRig.Config(1, data, null, beans), dir,
                    RemoteLoad.roundRobin(IntStream.range(0, nodes).mapToObj(Fixtures::node).toList()));
                 ProcessSampler sampler = ProcessSampler.start(rig.process())) {
                List<Figures> phases = runTogether(rig, List.of(
                        new RemoteLoad.Phase("outage, first 10 s (200/s)", 200, RemoteLoad.RING / 2, Duration.ZERO,
                                t.measure(10), false, true),
                        new RemoteLoad.Phase("outage, after 10 s (200/s)", 200, RemoteLoad.RING / 2, Duration.ZERO,
                                t.measure(20), true, true)), progress);
                Figures opening = phases.get(0);
                Figures open = phases.get(1);
                Histogram all = opening.latencies().copy();
                all.add(open.latencies());
                sampler.close();
                return new Outage(opening, open, all, processFigures(rig, sampler));
            }
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    /** A loopback port nothing listens on (bound, then released): connections to it are refused. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static HikariDataSource dataSource(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    /**
     * What decides whether PostgreSQL serves the cold rows from memory: its buffer cache against the registration
     * table with its indexes, and how much WAL may pile up before a checkpoint is forced (each forced checkpoint
     * makes the next write of every page a full-page image).
     */
    private static final String SERVER_SETTINGS = "SELECT 'shared_buffers ' || current_setting('shared_buffers')"
            + " || ', max_wal_size ' || current_setting('max_wal_size') || ', checkpoint_timeout '"
            + " || current_setting('checkpoint_timeout') || '; registrations with their indexes '"
            + " || pg_size_pretty(pg_total_relation_size('push_registration'))";

    /** The first column of the first row {@code sql} answers, as text. */
    private static String query(String url, String sql) throws SQLException {
        try (HikariDataSource ds = dataSource(url); Connection c = ds.getConnection();
             Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : "";
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (HikariDataSource ds = dataSource(url); Connection c = ds.getConnection();
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
