package io.pushcomponent.benchmark.fcm;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.sun.management.OperatingSystemMXBean;
import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import io.pushcomponent.testkit.FakeFcmServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends per second through the FCM provider against {@link FakeFcmServer}, next to a bare OkHttp loop that posts a
 * ready-made message to the same fake in the same run with the same concurrency. The ratio shows what the provider
 * costs on top of the HTTP client: payload building, token cache, answer parsing, bookkeeping.
 *
 * <p>Both sides keep {@code concurrency} sends outstanding (closed-loop chains) through an OkHttp client limited to
 * {@code concurrency} requests in flight, and run alternately for several rounds so that a noisy neighbour on the
 * machine hits both; the best round of each is reported.
 *
 * <p>Run from the repository root: {@code mvn -q -pl push-benchmark -am compile dependency:build-classpath
 * -Dmdep.outputFile=/tmp/cp.txt}, then {@code java -cp "$(cat /tmp/cp.txt):push-benchmark/target/classes"
 * io.pushcomponent.benchmark.fcm.FcmThroughputBenchmark [concurrency] [sends per round] [rounds]}.
 * Not thread-safe: one run at a time.
 */
public final class FcmThroughputBenchmark {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final OperatingSystemMXBean CPU =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final String DEVICE_TOKEN = "bench:APA91bH" + "x".repeat(140);

    private FcmThroughputBenchmark() {
    }

    /**
     * The figures of one run.
     *
     * @param concurrency           sends outstanding at once on each side
     * @param sendsPerRound         sends measured per round
     * @param rounds                rounds per side
     * @param providerSendsPerSec   best round through the provider
     * @param bareSendsPerSec       best round of the bare OkHttp loop
     * @param medianRoundRatio      median over rounds of provider/bare, each pair run back to back
     * @param providerCpuUsPerSend  process CPU time per send through the provider (client and fake together), µs
     * @param bareCpuUsPerSend      the same for the bare loop
     */
    public record Figures(int concurrency, int sendsPerRound, int rounds, double providerSendsPerSec,
                          double bareSendsPerSec, double medianRoundRatio, double providerCpuUsPerSend,
                          double bareCpuUsPerSend) {
        /**
         * Provider throughput as a fraction of the bare loop's: the median of the paired rounds, the figure least
         * moved by other processes on the machine (the best rounds of each side may come from different moments).
         */
        public double ratio() {
            return medianRoundRatio;
        }

        /** A Markdown table of the figures. */
        public String toMarkdown() {
            return "| client | concurrency | sends/round | rounds | best sends/s | CPU µs/send (client + fake) |\n"
                    + "| --- | ---: | ---: | ---: | ---: | ---: |\n"
                    + String.format(Locale.ROOT, "| bare OkHttp loop | %d | %d | %d | %.0f | %.1f |%n", concurrency,
                    sendsPerRound, rounds, bareSendsPerSec, bareCpuUsPerSend)
                    + String.format(Locale.ROOT, "| FCM provider | %d | %d | %d | %.0f | %.1f |%n", concurrency,
                    sendsPerRound, rounds, providerSendsPerSec, providerCpuUsPerSend)
                    + String.format(Locale.ROOT, "%nprovider / bare: median of paired rounds %.1f %% (best rounds "
                    + "%.1f %%)%n", medianRoundRatio * 100, providerSendsPerSec / bareSendsPerSec * 100);
        }
    }

    /** Runs the benchmark with the defaults of {@link #main}: concurrency 32, 10,000 sends, 9 rounds. */
    public static Figures run() throws Exception {
        return run(32, 10_000, 9);
    }

    /**
     * Runs the benchmark.
     *
     * @param concurrency   sends outstanding at once, and the OkHttp limit of requests in flight, on each side
     * @param sendsPerRound sends per measured round
     * @param rounds        measured rounds per side, after one warm-up round each
     */
    public static Figures run(int concurrency, int sendsPerRound, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("fcm-benchmark");
        try (FakeFcmServer fcm = FakeFcmServer.start()) {
            fcm.recording(false);
            Path serviceAccount = fcm.writeServiceAccountJson(dir);
            PushProvider provider = ProviderRegistry.discover().factory("fcm-http-v1").create(ProviderSettings.of(
                    "fcm-http-v1", Map.of("service-account-file", serviceAccount.toString(),
                            "base-url", fcm.baseUrl(), "max-concurrent", concurrency)));
            OkHttpClient bare = client(concurrency);
            try {
                Runner providerRunner = new ProviderRunner(provider);
                Runner bareRunner = new BareRunner(bare, fcm, accessToken(fcm));
                providerRunner.round(concurrency, sendsPerRound / 4);
                bareRunner.round(concurrency, sendsPerRound / 4);
                List<Round> providerRounds = new ArrayList<>();
                List<Round> bareRounds = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    // alternate which side goes first, so that neither always runs right after the other's garbage
                    if (i % 2 == 0) {
                        bareRounds.add(bareRunner.round(concurrency, sendsPerRound));
                        providerRounds.add(providerRunner.round(concurrency, sendsPerRound));
                    } else {
                        providerRounds.add(providerRunner.round(concurrency, sendsPerRound));
                        bareRounds.add(bareRunner.round(concurrency, sendsPerRound));
                    }
                }
                List<Double> ratios = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    ratios.add(providerRounds.get(i).sendsPerSec() / bareRounds.get(i).sendsPerSec());
                }
                ratios.sort(Comparator.naturalOrder());
                double median = rounds % 2 == 1 ? ratios.get(rounds / 2)
                        : (ratios.get(rounds / 2 - 1) + ratios.get(rounds / 2)) / 2;
                return new Figures(concurrency, sendsPerRound, rounds, best(providerRounds), best(bareRounds), median,
                        cpu(providerRounds), cpu(bareRounds));
            } finally {
                provider.close();
                bare.dispatcher().executorService().shutdown();
                bare.connectionPool().evictAll();
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    /** Prints the figures as a Markdown table. Arguments: [concurrency] [sends per round] [rounds]. */
    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int sends = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 9;
        System.out.print(run(concurrency, sends, rounds).toMarkdown());
    }

    private static double best(List<Round> rounds) {
        return rounds.stream().mapToDouble(Round::sendsPerSec).max().orElseThrow();
    }

    /** The lowest CPU cost per send of any round: the one least disturbed by other processes' cache misses. */
    private static double cpu(List<Round> rounds) {
        return rounds.stream().mapToDouble(Round::cpuUsPerSend).min().orElseThrow();
    }

    /** One measured round. */
    private record Round(double sendsPerSec, double cpuUsPerSend) {
    }

    /** The same client settings the provider uses for {@code max-concurrent = concurrency}. */
    private static OkHttpClient client(int concurrency) {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(concurrency);
        dispatcher.setMaxRequestsPerHost(concurrency);
        return new OkHttpClient.Builder().dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(concurrency, 5, TimeUnit.MINUTES)).build();
    }

    private static String accessToken(FakeFcmServer fcm) throws IOException {
        GoogleCredentials credentials = ServiceAccountCredentials.fromStream(new ByteArrayInputStream(
                fcm.serviceAccountJson().getBytes(StandardCharsets.UTF_8))).createScoped(List.of(FakeFcmServer.FCM_SCOPE));
        return credentials.refreshAccessToken().getTokenValue();
    }

    /** Keeps {@code concurrency} sends outstanding until {@code sends} have completed; returns sends/s. */
    private abstract static class Runner {
        private final AtomicLong failures = new AtomicLong();
        private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

        /**
         * Starts {@code concurrency} chains; each completed send starts the chain's next one from the thread that
         * completed it, as publishes arrive on many threads in the app server. A single submitting thread would
         * itself become the bottleneck on a busy machine.
         */
        Round round(int concurrency, int sends) throws InterruptedException {
            AtomicInteger remaining = new AtomicInteger(sends);
            CountDownLatch chainsDone = new CountDownLatch(concurrency);
            long cpuStart = CPU.getProcessCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < concurrency; i++) {
                next(remaining, chainsDone);
            }
            if (!chainsDone.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("sends did not complete within 120 s");
            }
            long elapsed = System.nanoTime() - start;
            long cpu = CPU.getProcessCpuTime() - cpuStart;
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " sends failed, e.g. " + errors.peek());
            }
            return new Round(sends / (elapsed / 1e9), cpu / 1e3 / sends);
        }

        private void next(AtomicInteger remaining, CountDownLatch chainsDone) {
            if (remaining.getAndDecrement() <= 0) {
                chainsDone.countDown();
                return;
            }
            sendOne(ok -> {
                if (!ok) {
                    failures.incrementAndGet();
                }
                next(remaining, chainsDone);
            });
        }

        void failed(Throwable t) {
            errors.add(t);
        }

        abstract void sendOne(Done done);
    }

    @FunctionalInterface
    private interface Done {
        void done(boolean ok);
    }

    private static final class ProviderRunner extends Runner {
        private final PushProvider provider;
        /** The caller's request is built once: building it is the caller's cost, not the provider's. */
        private final PushRequest request = PushRequest.message(Device.of("fcm-http-v1", DEVICE_TOKEN),
                "juliet@example.com", new Summary(1, "romeo@example.net", "Wherefore art thou?", null, null));

        ProviderRunner(PushProvider provider) {
            this.provider = provider;
        }

        @Override
        void sendOne(Done done) {
            provider.send(request).whenComplete((result, error) -> {
                if (error != null) {
                    failed(error);
                } else if (!(result instanceof DeliveryResult.Delivered)) {
                    failed(new IllegalStateException(result.toString()));
                }
                done.done(error == null && result.isDelivered());
            });
        }
    }

    private static final class BareRunner extends Runner {
        private final OkHttpClient client;
        private final Request request;

        BareRunner(OkHttpClient client, FakeFcmServer fcm, String accessToken) {
            this.client = client;
            String body = "{\"message\":{\"token\":\"" + DEVICE_TOKEN + "\",\"data\":{\"account\":\"juliet@example.com\","
                    + "\"unread-messages\":\"1\",\"sender\":\"romeo@example.net\",\"body\":\"Wherefore art thou?\"},"
                    + "\"android\":{\"priority\":\"high\",\"ttl\":\"86400s\",\"collapse_key\":\"juliet@example.com\"}}}";
            this.request = new Request.Builder()
                    .url(fcm.baseUrl() + "/v1/projects/" + fcm.projectId() + "/messages:send")
                    .header("Authorization", "Bearer " + accessToken)
                    .post(RequestBody.create(body.getBytes(StandardCharsets.UTF_8), JSON))
                    .build();
        }

        @Override
        void sendOne(Done done) {
            client.newCall(request).enqueue(new Callback() {
                @Override
                public void onFailure(Call call, IOException e) {
                    failed(e);
                    done.done(false);
                }

                @Override
                public void onResponse(Call call, Response response) {
                    try (response) {
                        response.body().bytes();
                        done.done(response.code() == 200);
                    } catch (IOException e) {
                        failed(e);
                        done.done(false);
                    }
                }
            });
        }
    }
}
