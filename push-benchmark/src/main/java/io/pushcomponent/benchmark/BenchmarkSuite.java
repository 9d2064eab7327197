package io.pushcomponent.benchmark;

import io.pushcomponent.benchmark.apns.ApnsThroughputBenchmark;
import io.pushcomponent.benchmark.fcm.FcmThroughputBenchmark;
import io.pushcomponent.benchmark.jmh.HotPathBenchmarks;
import io.pushcomponent.benchmark.remote.ComponentBenchmarks;
import io.pushcomponent.benchmark.remote.UnifiedPushBenchmarks;
import io.pushcomponent.benchmark.store.StoreBenchmark;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
 * The benchmark suite of issues 8 and 11: runs every measurement in turn and writes one Markdown table with the targets,
 * the figures and the verdicts, to stdout and to a file.
 *
 * <pre>
 * mvn -B -ntp -q package -pl push-benchmark -am -DskipTests &amp;&amp; java -jar push-benchmark/target/push-benchmark.jar
 * </pre>
 *
 * <p>Options: {@code --quick} runs each piece for about a second (a smoke run; its figures mean nothing);
 * {@code --only jmh,component,metrics,cold,overload,outage,unifiedpush,providers,store} runs some sections;
 * {@code --cold-stores h2,sqlite} chooses the embedded stores the cold rows run on, in that order (default
 * {@code sqlite}, the component's default store); {@code --out FILE} chooses the report file (default {@code push-benchmark/target/benchmark-results.md} beside the jar). The component
 * sections run the shaded {@code push-component.jar} in a JVM of its own through {@code packaging/bin/push-component}
 * (see {@link ComponentBenchmarks}).
 *
 * <p>Not thread-safe; one run per process.
 */
public final class BenchmarkSuite {
    /** The sections, in the order they run. */
    static final List<String> SECTIONS = List.of("jmh", "component", "metrics", "cold", "overload", "outage",
            "unifiedpush", "providers", "store");
    /** The least share of throughput the metrics listener may leave (it may cost 5 %). */
    static final double METRICS_MIN_RATIO = 0.95;

    private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";
    private static final String QUIET_LOGGING = "benchmark-logback.xml";
    private static final double MB = 1024.0 * 1024.0;
    private static final int COLD_REGISTRATIONS = 1_000_000;
    /** How long storing the cold rows' registrations may take, per store. */
    private static final Duration COLD_LOAD_BUDGET = Duration.ofMinutes(8);
    private static final double OVERLOAD_FACTOR = 5;

    private final boolean quick;
    /** The embedded stores the cold rows run on ({@code --cold-stores}). */
    private final List<String> coldStores;
    private final ResultTable table = new ResultTable();
    /** Publishes/s one connection answered in the component section; 0 until it ran. */
    private double capacity;

    private BenchmarkSuite(boolean quick, List<String> coldStores) {
        this.quick = quick;
        this.coldStores = coldStores;
    }

    /** Runs the suite; see the class documentation for the options. */
    public static void main(String[] args) throws Exception {
        // Before any logger exists: the suite wants quiet logging, not the runnable jar's operator configuration.
        System.setProperty(LOGBACK_CONFIGURATION, QUIET_LOGGING);
        boolean quick = false;
        Set<String> only = new LinkedHashSet<>(SECTIONS);
        Path out = defaultReport();
        List<String> coldStores = List.of("sqlite");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> only = new LinkedHashSet<>(List.of(value(args, ++i).split(",")));
                case "--cold-stores" -> coldStores = List.of(value(args, ++i).split(","));
                case "--out" -> out = Path.of(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --quick, --only " + String.join(",", SECTIONS) + ", --cold-stores "
                        + String.join(",", ComponentBenchmarks.EMBEDDED_STORES) + ", --out FILE");
            }
        }
        for (String store : coldStores) {
            if (!ComponentBenchmarks.EMBEDDED_STORES.contains(store)) {
                throw new IllegalArgumentException("unknown embedded store " + store + "; known: "
                        + ComponentBenchmarks.EMBEDDED_STORES);
            }
        }
        for (String section : only) {
            if (!SECTIONS.contains(section)) {
                throw new IllegalArgumentException("unknown section " + section + "; known: " + SECTIONS);
            }
        }
        String markdown = new BenchmarkSuite(quick, coldStores).run(only, out);
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
            int firstRow = table.size();
            double sectionLoad = Machine.loadAverage();
            try {
                switch (section) {
                    case "jmh" -> jmh();
                    case "component" -> component();
                    case "metrics" -> metrics();
                    case "cold" -> cold();
                    case "overload" -> overload();
                    case "outage" -> outage();
                    case "unifiedpush" -> unifiedPush();
                    case "providers" -> providers();
                    case "store" -> store();
                    default -> throw new IllegalStateException(section);
                }
            } catch (Exception | Error e) {
                table.notRun(section, "(whole section)", "—", "failed: " + e);
                e.printStackTrace();
            }
            table.annotate(firstRow, String.format(Locale.ROOT, "load average %.1f before the section, %.1f after",
                    sectionLoad, Machine.loadAverage()));
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

    /**
     * The component in a JVM of its own, started by the shipped launcher: one connection as fast as answered, at
     * 30,000/s and 10,000/s offered; the floor at the same two rates (what the machine gives a component that does
     * nothing but answer); then four connections as fast as answered.
     */
    private void component() throws Exception {
        ComponentBenchmarks.Hot hot = ComponentBenchmarks.hot(timing(), workDirectory(),
                BenchmarkSuite::progress);
        capacity = hot.oneMax().resultsPerSecond();
        String area = "component, 1 connection (its own JVM, launcher flags; log provider)";
        ComponentBenchmarks.Figures max = hot.oneMax();
        table.atLeast(area, "publishes/s answered, as fast as answered (≤ 4,000 in flight)", 100_000,
                max.resultsPerSecond(), "/s", String.format(Locale.ROOT, "service time p50 %s ms, p99 %s ms%s; "
                                + "component peak RSS %s MB, %d threads", ms(max.percentileMillis(50)),
                        ms(max.percentileMillis(99)), errors(max), mb(hot.one().peakRssBytes()),
                        hot.one().maxThreads()));
        List<ComponentBenchmarks.Figures> floor = List.of(hot.floor30k(), hot.floor10k());
        List<ComponentBenchmarks.Figures> measured = List.of(hot.one30k(), hot.one10k());
        for (int i = 0; i < measured.size(); i++) {
            ComponentBenchmarks.Figures f = measured.get(i);
            table.below(area, String.format(Locale.ROOT, "p99 latency at %s publishes/s offered (from intended "
                            + "send time)", ResultTable.number(f.offeredPerSecond())),
                    f.offeredPerSecond() > 20_000 ? 1 : 0.5, f.percentileMillis(99), "ms", latencyDetail(f)
                            + String.format(Locale.ROOT, "; the floor, same run: p99 %s ms",
                            ms(floor.get(i).percentileMillis(99))));
        }
        for (ComponentBenchmarks.Figures f : floor) {
            table.info("floor: a bare XEP-0114 echo (its own JVM, one thread, no XML parser, no store), 1 connection,"
                    + " same generator", String.format(Locale.ROOT, "p99 latency at %s publishes/s offered (from "
                            + "intended send time)", ResultTable.number(f.offeredPerSecond())),
                    String.format(Locale.ROOT, "%s ms (%s; CPU per publish: echo %s µs, generator %s µs)",
                            ms(f.percentileMillis(99)), latencyDetail(f), ResultTable.number(f.componentCpuMicros()),
                            ResultTable.number(f.generatorCpuMicros())));
        }
        ComponentBenchmarks.Figures four = hot.fourMax();
        table.info("component, 4 connections (its own JVM, launcher flags)", "publishes/s answered, as fast as "
                        + "answered (≤ 8,000 in flight)", String.format(Locale.ROOT, "%s /s (service time p50 %s ms, "
                                + "p99 %s ms%s; %s× one connection)", ResultTable.number(four.resultsPerSecond()),
                        ms(four.percentileMillis(50)), ms(four.percentileMillis(99)), errors(four),
                        ResultTable.number(four.resultsPerSecond() / max.resultsPerSecond())));
        check(hot.one(), "the one-connection component");
        check(hot.four(), "the four-connection component");
    }

    /**
     * The metrics listener's cost: throughput with metrics recorded (Micrometer, served at {@code /metrics}) over
     * throughput without, same run, after a warm-up that ends when the rates have settled, one component loaded at a
     * time, order alternating.
     */
    private void metrics() throws Exception {
        ComponentBenchmarks.MetricsCost m = ComponentBenchmarks.metricsCost(timing(), workDirectory(),
                BenchmarkSuite::progress);
        StringBuilder rounds = new StringBuilder();
        for (int i = 0; i < m.off().size(); i++) {
            double off = m.off().get(i).resultsPerSecond();
            double on = m.on().get(i).resultsPerSecond();
            rounds.append(i == 0 ? "" : "; ").append(String.format(Locale.ROOT, "round %d: off %s/s, on %s/s (%.2f)",
                    i + 1, ResultTable.number(off), ResultTable.number(on), on / off));
        }
        double offCpu = m.off().stream().mapToDouble(ComponentBenchmarks.Figures::componentCpuMicros).average()
                .orElse(Double.NaN);
        double onCpu = m.on().stream().mapToDouble(ComponentBenchmarks.Figures::componentCpuMicros).average()
                .orElse(Double.NaN);
        String warmup = String.format(Locale.ROOT, "warm-up %s: off %d windows (%s/s), on %d windows (%s/s)",
                m.settled() ? "settled" : "NOT settled within its bound", m.offWarmup().size(),
                windows(m.offWarmup()), m.onWarmup().size(), windows(m.onWarmup()));
        String area = "component, metrics listener on (push-metrics-micrometer, admin listener) vs off "
                + "(metrics = false), 1 connection each, as fast as answered, one at a time, order alternating, "
                + "after a warm-up until each one's rate settled";
        String figure = "publishes/s answered with metrics on ÷ off, summed over the rounds, same run";
        String detail = String.format(Locale.ROOT, "%s; %s; component CPU per publish: off %s µs, on %s µs; peak "
                        + "RSS off %s MB, on %s MB", warmup, rounds, ResultTable.number(offCpu),
                ResultTable.number(onCpu), mb(m.offProcess().peakRssBytes()), mb(m.onProcess().peakRssBytes()));
        if (m.settled()) {
            table.atLeast(area, figure, METRICS_MIN_RATIO, m.ratio(), "×", detail);
        } else {
            table.atLeastInconclusive(area, figure, METRICS_MIN_RATIO, m.ratio(), "×", detail,
                    "the warm-up windows' rates never settled (a busy machine?); measure again");
        }
        check(m.offProcess(), "the component without metrics");
        check(m.onProcess(), "the component with metrics");
    }

    private static String windows(List<Double> rates) {
        StringBuilder s = new StringBuilder();
        for (double r : rates) {
            s.append(s.length() == 0 ? "" : ", ").append(ResultTable.number(r));
        }
        return s.toString();
    }

    /**
     * Cold nodes: 1,000,000 registrations in each embedded store of {@code --cold-stores} (and in PostgreSQL when
     * configured), publishes that never hit the node cache, 10,000/s offered; then the highest rate with p99 under
     * 10 ms.
     */
    private void cold() throws Exception {
        int registrations = quick ? 20_000 : COLD_REGISTRATIONS;
        String postgres = System.getenv(StoreBenchmark.POSTGRES_URL_VARIABLE);
        // an embedded store's id, or a PostgreSQL URL
        List<String> runs = new ArrayList<>(coldStores);
        if (postgres != null && !postgres.isBlank()) {
            runs.add(postgres);
        }
        for (String run : runs) {
            boolean embedded = coldStores.contains(run);
            ComponentBenchmarks.Cold c = ComponentBenchmarks.cold(timing(), workDirectory(), embedded ? null : run,
                    embedded ? run : "sqlite", registrations, COLD_LOAD_BUDGET, BenchmarkSuite::progress);
            String area = String.format(Locale.ROOT, "component, cold nodes, %s, %,d registrations%s (its own "
                    + "JVM, 1 connection)", c.store(), c.loaded(), c.loaded() < c.planned() ? String.format(
                    Locale.ROOT, " (of %,d: the load budget ran out)", c.planned()) : "");
            ComponentBenchmarks.Figures f = c.at10k();
            table.below(area, "p99 latency at 10,000 publishes/s offered, no node repeated within the node "
                    + "cache's lifetime", ComponentBenchmarks.COLD_P99_MILLIS, f.percentileMillis(99), "ms",
                    latencyDetail(f) + String.format(Locale.ROOT, "; component CPU %s µs per publish%s; peak RSS "
                            + "%s MB, %d threads%s", ResultTable.number(f.componentCpuMicros()),
                            Double.isNaN(c.serverCpuMicros()) ? "" : String.format(Locale.ROOT, ", this machine's "
                                    + "postgres processes %s µs", ResultTable.number(c.serverCpuMicros())),
                            mb(c.process().peakRssBytes()), c.process().maxThreads(),
                            c.serverSettings() == null ? "" : "; server: " + c.serverSettings()));
            StringBuilder steps = new StringBuilder();
            for (ComponentBenchmarks.Figures s : c.steps()) {
                steps.append(steps.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT,
                        "%s/s: p99 %s ms, %s/s answered", ResultTable.number(s.offeredPerSecond()),
                        ms(s.percentileMillis(99)), ResultTable.number(s.resultsPerSecond())));
            }
            table.info(area, "highest cold rate sustained (p99 < 10 ms, ≥ 95 % answered, no error answer to a "
                    + "measured publish; steps of 7 s)", String.format(Locale.ROOT, "%s%s /s%s%s",
                    c.budgetReached() && c.sustained() > 0 ? "≥ " : "",
                    ResultTable.number(c.sustained()), c.budgetReached() ? " (the next step would have "
                            + "repeated nodes)" : "", steps.length() == 0 ? "" : " (" + steps + ")"));
            check(c.process(), "the cold-node component");
        }
        if (runs.size() == coldStores.size()) {
            table.notRun("component, cold nodes, PostgreSQL", "p99 latency at 10,000 publishes/s offered",
                    "< 10 ms", "skipped: set " + StoreBenchmark.POSTGRES_URL_VARIABLE + " to a JDBC URL to include "
                            + "it");
        }
    }

    /** 60 s offered at five times one connection's capacity, then 10 s at 10,000/s. */
    private void overload() throws Exception {
        ComponentBenchmarks.Overload o = ComponentBenchmarks.overload(timing(), workDirectory(), capacity,
                OVERLOAD_FACTOR, BenchmarkSuite::progress);
        String area = String.format(Locale.ROOT, "component, overload: 60 s at %s/s offered (%s× the %s/s one "
                        + "connection answered), 1 connection, launcher flags", ResultTable.number(o.offered()),
                ResultTable.number(o.offered() / o.capacity()), ResultTable.number(o.capacity()));
        ComponentBenchmarks.Figures f = o.overload();
        table.below(area, "peak RSS of the component (VmHWM, /proc/<pid>/status)", 400,
                o.process().peakRssBytes() / MB, "MB", String.format(Locale.ROOT, "during the overload "
                                + "%s/s answered (%s results), %,d errors (%,d wait), %,d never sent (TCP "
                                + "back-pressure held the generator %s s)", ResultTable.number(f.answeredPerSecond()),
                        ResultTable.number(f.resultsPerSecond()), f.errors(), f.waitErrors(), f.unsent(),
                        ResultTable.number(f.sendStalledSeconds())));
        table.below(area, "most threads of the component (Threads, /proc/<pid>/status)", 100,
                o.process().maxThreads(), "", "");
        table.check(area, "no crash: the component runs on, its stream open", "alive",
                o.process().alive() && o.process().otherStanzas() == 0, o.process().alive()
                        ? (o.process().otherStanzas() == 0 ? "alive" : "alive; " + o.process().firstOther())
                        : "ended");
        ComponentBenchmarks.Figures after = o.after();
        table.below(area, "p99 latency in the 10 s after the load stops (10,000/s offered)", 5,
                after.percentileMillis(99), "ms", latencyDetail(after));
    }

    /** FCM with its OAuth token endpoint refusing connections. */
    private void outage() throws Exception {
        ComponentBenchmarks.Outage o = ComponentBenchmarks.outage(timing(), workDirectory(),
                BenchmarkSuite::progress);
        String area = "component, outage: FCM token endpoint refusing connections, 200 publishes/s for 30 s";
        table.below(area, "p90 of answers (from intended send time)", 1_000, o.percentileMillis(90), "ms",
                String.format(Locale.ROOT, "p50 %s ms, p99 %s ms, max %s ms", ms(o.percentileMillis(50)),
                        ms(o.percentileMillis(99)), ms(o.all().getMaxValue() / 1e6)));
        ComponentBenchmarks.Figures open = o.open();
        table.below(area, "p90 of answers once the circuit is open (publishes from 10 s on)", 100,
                open.percentileMillis(90), "ms", latencyDetail(open));
        long cancels = o.opening().cancelErrors() + open.cancelErrors();
        long errors = o.opening().errors() + open.errors();
        table.check(area, "no cancel error (a provider outage is temporary: wait)", "0 cancel", cancels == 0,
                String.format(Locale.ROOT, "%,d cancel of %,d errors; first error: %s", cancels, errors,
                        o.opening().firstError() == null ? "none" : ResultTable.code(o.opening().firstError())));
        check(o.process(), "the outage component");
    }

    /**
     * UnifiedPush: HTTP POST to an endpoint, relayed as a {@code <push/>} IQ over the component's one connection,
     * answered by the client, {@code 201} to the poster; as fast as answered, then at half that rate.
     */
    private void unifiedPush() throws Exception {
        UnifiedPushBenchmarks.Result r = UnifiedPushBenchmarks.run(timing(), workDirectory(),
                BenchmarkSuite::progress);
        String area = String.format(Locale.ROOT, "UnifiedPush, POST → <push> IQ → 201, 1 XMPP connection (its own "
                + "JVM, launcher flags; public HTTP listener, %d threads; a new TCP connection per POST; %,d "
                + "endpoints)", r.listenerThreads(), r.endpoints());
        UnifiedPushBenchmarks.Figures fast = r.fastest();
        table.info(area, "POSTs/s answered 201, as fast as answered (16 posters)", String.format(Locale.ROOT,
                "%s /s (service time p50 %s ms, p99 %s ms, max %s ms; component CPU %s µs per POST%s)",
                ResultTable.number(fast.perSecond()), ms(fast.percentileMillis(50)), ms(fast.percentileMillis(99)),
                ms(fast.maxMillis()), ResultTable.number(fast.componentCpuMicros()), otherAnswers(fast)));
        UnifiedPushBenchmarks.Figures fixed = r.fixed();
        table.info(area, String.format(Locale.ROOT, "p99 latency at %s POSTs/s offered (half of the above; from "
                        + "intended send time)", ResultTable.number(fixed.offeredPerSecond())),
                String.format(Locale.ROOT, "%s ms (p50 %s ms, p99.9 %s ms, max %s ms; %s/s answered 201; component "
                                + "CPU %s µs per POST%s)", ms(fixed.percentileMillis(99)), ms(fixed.percentileMillis(50)),
                        ms(fixed.percentileMillis(99.9)), ms(fixed.maxMillis()), ResultTable.number(fixed.perSecond()),
                        ResultTable.number(fixed.componentCpuMicros()), otherAnswers(fixed)));
    }

    private static String otherAnswers(UnifiedPushBenchmarks.Figures f) {
        return f.other() == 0 ? "" : String.format(Locale.ROOT, "; %,d other answers, the first: %s", f.other(),
                f.firstOther());
    }

    private static String latencyDetail(ComponentBenchmarks.Figures f) {
        return String.format(Locale.ROOT, "p50 %s ms, p99.9 %s ms, max %s ms; %s/s answered%s%s",
                ms(f.percentileMillis(50)), ms(f.percentileMillis(99.9)), ms(f.maxMillis()),
                ResultTable.number(f.answeredPerSecond()), errors(f),
                Double.isNaN(f.senderLateMillis(99)) ? "" : String.format(Locale.ROOT,
                        "; the generator's own lateness in sending, included: p99 %s ms",
                        ms(f.senderLateMillis(99))));
    }

    private static String errors(ComponentBenchmarks.Figures f) {
        return (f.errors() == 0 ? "" : String.format(Locale.ROOT,
                "; %,d error answers (%,d wait, %,d cancel; %,d to measured publishes, the rest in the warm-up)",
                f.errors(), f.waitErrors(), f.cancelErrors(), f.measuredErrors()))
                + (f.unanswered() == 0 ? "" : String.format(Locale.ROOT, "; %,d unanswered", f.unanswered()));
    }

    /** A component that ended during its run, or that closed its stream, makes the section fail. */
    private static void check(ComponentBenchmarks.ProcessFigures p, String what) {
        if (!p.alive()) {
            throw new IllegalStateException(what + " ended during the run");
        }
        if (p.otherStanzas() > 0) {
            progress(what + ": " + p.otherStanzas() + " stanzas or events other than answers, the first: "
                    + p.firstOther());
        }
    }

    private ComponentBenchmarks.Timing timing() {
        return new ComponentBenchmarks.Timing(quick);
    }

    private static String mb(long bytes) {
        return ResultTable.number(bytes / MB);
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
        List<StoreBenchmark.Result> results = StoreBenchmark.run(settings);
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
