package io.pushcomponent.testkit;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link io.pushcomponent.api.PushProvider} for tests: records every {@link PushRequest} and answers with
 * scripted {@link Outcome}s (delivered when nothing is scripted). Script, run, verify:
 *
 * <pre>{@code
 * FakePushProvider fake = new FakePushProvider();
 * fake.enqueue(Outcome.rejected(RejectionReason.INVALID_TOKEN));
 * // ... run the code under test ...
 * PushRequest request = fake.takeRequest(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Configured through its factory under provider id {@code fake} (never chosen unless configured), with an
 * optional setting {@code name}; {@link #named(String)} returns the instance a configuration created, so a test
 * that starts a whole component from a configuration file can reach it. For load tests, setting
 * {@code record = false} (or {@link #counting()}) makes it only count sends, so that memory stays flat however
 * many pushes flow; {@link #takeRequest} and {@link #requests()} then see nothing. A test of code that reads a
 * provider's {@link #features()} or {@link #maxPayloadSize()} creates one with {@link #advertising(Set, int)}.
 *
 * <p><b>Thread-safety:</b> every method is thread-safe. {@link #send} never blocks: delayed outcomes complete on a
 * shared daemon timer thread. Needs no test framework; failed expectations throw {@link AssertionError}.
 */
public final class FakePushProvider implements PushProvider {
    private static final Map<String, FakePushProvider> NAMED = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-push-provider-timer");
        t.setDaemon(true);
        return t;
    });

    private final boolean recording;
    private final Set<String> features;
    private final int maxPayloadSize;
    private final BlockingQueue<PushRequest> requests = new LinkedBlockingQueue<>();
    private final Queue<PushRequest> history = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Outcome> script = new ConcurrentLinkedQueue<>();
    private final AtomicLong sendCount = new AtomicLong();
    private volatile boolean closed;

    /** A provider that records every request and delivers everything until told otherwise. */
    public FakePushProvider() {
        this(true);
    }

    private FakePushProvider(boolean recording) {
        this(recording, Set.of(), 0);
    }

    private FakePushProvider(boolean recording, Set<String> features, int maxPayloadSize) {
        this.recording = recording;
        this.features = Set.copyOf(features);
        this.maxPayloadSize = maxPayloadSize;
    }

    /**
     * A recording provider that advertises {@code features} in the {@code register-device} result form and takes
     * payloads up to {@code maxPayloadSize} bytes ({@code 0}: does not say), as {@link PushProvider} describes them.
     */
    public static FakePushProvider advertising(Set<String> features, int maxPayloadSize) {
        if (maxPayloadSize < 0) {
            throw new IllegalArgumentException("maxPayloadSize must be 0 (not said) or positive: " + maxPayloadSize);
        }
        return new FakePushProvider(true, features, maxPayloadSize);
    }

    /**
     * A provider that only counts sends ({@link #requestCount()}) and records nothing, for load tests; scripted
     * outcomes apply as usual.
     */
    public static FakePushProvider counting() {
        return new FakePushProvider(false);
    }

    /**
     * The provider a configuration created with setting {@code name}.
     *
     * @throws AssertionError when no provider of that name has been created
     */
    public static FakePushProvider named(String name) {
        FakePushProvider p = NAMED.get(name);
        if (p == null) {
            throw new AssertionError("no FakePushProvider named '" + name + "' was created; configured: "
                    + NAMED.keySet());
        }
        return p;
    }

    static FakePushProvider register(String name, boolean recording) {
        FakePushProvider p = new FakePushProvider(recording);
        NAMED.put(name, p);
        return p;
    }

    /** Scripts the outcome of the next send not yet scripted; sends beyond the script are delivered. */
    public FakePushProvider enqueue(Outcome outcome) {
        script.add(Objects.requireNonNull(outcome, "outcome"));
        return this;
    }

    @Override
    public CompletionStage<DeliveryResult> send(PushRequest request) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("FakePushProvider is closed"));
        }
        sendCount.incrementAndGet();
        if (recording) {
            history.add(request);
            requests.add(request);
        }
        Outcome outcome = script.poll();
        return outcome == null ? CompletableFuture.completedFuture(new DeliveryResult.Delivered(null))
                : outcome.apply();
    }

    /**
     * The next request sent, in order.
     *
     * @throws AssertionError when none arrives within {@code timeout}
     */
    public PushRequest takeRequest(Duration timeout) {
        PushRequest r = pollRequest(timeout);
        if (r == null) {
            throw new AssertionError("no push request arrived within " + timeout);
        }
        return r;
    }

    /** The next request sent, or {@code null} when none arrives within {@code timeout}. */
    public PushRequest pollRequest(Duration timeout) {
        try {
            return requests.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Every request sent so far, in order (not consumed by {@link #takeRequest}). */
    public List<PushRequest> requests() {
        return new ArrayList<>(history);
    }

    /** How many sends were made. */
    public long requestCount() {
        return sendCount.get();
    }

    /** The features given to {@link #advertising(Set, int)}; none otherwise. */
    @Override
    public Set<String> features() {
        return features;
    }

    /** The limit given to {@link #advertising(Set, int)}; {@code 0} (does not say) otherwise. */
    @Override
    public int maxPayloadSize() {
        return maxPayloadSize;
    }

    /** {@code true} after {@link #close()}. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** A scripted answer to one send. */
    public sealed interface Outcome {

        /** The push is delivered. */
        static Outcome delivered() {
            return new Result(new DeliveryResult.Delivered("fake-" + System.nanoTime()));
        }

        /** The provider answers {@code result}, exactly (a rejection's detail and retry-after as given). */
        static Outcome result(DeliveryResult result) {
            return new Result(Objects.requireNonNull(result, "result"));
        }

        /**
         * The answer is {@code stage}, whenever the test completes it: to hold a send in flight, or to fail it with
         * an exception of the test's choosing.
         */
        static Outcome answeredBy(CompletionStage<DeliveryResult> stage) {
            return new Answer(Objects.requireNonNull(stage, "stage"));
        }

        /** The provider rejects the push. */
        static Outcome rejected(RejectionReason reason) {
            return new Result(DeliveryResult.Rejected.of(reason, "fake " + reason));
        }

        /** The provider rejects the push and asks to wait. */
        static Outcome rejected(RejectionReason reason, Duration retryAfter) {
            return new Result(new DeliveryResult.Rejected(reason, "fake " + reason, retryAfter));
        }

        /** The provider cannot be reached: the stage completes exceptionally. */
        static Outcome failed(Throwable error) {
            return new Failure(error);
        }

        /** {@code then}, after {@code delay}; the caller is not blocked meanwhile. */
        static Outcome delayed(Duration delay, Outcome then) {
            return new Delayed(delay, then);
        }

        /** No answer, ever: the stage never completes (for timeout tests). */
        static Outcome never() {
            return new Never();
        }

        CompletableFuture<DeliveryResult> apply();
    }

    private record Result(DeliveryResult result) implements Outcome {
        @Override
        public CompletableFuture<DeliveryResult> apply() {
            return CompletableFuture.completedFuture(result);
        }
    }

    private record Answer(CompletionStage<DeliveryResult> stage) implements Outcome {
        @Override
        public CompletableFuture<DeliveryResult> apply() {
            return stage.toCompletableFuture();
        }
    }

    private record Failure(Throwable error) implements Outcome {
        @Override
        public CompletableFuture<DeliveryResult> apply() {
            return CompletableFuture.failedFuture(error);
        }
    }

    private record Delayed(Duration delay, Outcome then) implements Outcome {
        @Override
        public CompletableFuture<DeliveryResult> apply() {
            CompletableFuture<DeliveryResult> f = new CompletableFuture<>();
            TIMER.schedule(() -> then.apply().whenComplete((r, e) -> {
                if (e != null) {
                    f.completeExceptionally(e);
                } else {
                    f.complete(r);
                }
            }), delay.toNanos(), TimeUnit.NANOSECONDS);
            return f;
        }
    }

    private record Never() implements Outcome {
        @Override
        public CompletableFuture<DeliveryResult> apply() {
            return new CompletableFuture<>();
        }
    }
}
