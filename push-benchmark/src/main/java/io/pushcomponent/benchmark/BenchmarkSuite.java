package io.pushcomponent.benchmark;

import io.pushcomponent.benchmark.apns.ApnsThroughputBenchmark;
import io.pushcomponent.benchmark.fcm.FcmThroughputBenchmark;
import io.pushcomponent.benchmark.jmh.HotPathBenchmarks;
import io.pushcomponent.benchmark.load.LoadGenerator;
import io.pushcomponent.benchmark.store.StoreBenchmark;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The benchmark suite of issue 8: runs every measurement in turn and writes one Markdown table with the targets,
 * the figures and the verdicts, to stdout and to a file.
 *
 * <pre>
 * mvn -B -ntp -q package -pl push-benchmark -am -DskipTests &amp;&amp; java -jar push-benchmark/target/push-benchmark.jar
 * </pre>
 *
 * <p>Options: {@code --quick} runs each piece for about a second (a smoke run; its figures mean nothing);
 * {@code --only jmh,component,providers,store,memory} runs some sections; {@code --out FILE} chooses the report
 * file (default {@code push-benchmark/target/benchmark-results.md} beside the jar).
 *
 * <p>Not thread-safe; one run per process.
 */
public final class BenchmarkSuite {
    /** The sections, in the order they run. */
    static final List<String> SECTIONS = List.of("jmh", "component", "providers", "store", "memory");

    private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";
    private static final String QUIET_LOGGING = "benchmark-logback.xml";
    private static final int CONNECTIONS = 4;
    private static final double RATE = 10_000;
    private static final double MB = 1024.0 * 1024.0;

    private final boolean quick;
    private final ResultTable table = new ResultTable();
    /** The store section's loaded H2 database, which the memory section reuses; deleted at the end. */
    private Path loadedStore;

    private BenchmarkSuite(boolean quick) {
        this.quick = quick;
    }

    /** Runs the suite; see the class documentation for the options. */
    public static void main(String[] args) throws Exception {
        // Before any logger exists: the component's jar brings an operator's logback.xml; the suite wants quiet.
        System.setProperty(LOGBACK_CONFIGURATION, QUIET_LOGGING);
        boolean quick = false;
        Set<String> only = new LinkedHashSet<>(SECTIONS);
        Path out = defaultReport();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> only = new LinkedHashSet<>(List.of(value(args, ++i).split(",")));
                case "--out" -> out = Path.of(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --quick, --only " + String.join(",", SECTIONS) + ", --out FILE");
            }
        }
        for (String section : only) {
            if (!SECTIONS.contains(section)) {
                throw new IllegalArgumentException("unknown section " + section + "; known: " + SECTIONS);
            }
        }
        String markdown = new BenchmarkSuite(quick).run(only, out);
        System.out.println();
        System.out.print(markdown);
        System.out.println();
        System.out.println("written to " + out.toAbsolutePath());
        System.exit(0);
    }

    /** Runs the chosen sections and returns the report it wrote to {@code out}. */
    String run(Set<String> sections, Path out) throws Exception {
        Instant started = Instant.now();
        double loadBefore = Machine.loadAverage();
        for (String section : SECTIONS) {
            if (!sections.contains(section)) {
                continue;
            }
            progress("section " + section);
            try {
                switch (section) {
                    case "jmh" -> jmh();
                    case "component" -> component();
                    case "memory" -> memory();
                    case "providers" -> providers();
                    case "store" -> store();
                    default -> throw new IllegalStateException(section);
                }
            } catch (Exception | Error e) {
                table.notRun(section, "(whole section)", "—", "failed: " + e);
                e.printStackTrace();
            }
        }
        if (loadedStore != null) {
            Directories.deleteRecursively(loadedStore);
        }
        if (quick) {
            table.note("--quick run: each piece ran for about a second; the figures are not measurements.");
        }
        table.note(String.format(Locale.ROOT, "One-minute load average before the run: %.2f, after: %.2f "
                + "(anything well above 0 means other processes shared the cores).", loadBefore,
                Machine.loadAverage()));
        String markdown = table.markdown(Machine.describe(), started, Instant.now());
        table.write(out, markdown);
        return markdown;
    }

    private void jmh() throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(HotPathBenchmarks.class.getName() + "\\.")
                .verbosity(VerboseMode.SILENT)
                // replaces the @Fork arguments, so they are repeated here
                .jvmArgsAppend("-Xms512m", "-Xmx512m", "-D" + LOGBACK_CONFIGURATION + "=" + QUIET_LOGGING)
                .timeUnit(TimeUnit.SECONDS);
        if (quick) {
            options.warmupIterations(1).warmupTime(TimeValue.milliseconds(300))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(500))
                    .forks(1);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> a.getParams().getBenchmark().compareTo(b.getParams().getBenchmark()));
        for (RunResult r : sorted) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            double score = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            table.info("hot path (JMH, 1 thread)", HotPathBenchmarks.describe(name),
                    String.format(Locale.ROOT, "%s ops/s%s", ResultTable.number(score),
                            Double.isNaN(error) ? "" : " ± " + ResultTable.number(error)));
        }
    }

    /** Max publishes/s answered, then latency at 10,000/s offered; both with a counting FakePushProvider. */
    private void component() throws Exception {
        int registrations = quick ? 1_000 : 10_000;
        LoadGenerator.Result max = LoadGenerator.run(new LoadGenerator.Settings(CONNECTIONS, registrations, 0,
                2_000, seconds(quick ? 0.5 : 5), seconds(quick ? 1 : 10), null, workDirectory(), null));
        check(max);
        table.atLeast("component (XEP-0114, FakePushProvider)", "publishes/s answered, as fast as answered ("
                        + CONNECTIONS + " connections, ≤ 2,000 in flight)", 50_000, max.answeredPerSecond(),
                "/s", String.format(Locale.ROOT, "service time p50 %s ms, p99 %s ms",
                        ms(max.percentileMillis(50)), ms(max.percentileMillis(99))));
        progress(describe(max));

        LoadGenerator.Result fixed = LoadGenerator.run(new LoadGenerator.Settings(CONNECTIONS, registrations,
                RATE, 100_000, seconds(quick ? 0.5 : 5), seconds(quick ? 1 : 15), null, workDirectory(), null));
        check(fixed);
        table.below("component (XEP-0114, FakePushProvider)", "p99 latency at 10,000 publishes/s offered "
                        + "(from intended send time)", 2, fixed.percentileMillis(99), "ms",
                String.format(Locale.ROOT, "p50 %s ms, p99.9 %s ms, max %s ms; %s/s answered",
                        ms(fixed.percentileMillis(50)), ms(fixed.percentileMillis(99.9)),
                        ms(fixed.latencies().getMaxValue() / 1e6), ResultTable.number(fixed.answeredPerSecond())));
        progress(describe(fixed));
    }

    /**
     * Heap and RSS with 1,000,000 registrations stored (embedded H2, the default) and 10,000 publishes/s: in the
     * store benchmark's loaded H2 database when the store section ran, otherwise in one loaded here; publishes go
     * round-robin over 100,000 further registrations (the node cache's size, so the cache fills as it would with
     * that many active devices).
     */
    private void memory() throws Exception {
        int published = quick ? 2_000 : 100_000;
        int toLoad = loadedStore == null ? (quick ? 10_000 : 1_000_000) : 0;
        Map<String, String> r = inOwnJvm(List.of(String.valueOf(CONNECTIONS), String.valueOf(published + toLoad),
                String.valueOf(RATE), "100000", quick ? "500" : "5000", quick ? "1500" : "15000",
                quick ? "500" : "8000", workDirectory().toString(),
                loadedStore == null ? "-" : loadedStore.toString()));
        if (Long.parseLong(r.get("errors")) > 0) {
            throw new IllegalStateException(r.get("errors") + " publishes were answered with an error");
        }
        String area = "memory (component + load generator in a JVM of their own, default flags)";
        table.below(area, String.format(Locale.ROOT, "heap after a full GC, %,d registrations in embedded H2, "
                        + "10,000 publishes/s flowing to %,d of them", Long.parseLong(r.get("stored")),
                published + toLoad), 256, Long.parseLong(r.get("heapAfterFullGc")) / MB, "MB",
                String.format(Locale.ROOT, "most after any GC %s MB; p99 %s ms; max heap %s MB",
                        ResultTable.number(Long.parseLong(r.get("maxHeapAfterGc")) / MB),
                        ms(Long.parseLong(r.get("p99Nanos")) / 1e6),
                        ResultTable.number(Long.parseLong(r.get("maxHeap")) / MB)));
        table.info(area, "resident set size (VmRSS at the end of the window / VmHWM peak, /proc/self/status)",
                String.format(Locale.ROOT, "%s MB / %s MB", ResultTable.number(Long.parseLong(r.get("rss")) / MB),
                        ResultTable.number(Long.parseLong(r.get("peakRss")) / MB)));
        progress("memory: " + r);
    }

    /** Runs {@link LoadGenerator#main} in a child JVM on this class path and returns its result line's pairs. */
    private static Map<String, String> inOwnJvm(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + LOGBACK_CONFIGURATION + "=" + QUIET_LOGGING,
                "-cp", System.getProperty("java.class.path"), LoadGenerator.class.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String l = out.readLine(); l != null; l = out.readLine()) {
                if (l.startsWith("RESULT ")) {
                    line = l;
                }
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the load generator's JVM did not finish within 10 minutes");
        }
        if (process.exitValue() != 0 || line == null) {
            throw new IllegalStateException("the load generator's JVM failed (exit " + process.exitValue() + ")");
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : line.substring("RESULT ".length()).split(" ")) {
            int eq = pair.indexOf('=');
            pairs.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return pairs;
    }

    /** Each provider next to the bare client it is built on, against the same fake server in the same run. */
    private void providers() throws Exception {
        FcmThroughputBenchmark.Figures fcm = quick
                ? FcmThroughputBenchmark.run(8, Duration.ofMillis(300), 2) : FcmThroughputBenchmark.run();
        table.atLeast("providers", "FCM provider / bare OkHttp loop, FakeFcmServer (median of windows, both at once)",
                90, 100 * fcm.ratio(), "%", String.format(Locale.ROOT,
                        "medians %s vs %s sends/s, %d in flight; windows %s–%s %%",
                        ResultTable.number(fcm.providerSendsPerSec()), ResultTable.number(fcm.bareSendsPerSec()),
                        fcm.concurrency(), ResultTable.number(100 * fcm.minRatio()),
                        ResultTable.number(100 * fcm.maxRatio())));
        progress("FCM: " + fcm);
        ApnsThroughputBenchmark.Options options = quick ? new ApnsThroughputBenchmark.Options(200, 50, 1, 1, 0)
                : ApnsThroughputBenchmark.Options.defaults();
        ApnsThroughputBenchmark.Figures apns = ApnsThroughputBenchmark.run(options);
        table.atLeast("providers", "APNs provider / bare pushy, FakeApnsServer (medians of alternating rounds)", 90,
                100 * apns.ratio(), "%", String.format(Locale.ROOT,
                        "%s vs %s notifications/s, %d in flight; head to head %s %%",
                        ResultTable.number(apns.providerPerSecond()), ResultTable.number(apns.pushyPerSecond()),
                        options.inFlight(), ResultTable.number(100 * apns.headToHead())));
        progress("APNs: " + apns);
    }

    /** StoreBenchmark's figures: 1,000,000 registrations in embedded H2, and PostgreSQL when configured. */
    private void store() {
        StoreBenchmark.Settings settings = StoreBenchmark.Settings.defaults(workDirectory());
        if (quick) {
            settings = new StoreBenchmark.Settings(2_000, 2, 200, 2_000, settings.loadBudget(),
                    settings.workDirectory(), settings.postgresUrl());
        }
        Path h2 = workDirectory().resolve("store-" + System.nanoTime());
        List<StoreBenchmark.Result> results = StoreBenchmark.run(settings, h2);
        loadedStore = h2;
        for (StoreBenchmark.Result r : results) {
            String area = "store: " + r.store() + String.format(Locale.ROOT, ", %,d registrations", r.rows())
                    + (r.rows() < r.plannedRows() ? String.format(Locale.ROOT, " (of %,d: the load budget ran out)",
                    r.plannedRows()) : "");
            table.below(area, "find by node, p99 (1 thread)", 1, r.findP99().toNanos() / 1e6, "ms",
                    String.format(Locale.ROOT, "p50 %s ms, p99.9 %s ms, max %s ms",
                            ms(r.findP50().toNanos() / 1e6), ms(r.findP999().toNanos() / 1e6),
                            ms(r.findMax().toNanos() / 1e6)));
            String registerDetail = String.format(Locale.ROOT, "%s µs CPU each; %d threads: %s/s; bulk import %s/s",
                    ResultTable.number(r.registerCpu().toNanos() / 1e3), r.threads(),
                    ResultTable.number(r.registerConcurrentPerSecond()), ResultTable.number(r.loadPerSecond()));
            if (r.store().startsWith("H2")) {
                table.atLeast(area, "register, 1 caller", 2_000, r.registerPerSecond(), "/s", registerDetail);
                table.info(area, "register, 1 caller, with data-fsync (survives power loss)",
                        ResultTable.number(r.registerFsyncPerSecond()) + " /s");
            } else {
                table.info(area, "register, 1 caller", ResultTable.number(r.registerPerSecond()) + " /s ("
                        + registerDetail + ")");
            }
            table.below(area, "heap after a full GC, store open and loaded", 256, r.heapUsedBytes() / MB, "MB",
                    "max heap " + ResultTable.number(r.heapMaxBytes() / MB) + " MB");
        }
        if (settings.postgresUrl() == null || settings.postgresUrl().isBlank()) {
            table.notRun("store: PostgreSQL", "find by node p99, register", "< 1 ms",
                    "skipped: set " + StoreBenchmark.POSTGRES_URL_VARIABLE + " to a JDBC URL to include it");
        }
    }

    private static void check(LoadGenerator.Result r) {
        if (r.errors() > 0) {
            throw new IllegalStateException(r.errors() + " publishes were answered with an error, e.g. "
                    + r.firstError());
        }
    }

    private static String describe(LoadGenerator.Result r) {
        return String.format(Locale.ROOT, "sent %,d (%,d measured), %,.0f answered/s, unanswered %d, provider sends "
                        + "%,d, p50 %s ms p99 %s ms p99.9 %s ms, heap after full GC %s MB, max after GC %s MB, "
                        + "RSS %s MB", r.sent(), r.measuredSent(), r.answeredPerSecond(), r.unanswered(),
                r.providerSends(), ms(r.percentileMillis(50)), ms(r.percentileMillis(99)),
                ms(r.percentileMillis(99.9)), ResultTable.number(r.heapAfterFullGcBytes() / MB),
                ResultTable.number(r.maxHeapAfterGcBytes() / MB), ResultTable.number(r.rssBytes() / MB));
    }

    private static String ms(double millis) {
        return ResultTable.number(millis);
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static Path workDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "push-benchmark");
    }


    private static Path defaultReport() {
        try {
            Path jar = Path.of(BenchmarkSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = jar.getParent() == null ? Path.of(".") : jar.getParent();
            return dir.resolve("benchmark-results.md");
        } catch (Exception e) {
            return Path.of("benchmark-results.md");
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static void progress(String message) {
        System.err.printf(Locale.ROOT, "[%tT] %s%n", System.currentTimeMillis(), message);
    }
}
