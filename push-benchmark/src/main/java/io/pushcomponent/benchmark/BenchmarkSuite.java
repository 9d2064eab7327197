package io.pushcomponent.benchmark;

import io.pushcomponent.benchmark.jmh.HotPathBenchmarks;
import java.nio.file.Path;
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
 * The benchmark suite of issue 8: runs every measurement in turn and writes one Markdown table with the targets,
 * the figures and the verdicts, to stdout and to a file.
 *
 * <pre>
 * mvn -B -ntp -q package -pl push-benchmark -am -DskipTests &amp;&amp; java -jar push-benchmark/target/push-benchmark.jar
 * </pre>
 *
 * <p>Options: {@code --quick} runs each piece for about a second (a smoke run; its figures mean nothing);
 * {@code --only jmh,component,memory,providers,store} runs some sections; {@code --out FILE} chooses the report
 * file (default {@code push-benchmark/target/benchmark-results.md} beside the jar).
 *
 * <p>Not thread-safe; one run per process.
 */
public final class BenchmarkSuite {
    /** The sections, in the order they run. */
    static final List<String> SECTIONS = List.of("jmh", "component", "memory", "providers", "store");

    private final boolean quick;
    private final ResultTable table = new ResultTable();

    private BenchmarkSuite(boolean quick) {
        this.quick = quick;
    }

    /** Runs the suite; see the class documentation for the options. */
    public static void main(String[] args) throws Exception {
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
                    default -> throw new IllegalStateException(section);
                }
            } catch (Exception | Error e) {
                table.notRun(section, "(whole section)", "—", "failed: " + e);
                e.printStackTrace();
            }
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
                .timeUnit(TimeUnit.SECONDS);
        if (quick) {
            options.warmupIterations(1).warmupTime(TimeValue.milliseconds(300))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(500))
                    .forks(1).jvmArgsAppend("-Xms64m", "-Xmx256m");
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
