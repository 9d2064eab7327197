package io.pushcomponent.benchmark.fcm;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * <p>Both sides run <em>at the same time</em>, head to head, each keeping {@code concurrency} sends outstanding
 * (closed-loop chains: a completed send starts the chain's next one from the thread that completed it) through an
 * OkHttp client limited to {@code concurrency} requests in flight. Completions are counted in consecutive windows;
 * whatever else the machine is doing in a window hits both sides alike, so the median of the per-window ratios
 * survives a loaded machine, where sequential rounds did not (their ratio swung between 70 % and 100 %).
 *
 * <p>Run from the repository root: {@code mvn -q -pl push-benchmark -am compile dependency:build-classpath
 * -Dmdep.outputFile=/tmp/cp.txt}, then {@code java -cp "$(cat /tmp/cp.txt):push-benchmark/target/classes"
 * io.pushcomponent.benchmark.fcm.FcmThroughputBenchmark [concurrency] [window ms] [windows]}.
 * Not thread-safe: one run at a time.
 */
public final class FcmThroughputBenchmark {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final String DEVICE_TOKEN = "bench:APA91bH" + "x".repeat(140);

    private FcmThroughputBenchmark() {
    }

    /**
     * The figures of one run.
     *
     * @param concurrency         sends outstanding at once on each side
     * @param windowMillis        length of one measuring window
     * @param windows             number of windows
     * @param providerSendsPerSec median over the windows, through the provider
     * @param bareSendsPerSec     median over the windows, bare OkHttp loop
     * @param ratio               median over the windows of provider/bare
     * @param minRatio            lowest window ratio
     * @param maxRatio            highest window ratio
     */
    public record Figures(int concurrency, long windowMillis, int windows, double providerSendsPerSec,
                          double bareSendsPerSec, double ratio, double minRatio, double maxRatio) {

        /** A Markdown table of the figures. */
        public String toMarkdown() {
            return "| client | concurrency | windows | median sends/s |\n"
                    + "| --- | ---: | ---: | ---: |\n"
                    + String.format(Locale.ROOT, "| bare OkHttp loop | %d | %d × %d ms | %.0f |%n", concurrency,
                    windows, windowMillis, bareSendsPerSec)
                    + String.format(Locale.ROOT, "| FCM provider | %d | %d × %d ms | %.0f |%n", concurrency,
                    windows, windowMillis, providerSendsPerSec)
                    + String.format(Locale.ROOT, "%nprovider / bare (median of windows, both sides at once): "
                    + "%.1f %% (windows ranged %.1f–%.1f %%)%n", ratio * 100, minRatio * 100, maxRatio * 100);
        }
    }

    /** Runs the benchmark with the defaults of {@link #main}: concurrency 32, 15 windows of one second. */
    public static Figures run() throws Exception {
        return run(32, Duration.ofSeconds(1), 15);
    }

    /**
     * Runs the benchmark: a two-second warm-up, then {@code windows} measuring windows.
     *
     * @param concurrency sends outstanding at once, and the OkHttp limit of requests in flight, on each side
     * @param window      length of one measuring window
     * @param windows     number of measuring windows
     */
    public static Figures run(int concurrency, Duration window, int windows) throws Exception {
        Path dir = Files.createTempDirectory("fcm-benchmark");
        try (FakeFcmServer fcm = FakeFcmServer.start()) {
            fcm.recording(false);
            Path serviceAccount = fcm.writeServiceAccountJson(dir);
            PushProvider provider = ProviderRegistry.discover().factory("fcm-http-v1").create(ProviderSettings.of(
                    "fcm-http-v1", Map.of("service-account-file", serviceAccount.toString(),
                            "base-url", fcm.baseUrl(), "max-concurrent", concurrency)));
            OkHttpClient bare = client(concurrency);
            Runner providerRunner = new ProviderRunner(provider);
            Runner bareRunner = new BareRunner(bare, fcm, accessToken(fcm));
            try {
                providerRunner.start(concurrency);
                bareRunner.start(concurrency);
                pause(Duration.ofSeconds(2));
                double[] providerRates = new double[windows];
                double[] bareRates = new double[windows];
                double[] ratios = new double[windows];
                for (int i = 0; i < windows; i++) {
                    long p0 = providerRunner.completed();
                    long b0 = bareRunner.completed();
                    long t0 = System.nanoTime();
                    pause(window);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    providerRates[i] = (providerRunner.completed() - p0) / seconds;
                    bareRates[i] = (bareRunner.completed() - b0) / seconds;
                    ratios[i] = providerRates[i] / bareRates[i];
                }
                providerRunner.stop();
                bareRunner.stop();
                Arrays.sort(ratios);
                return new Figures(concurrency, window.toMillis(), windows, median(providerRates),
                        median(bareRates), median(ratios), ratios[0], ratios[windows - 1]);
            } finally {
                providerRunner.stop();
                bareRunner.stop();
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

    /** Prints the figures as a Markdown table. Arguments: [concurrency] [window ms] [windows]. */
    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        long windowMillis = args.length > 1 ? Long.parseLong(args[1]) : 1000;
        int windows = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        System.out.print(run(concurrency, Duration.ofMillis(windowMillis), windows).toMarkdown());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Waits out a measuring window; the chains run on other threads meanwhile. */
    private static void pause(Duration d) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(d.toNanos());
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

    /**
     * Keeps {@code concurrency} chains of sends going until {@link #stop()}; each completed send starts the chain's
     * next one from the thread that completed it, as publishes arrive on many threads in the app server.
     */
    private abstract static class Runner {
        private final AtomicLong completed = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        private volatile boolean running;
        private CountDownLatch chainsDone = new CountDownLatch(0);

        void start(int concurrency) {
            running = true;
            chainsDone = new CountDownLatch(concurrency);
            for (int i = 0; i < concurrency; i++) {
                next();
            }
        }

        long completed() {
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " sends failed, e.g. " + errors.peek());
            }
            return completed.get();
        }

        /** Lets every chain finish its send in flight. */
        void stop() throws InterruptedException {
            running = false;
            if (!chainsDone.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("sends in flight did not complete within 60 s");
            }
        }

        private void next() {
            if (!running) {
                chainsDone.countDown();
                return;
            }
            sendOne(ok -> {
                if (ok) {
                    completed.incrementAndGet();
                } else {
                    failures.incrementAndGet();
                }
                next();
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
