package io.pushcomponent.benchmark.apns;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.ApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import io.pushcomponent.testkit.apns.FakeApnsServer;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Notifications per second through the {@code apns} provider next to bare pushy, both against the same
 * {@link FakeApnsServer} (accept-all, TLS, HTTP/2, token authentication) in the same run, with the same number of
 * connections, event-loop threads and notifications in flight.
 *
 * <p>Both sides build an alert payload per notification (the provider its full Siskin payload, bare pushy a
 * comparable one with {@code SimpleApnsPayloadBuilder}) and wait for APNs' answer to each. After a warm-up round
 * of each, rounds alternate between the two (which goes first alternates too), and the median round is reported, so
 * that a noisy neighbour on the machine and garbage left by the other side hurt both alike. CPU time per
 * notification (the whole process, fake server included) is reported too. Then, head to head, both send at the
 * same time, so that load from elsewhere on a shared machine hits both alike: {@link Figures#headToHead()}.
 *
 * <p>Run: {@code mvn -q -pl push-benchmark -am package -DskipTests} then
 * {@code java -cp ... io.pushcomponent.benchmark.apns.ApnsThroughputBenchmark [notifications] [in-flight]
 * [connections] [rounds] [warm-up rounds]}, or call {@link #run(Options)}. Not thread-safe: one run at a time per caller.
 */
public final class ApnsThroughputBenchmark {
    private static final String TOPIC = "im.example.bench";
    private static final String TOKEN = "0123456789abcdef".repeat(4);
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(5);

    private ApnsThroughputBenchmark() {
    }

    /**
     * What to measure.
     *
     * @param notifications notifications per round and side
     * @param inFlight      notifications awaiting an answer at any time
     * @param connections   HTTP/2 connections (the provider's {@code pool-size}, pushy's concurrent connections)
     * @param rounds        measured rounds per side
     * @param warmupRounds  rounds per side before measuring, for the JIT
     */
    public record Options(int notifications, int inFlight, int connections, int rounds, int warmupRounds) {
        public Options {
            if (notifications < 1 || inFlight < 1 || connections < 1 || rounds < 1 || warmupRounds < 0) {
                throw new IllegalArgumentException("notifications, in-flight, connections and rounds must be at "
                        + "least 1, warm-up rounds at least 0: " + notifications + ", " + inFlight + ", "
                        + connections + ", " + rounds + ", " + warmupRounds);
            }
        }

        /** 20,000 notifications per round, 200 in flight, 2 connections, 9 rounds after 4 warm-up rounds. */
        public static Options defaults() {
            return new Options(20_000, 200, 2, 9, 4);
        }
    }

    /**
     * The figures of one run.
     *
     * @param options           what was measured
     * @param providerPerSecond median notifications/s through the {@code apns} provider
     * @param pushyPerSecond    median notifications/s through bare pushy
     * @param providerCpuMicros median CPU microseconds per notification (whole process) with the provider
     * @param pushyCpuMicros    median CPU microseconds per notification (whole process) with bare pushy
     * @param headToHead        median over head-to-head rounds of the provider's answered notifications as a
     *                          fraction of bare pushy's, both sending at once (see {@link #headToHead()})
     * @param providerRounds    every measured round of the provider, notifications/s
     * @param pushyRounds       every measured round of bare pushy, notifications/s
     * @param headToHeadRounds  every head-to-head round's fraction
     */
    public record Figures(Options options, double providerPerSecond, double pushyPerSecond,
                          double providerCpuMicros, double pushyCpuMicros, double headToHead,
                          List<Double> providerRounds, List<Double> pushyRounds, List<Double> headToHeadRounds) {
        public Figures {
            providerRounds = List.copyOf(providerRounds);
            pushyRounds = List.copyOf(pushyRounds);
            headToHeadRounds = List.copyOf(headToHeadRounds);
        }

        /** Provider throughput as a fraction of bare pushy's, from the rounds each ran alone. */
        public double ratio() {
            return providerPerSecond / pushyPerSecond;
        }

        /**
         * The provider's pace as a fraction of bare pushy's when both send at the same time to the same server: when
         * the first of the two has all its answers, how many the other has. Load from elsewhere on the machine hits
         * both alike here, so on a shared machine this is the steadier comparison.
         */
        public double headToHead() {
            return headToHead;
        }

        /** A Markdown table of the figures. */
        public String toMarkdown() {
            return String.format(Locale.ROOT, """
                    | APNs, %,d notifications/round, %d in flight, %d connections, median of %d rounds | notifications/s | CPU µs/notification |
                    | --- | ---: | ---: |
                    | bare pushy 0.15.4 | %,.0f | %.1f |
                    | `apns` provider | %,.0f | %.1f |
                    | provider / pushy | %.1f%% | %.1f%% |
                    | provider / pushy, head to head (both at once) | %.1f%% | |
                    """, options.notifications(), options.inFlight(), options.connections(), options.rounds(),
                    pushyPerSecond, pushyCpuMicros, providerPerSecond, providerCpuMicros, ratio() * 100,
                    providerCpuMicros / pushyCpuMicros * 100, headToHead * 100);
        }
    }

    /** Measures with {@code options}; starts and stops its own fake APNs. */
    public static Figures run(Options options) throws Exception {
        try (FakeApnsServer server = FakeApnsServer.builder().recording(false).start()) {
            PushProvider provider = ProviderRegistry.discover().factory("apns")
                    .create(ProviderSettings.of("apns", providerSettings(server, options)));
            EventLoopGroup pushyLoop = new NioEventLoopGroup(eventLoopThreads(options));
            ApnsClient pushy = new ApnsClientBuilder()
                    .setApnsServer(server.host(), server.port())
                    .setTrustedServerCertificateChain(server.caCertificateFile().toFile())
                    .setSigningKey(ApnsSigningKey.loadFromPkcs8File(server.signingKey().file().toFile(),
                            server.signingKey().teamId(), server.signingKey().keyId()))
                    .setConcurrentConnections(options.connections())
                    .setEventLoopGroup(pushyLoop)
                    .build();
            try {
                Device device = new Device("apns", TOKEN, null, null, false);
                Supplier<CompletionStage<?>> viaProvider = () -> provider.send(PushRequest.message(device,
                        "juliet@example.com", new Summary(1, "romeo@example.net", "Wherefore art thou?", null, null)));
                Supplier<CompletionStage<?>> viaPushy = () -> pushy.sendNotification(barePushyNotification());

                for (int i = 0; i < options.warmupRounds(); i++) {
                    round(viaPushy, options, server);
                    round(viaProvider, options, server);
                }
                List<Round> pushyRounds = new ArrayList<>();
                List<Round> providerRounds = new ArrayList<>();
                for (int i = 0; i < options.rounds(); i++) {
                    if (i % 2 == 0) {
                        pushyRounds.add(round(viaPushy, options, server));
                        providerRounds.add(round(viaProvider, options, server));
                    } else {
                        providerRounds.add(round(viaProvider, options, server));
                        pushyRounds.add(round(viaPushy, options, server));
                    }
                }
                List<Double> headToHeadRounds = new ArrayList<>();
                for (int i = 0; i < options.rounds(); i++) {
                    headToHeadRounds.add(headToHeadRound(viaProvider, viaPushy, options, server));
                }
                return new Figures(options, median(providerRounds, Round::perSecond),
                        median(pushyRounds, Round::perSecond), median(providerRounds, Round::cpuMicros),
                        median(pushyRounds, Round::cpuMicros), median(headToHeadRounds, d -> d),
                        providerRounds.stream().map(Round::perSecond).toList(),
                        pushyRounds.stream().map(Round::perSecond).toList(), headToHeadRounds);
            } finally {
                provider.close();
                pushy.close().get(30, TimeUnit.SECONDS);
                pushyLoop.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Prints the figures as a Markdown table. Arguments, each optional: notifications per round, in flight,
     * connections, rounds, warm-up rounds.
     */
    public static void main(String[] args) throws Exception {
        Options defaults = Options.defaults();
        Options options = new Options(
                args.length > 0 ? Integer.parseInt(args[0]) : defaults.notifications(),
                args.length > 1 ? Integer.parseInt(args[1]) : defaults.inFlight(),
                args.length > 2 ? Integer.parseInt(args[2]) : defaults.connections(),
                args.length > 3 ? Integer.parseInt(args[3]) : defaults.rounds(),
                args.length > 4 ? Integer.parseInt(args[4]) : defaults.warmupRounds());
        Figures figures = run(options);
        System.out.print(figures.toMarkdown());
        System.out.printf(Locale.ROOT, "%nrounds, notifications/s: pushy %s, provider %s; head to head: %s%n",
                format(figures.pushyRounds()), format(figures.providerRounds()),
                figures.headToHeadRounds().stream().map(r -> String.format(Locale.ROOT, "%.1f%%", r * 100)).toList());
    }

    private static Map<String, Object> providerSettings(FakeApnsServer server, Options options) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("key-file", server.signingKey().file().toString());
        settings.put("team-id", server.signingKey().teamId());
        settings.put("key-id", server.signingKey().keyId());
        settings.put("topic", TOPIC);
        settings.put("apns-host", server.host());
        settings.put("apns-port", server.port());
        settings.put("apns-sandbox-host", server.host());
        settings.put("apns-sandbox-port", server.port());
        settings.put("trusted-ca-file", server.caCertificateFile().toString());
        settings.put("pool-size", options.connections());
        return settings;
    }

    /** The provider's own choice, repeated for bare pushy so both sides get the same threads. */
    private static int eventLoopThreads(Options options) {
        return Math.max(1, Math.min(options.connections(), Runtime.getRuntime().availableProcessors()));
    }

    private static SimpleApnsPushNotification barePushyNotification() {
        String payload = new SimpleApnsPayloadBuilder()
                .setAlertTitle("romeo@example.net")
                .setAlertBody("Wherefore art thou?")
                .setMutableContent(true)
                .setSound(ApnsPayloadBuilder.DEFAULT_SOUND_FILENAME)
                .setBadgeNumber(1)
                .setThreadId("juliet@example.com")
                .addCustomProperty("account", "juliet@example.com")
                .addCustomProperty("sender", "romeo@example.net")
                .addCustomProperty("body", "Wherefore art thou?")
                .addCustomProperty("unread-messages", 1)
                .build();
        return new SimpleApnsPushNotification(TOKEN, TOPIC, payload, Instant.now().plus(Duration.ofDays(1)),
                DeliveryPriority.IMMEDIATE, PushType.ALERT, "juliet@example.com");
    }

    /** Sends {@code notifications} with at most {@code inFlight} unanswered, timed until the last answer. */
    private static Round round(Supplier<CompletionStage<?>> send, Options options, FakeApnsServer server)
            throws InterruptedException {
        Semaphore permits = new Semaphore(options.inFlight());
        AtomicLong failures = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        long acceptedBefore = server.acceptedCount();
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < options.notifications(); i++) {
            permits.acquire();
            send.get().whenComplete((r, e) -> {
                if (e != null) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, e);
                }
                permits.release();
            });
        }
        if (!permits.tryAcquire(options.inFlight(), ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("a round did not finish within " + ROUND_TIMEOUT);
        }
        long elapsed = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuStart;
        long accepted = server.acceptedCount() - acceptedBefore;
        if (failures.get() > 0 || accepted != options.notifications()) {
            throw new IllegalStateException("a round lost notifications: " + accepted + " of "
                    + options.notifications() + " accepted, " + failures.get() + " failed", firstFailure.get());
        }
        return new Round(options.notifications() * 1e9 / elapsed, cpu / 1e3 / options.notifications());
    }

    /** CPU time of the whole process: client side and fake server, the server's share being the same for both. */
    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** One measured round: notifications/s and CPU microseconds per notification. */
    private record Round(double perSecond, double cpuMicros) {
    }

    /**
     * Both sides send {@code notifications} at once, each from its own thread with its own window of
     * {@code inFlight}. When the first side has all its answers, the other side's count is read: the provider's
     * count over pushy's at that moment.
     */
    private static double headToHeadRound(Supplier<CompletionStage<?>> viaProvider,
                                          Supplier<CompletionStage<?>> viaPushy, Options options,
                                          FakeApnsServer server) throws Exception {
        AtomicLong providerDone = new AtomicLong();
        AtomicLong pushyDone = new AtomicLong();
        CompletableFuture<Double> firstFinished = new CompletableFuture<>();
        long acceptedBefore = server.acceptedCount();
        ExecutorService drivers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> sides = List.of(
                    drivers.submit(() -> drive(viaProvider, options, providerDone,
                            () -> firstFinished.complete((double) options.notifications() / pushyDone.get()))),
                    drivers.submit(() -> drive(viaPushy, options, pushyDone,
                            () -> firstFinished.complete(providerDone.get() / (double) options.notifications()))));
            for (Future<?> side : sides) {
                side.get(ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            drivers.shutdownNow();
        }
        long accepted = server.acceptedCount() - acceptedBefore;
        if (accepted != 2L * options.notifications()) {
            throw new IllegalStateException("a head-to-head round lost notifications: " + accepted + " of "
                    + 2L * options.notifications() + " accepted");
        }
        return firstFinished.get(ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Sends with a window of {@code inFlight}; runs {@code whenAllAnswered} as the last answer arrives. */
    private static Void drive(Supplier<CompletionStage<?>> send, Options options, AtomicLong done,
                              Runnable whenAllAnswered) throws InterruptedException {
        Semaphore permits = new Semaphore(options.inFlight());
        for (int i = 0; i < options.notifications(); i++) {
            permits.acquire();
            send.get().whenComplete((r, e) -> {
                if (done.incrementAndGet() == options.notifications()) {
                    whenAllAnswered.run();
                }
                permits.release();
            });
        }
        if (!permits.tryAcquire(options.inFlight(), ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("a head-to-head round did not finish within " + ROUND_TIMEOUT);
        }
        return null;
    }

    private static <T> double median(List<T> rounds, ToDoubleFunction<T> figure) {
        List<Double> sorted = rounds.stream().map(figure::applyAsDouble).sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList().toString();
    }
}
