package io.pushcomponent.benchmark.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.store.internal.JdbcRegistrationStore;
import io.pushcomponent.benchmark.Directories;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * The store rows of the benchmark suite: how {@link JdbcRegistrationStore} behaves with 1,000,000 registrations,
 * in embedded H2 (file mode) and, when {@value #POSTGRES_URL_VARIABLE} is set, in PostgreSQL.
 *
 * <p>For each store it measures, on fresh tables (every change is in the database when it returns, so it survives
 * a killed process):
 * <ol>
 *   <li><b>load</b>: the registrations are stored with {@link JdbcRegistrationStore#importAll} in batches of
 *       {@value #LOAD_BATCH} by {@link Settings#threads()} threads;</li>
 *   <li><b>register</b>: {@link Settings#registerSamples()} further registrations through
 *       {@link DeviceRegistrationStore#register}, on top of the loaded rows, first by one thread (the rate one caller
 *       sees; target: at least 2,000/s on embedded H2), then as many again by {@link Settings#threads()}
 *       threads;</li>
 *   <li><b>find by node</b>: {@link Settings#lookups()} lookups of random stored nodes by one thread, after a
 *       warm-up, each timed into an HdrHistogram (target: p99 below 1 ms). The loop is closed (the next lookup
 *       starts when the previous one returned), so the percentiles are service times; no coordinated omission
 *       arises because nothing is offered at a fixed rate;</li>
 *   <li><b>heap</b>: heap in use after a full collection with the store open and every row loaded (target: below
 *       256 MB);</li>
 *   <li><b>register with fsync</b> (H2 only): {@link Settings#registerSamples()} registrations by one thread with
 *       the store reopened with {@code fsync} (the component's {@code data-fsync}), which forces every change to the
 *       disk so that it survives power loss.</li>
 * </ol>
 * Nodes, tokens and owners are derived from the row number, so the benchmark itself keeps no per-row state on the
 * heap; nodes are 128-bit random-looking hex like the app server's.
 *
 * <p>Run: {@code java -Xmx256m -cp ... io.pushcomponent.benchmark.store.StoreBenchmark [registrations [threads]]};
 * it prints a Markdown table. Not thread-safe; one run at a time per H2 directory. PostgreSQL tables get a unique
 * prefix and are dropped at the end.
 */
public final class StoreBenchmark {
    /** The environment variable holding a PostgreSQL JDBC URL; without it the PostgreSQL row is left out. */
    public static final String POSTGRES_URL_VARIABLE = "PUSH_TEST_POSTGRES_URL";

    private StoreBenchmark() {
    }

    /**
     * What to run.
     *
     * @param registrations   rows loaded before measuring
     * @param threads         threads loading, and registering in the concurrent register phase
     * @param registerSamples registrations timed with one thread, then again with {@code threads} threads
     * @param lookups         timed lookups by node (a fifth as many run first as warm-up)
     * @param loadBudget      loading a store stops after this long, so that a slow or busy machine still ends in
     *                        bounded time; the result then shows how many rows were loaded
     * @param workDirectory   where the H2 database is created (deleted afterwards)
     * @param postgresUrl     JDBC URL of a PostgreSQL database, or {@code null} to leave PostgreSQL out
     */
    public record Settings(int registrations, int threads, int registerSamples, int lookups, Duration loadBudget,
                           Path workDirectory, String postgresUrl) {
        public Settings {
            Objects.requireNonNull(loadBudget, "loadBudget");
            Objects.requireNonNull(workDirectory, "workDirectory");
            if (registrations < 1 || threads < 1 || registerSamples < 1 || lookups < 1) {
                throw new IllegalArgumentException("counts must be positive");
            }
        }

        /**
         * 1,000,000 registrations loaded by 2 threads within 3 minutes per store, 10,000 timed registrations per
         * phase and 200,000 timed lookups.
         */
        public static Settings defaults(Path workDirectory) {
            return new Settings(1_000_000, 2, 10_000, 200_000, Duration.ofMinutes(3), workDirectory,
                    System.getenv(POSTGRES_URL_VARIABLE));
        }

        /** The same settings with another number of registrations to load. */
        public Settings withRegistrations(int count) {
            return new Settings(count, threads, registerSamples, lookups, loadBudget, workDirectory, postgresUrl);
        }

        /** The same settings with another number of threads. */
        public Settings withThreads(int count) {
            return new Settings(registrations, count, registerSamples, lookups, loadBudget, workDirectory,
                    postgresUrl);
        }
    }

    /**
     * The figures of one store.
     *
     * @param store             which store and database
     * @param rows              registrations stored when the lookups ran
     * @param plannedRows       registrations that would be stored had loading finished within its budget
     * @param loadPerSecond     registrations per second imported in batches while loading
     * @param threads           threads used to load and in the concurrent register phase
     * @param registerPerSecond registrations per second of a single caller on top of the loaded rows
     * @param registerCpu       CPU time of this process (store, database if embedded, benchmark) per registration
     *                          in the single-caller phase: unlike the rate, not inflated by other processes
     * @param registerConcurrentPerSecond registrations per second of {@code threads} concurrent callers
     * @param lookups           lookups timed
     * @param findP50           median find-by-node latency
     * @param findP99           99th percentile
     * @param findP999          99.9th percentile
     * @param findMax           slowest lookup
     * @param heapUsedBytes     heap in use after a full collection, store open and loaded
     * @param heapMaxBytes      the JVM's maximum heap
     * @param registerFsyncPerSecond registrations per second of a single caller with {@code fsync} after every
     *                          change (embedded H2 only; NaN when not measured)
     */
    public record Result(String store, long rows, long plannedRows, double loadPerSecond, int threads, double registerPerSecond,
                         Duration registerCpu, double registerConcurrentPerSecond,
                         long lookups, Duration findP50, Duration findP99, Duration findP999, Duration findMax,
                         long heapUsedBytes, long heapMaxBytes, double registerFsyncPerSecond) {
        Result withRegisterFsync(double perSecond) {
            return new Result(store, rows, plannedRows, loadPerSecond, threads, registerPerSecond, registerCpu,
                    registerConcurrentPerSecond, lookups, findP50, findP99, findP999, findMax, heapUsedBytes,
                    heapMaxBytes, perSecond);
        }
    }

    /**
     * Runs the store benchmark against embedded H2, then PostgreSQL when a URL is given.
     *
     * @return one result per store, H2 first
     */
    public static List<Result> run(Settings settings) {
        Path h2Directory = settings.workDirectory().resolve("store-benchmark-h2-" + System.nanoTime());
        try {
            return run(settings, h2Directory);
        } finally {
            Directories.deleteRecursively(h2Directory);
        }
    }

    /**
     * Runs the store benchmark with the H2 database in {@code h2Directory}, which is left in place, loaded, for the
     * caller to use; the caller deletes it.
     *
     * @return one result per store, H2 first
     */
    public static List<Result> run(Settings settings, Path h2Directory) {
        List<Result> results = new ArrayList<>();
        Result h2;
        try (JdbcRegistrationStore store = JdbcRegistrationStore.openH2(h2Directory)) {
            h2 = measure("H2 embedded (file)", store, settings);
        }
        try (JdbcRegistrationStore store = JdbcRegistrationStore.openH2(h2Directory,
                JdbcRegistrationStore.DEFAULT_TABLE_PREFIX, true)) {
            int samples = settings.registerSamples();
            int first = settings.registrations() + 2 * samples;
            double rate = samples / seconds(inParallel(samples, 1, noDeadline(),
                    i -> store.register(registration(first + i))).nanos());
            progress(h2.store(), "register() 1 thread, fsync", rate);
            results.add(h2.withRegisterFsync(rate));
        }
        if (settings.postgresUrl() != null && !settings.postgresUrl().isBlank()) {
            results.add(measurePostgres(settings));
        }
        return results;
    }

    private static Result measurePostgres(Settings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.postgresUrl());
        config.setPoolName("store-benchmark");
        config.setMaximumPoolSize(settings.threads() + 2);
        String prefix = "bench" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL) + "_";
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            try (JdbcRegistrationStore store = JdbcRegistrationStore.open(dataSource, prefix)) {
                return measure("PostgreSQL (HikariCP)", store, settings);
            } finally {
                try (Connection connection = dataSource.getConnection();
                     Statement statement = connection.createStatement()) {
                    statement.execute("DROP TABLE IF EXISTS " + prefix + "delivery_stats");
                    statement.execute("DROP TABLE IF EXISTS " + prefix + "registration");
                    statement.execute("DROP TABLE IF EXISTS " + prefix + "schema_version");
                } catch (SQLException e) {
                    System.err.println("could not drop the benchmark tables " + prefix + "*: " + e.getMessage());
                }
            }
        }
    }

    private static Result measure(String name, JdbcRegistrationStore store, Settings settings) {
        int planned = settings.registrations();
        int batches = (planned + LOAD_BATCH - 1) / LOAD_BATCH;
        long deadline = System.nanoTime() + settings.loadBudget().toNanos();
        Ran load = inParallel(batches, settings.threads(), deadline, batch -> {
            int from = batch * LOAD_BATCH;
            int to = Math.min(planned, from + LOAD_BATCH);
            store.importAll(IntStream.range(from, to).mapToObj(StoreBenchmark::registration).toList());
        });
        // Batches are taken in order and every batch taken is finished, so the loaded rows are 0 .. loaded-1.
        int loaded = Math.min(planned, load.tasks() * LOAD_BATCH);
        double loadRate = loaded / seconds(load.nanos());
        progress(name, "loaded " + loaded + " registrations", loadRate);

        int samples = settings.registerSamples();
        long cpuBefore = processCpuNanos();
        double registerRate = samples / seconds(inParallel(samples, 1, noDeadline(),
                i -> store.register(registration(planned + i))).nanos());
        Duration registerCpu = Duration.ofNanos((processCpuNanos() - cpuBefore) / samples);
        progress(name, "register() 1 thread", registerRate);
        double registerConcurrentRate = samples / seconds(inParallel(samples, settings.threads(), noDeadline(),
                i -> store.register(registration(planned + samples + i))).nanos());
        progress(name, "register() " + settings.threads() + " threads", registerConcurrentRate);

        // Stored rows: 0 .. loaded-1, then planned .. planned + 2 * samples - 1 from the register phases.
        int rows = loaded + 2 * samples;
        IntUnaryOperator storedRow = r -> r < loaded ? r : planned + (r - loaded);
        SplittableRandom random = new SplittableRandom(42);
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        for (int i = 0; i < settings.lookups() / 5; i++) {
            find(store, storedRow.applyAsInt(random.nextInt(rows)));
        }
        for (int i = 0; i < settings.lookups(); i++) {
            int row = storedRow.applyAsInt(random.nextInt(rows));
            long before = System.nanoTime();
            find(store, row);
            histogram.recordValue(System.nanoTime() - before);
        }

        System.gc();
        long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long heapMax = Runtime.getRuntime().maxMemory();
        return new Result(name, store.count(), planned + 2L * samples, loadRate, settings.threads(), registerRate, registerCpu,
                registerConcurrentRate,
                settings.lookups(),
                Duration.ofNanos(histogram.getValueAtPercentile(50)),
                Duration.ofNanos(histogram.getValueAtPercentile(99)),
                Duration.ofNanos(histogram.getValueAtPercentile(99.9)),
                Duration.ofNanos(histogram.getMaxValue()), heapUsed, heapMax, Double.NaN);
    }

    /** Phases take minutes with a million rows: say what finished, on stderr so that stdout stays the table. */
    private static void progress(String store, String phase, double perSecond) {
        System.err.printf(Locale.ROOT, "%s: %s, %,.0f/s%n", store, phase, perSecond);
    }

    private static void find(DeviceRegistrationStore store, int row) {
        if (store.findByNode(node(row)).isEmpty()) {
            throw new IllegalStateException("row " + row + " was stored but is not found by its node");
        }
    }

    private static long noDeadline() {
        return System.nanoTime() + TimeUnit.DAYS.toNanos(1);
    }

    /** How long {@link #inParallel} took and how many tasks it ran. */
    private record Ran(long nanos, int tasks) {
    }

    /**
     * Runs tasks 0 .. count-1 in order on several threads, taking no new task after the deadline (a
     * {@link System#nanoTime()} value); a task taken is always finished, so the tasks run are 0 .. tasks-1.
     */
    private static Ran inParallel(int count, int threads, long deadline, IntConsumer task) {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        List<Callable<Void>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(() -> {
                while (System.nanoTime() - deadline < 0) {
                    int i = next.getAndIncrement();
                    if (i >= count) {
                        break;
                    }
                    task.accept(i);
                    ran.incrementAndGet();
                }
                return null;
            });
        }
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            for (Future<Void> worker : executor.invokeAll(workers, 30, TimeUnit.MINUTES)) {
                worker.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a benchmark operation failed", e.getCause());
        } finally {
            executor.shutdownNow();
        }
        return new Ran(System.nanoTime() - start, ran.get());
    }

    private static final int LOAD_BATCH = 5_000;
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final String TOKEN_PADDING = "x".repeat(140);

    /** Row {@code i}: two devices per account, FCM and APNs alternating, FCM-length tokens. */
    static DeviceRegistration registration(int row) {
        Device device = row % 2 == 0
                ? Device.of("fcm-http-v1", "fcm:" + row + ":" + TOKEN_PADDING)
                : new Device("apns", String.format(Locale.ROOT, "%064x", (long) row), null, "org.example.app", false);
        return new DeviceRegistration(node(row), device, "user" + row / 2 + "@example.com", "secret-" + row,
                CREATED.plusMillis(row));
    }

    /** A 128-bit random-looking node for a row, the same on every call. */
    static String node(int row) {
        return String.format(Locale.ROOT, "%016x%016x", mix(row), mix(~row));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }


    /** The results as a Markdown table, with their targets and whether each is met. */
    public static String markdownTable(List<Result> results) {
        StringBuilder table = new StringBuilder()
                .append("| store | rows | load (batched import) | register(), 1 thread (target ≥ 2,000/s on H2)"
                        + " | CPU per register() | register(), N threads | find by node p50 | p99 (target < 1 ms)"
                        + " | p99.9 | max"
                        + " | heap used / max (target < 256 MB) | register(), 1 thread, fsync |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result r : results) {
            table.append("| ").append(r.store())
                    .append(" | ").append(String.format(Locale.ROOT, "%,d", r.rows()))
                    .append(r.rows() < r.plannedRows() ? String.format(Locale.ROOT,
                            " of %,d (load budget ran out)", r.plannedRows()) : "")
                    .append(" | ").append(String.format(Locale.ROOT, "%,.0f/s", r.loadPerSecond()))
                    .append(" | ").append(String.format(Locale.ROOT, "%,.0f/s", r.registerPerSecond()))
                    .append(!r.store().startsWith("H2") ? "" : r.registerPerSecond() >= 2_000 ? " ✓" : " ✗")
                    .append(" | ").append(micros(r.registerCpu()))
                    .append(" | ").append(String.format(Locale.ROOT, "%,.0f/s (N=%d)", r.registerConcurrentPerSecond(),
                            r.threads()))
                    .append(" | ").append(micros(r.findP50()))
                    .append(" | ").append(micros(r.findP99()))
                    .append(r.findP99().toNanos() < 1_000_000 ? " ✓" : " ✗")
                    .append(" | ").append(micros(r.findP999()))
                    .append(" | ").append(micros(r.findMax()))
                    .append(" | ").append(String.format(Locale.ROOT, "%d / %d MB%s", r.heapUsedBytes() >> 20,
                            r.heapMaxBytes() >> 20, r.heapUsedBytes() < 256L << 20 ? " ✓" : " ✗"))
                    .append(" | ").append(Double.isNaN(r.registerFsyncPerSecond()) ? "—"
                            : String.format(Locale.ROOT, "%,.0f/s", r.registerFsyncPerSecond()))
                    .append(" |\n");
        }
        return table.toString();
    }

    private static String micros(Duration duration) {
        return String.format(Locale.ROOT, "%,.0f µs", duration.toNanos() / 1e3);
    }

    /**
     * Runs with the defaults (or {@code args[0]} registrations) in the system temporary directory and prints the
     * Markdown table.
     */
    public static void main(String[] args) {
        Settings settings = Settings.defaults(Path.of(System.getProperty("java.io.tmpdir")));
        if (args.length > 0) {
            settings = settings.withRegistrations(Integer.parseInt(args[0]));
        }
        if (args.length > 1) {
            settings = settings.withThreads(Integer.parseInt(args[1]));
        }
        long start = System.nanoTime();
        List<Result> results = run(settings);
        System.out.print(markdownTable(results));
        System.out.printf(Locale.ROOT, "%n%d cores, Java %s, load average %.1f at the end, %.0f s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                seconds(System.nanoTime() - start));
    }
}
