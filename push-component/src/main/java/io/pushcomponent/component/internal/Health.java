package io.pushcomponent.component.internal;

import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.ProviderStatus;
import io.pushcomponent.http.HttpRefusal;
import io.pushcomponent.http.HttpRequest;
import io.pushcomponent.http.HttpResponse;
import io.pushcomponent.http.HttpRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@code /health/live} and {@code /health/ready}.
 *
 * <p>Live: the process answers HTTP (200 {@code live}). Ready: 200 only when at least one XMPP connection is
 * authenticated, the store answers and no provider's circuit is open (or paused, or on trial); else 503. The body
 * (plain text) names each check, {@code ok} or {@code FAILED}, and why.
 *
 * <p>The store is checked at most once per {@link #STORE_PROBE_INTERVAL} (more frequent checks reuse the result),
 * on a thread of its own, one check at a time, so that a hanging store makes the check fail after
 * {@link #STORE_TIMEOUT} rather than pinning HTTP threads. A check is a read (a look-up of a node no registration
 * has), except that at most once per {@link #STORE_WRITE_INTERVAL}, and after every failed write, it is the store's
 * {@link DeviceRegistrationStore#probe() probe}, which writes and removes a row: so a store that went read-only
 * fails the check within that interval, and polling readiness often costs reads, not writes. Thread-safe;
 * {@link #close()} stops the probe thread.
 */
public final class Health implements AutoCloseable {
    /** The path of the liveness check. */
    public static final String LIVE = "/health/live";
    /** The path of the readiness check. */
    public static final String READY = "/health/ready";
    /** How long the store may take to answer its probe. */
    static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);
    /** How long one store check's result stands. */
    static final Duration STORE_PROBE_INTERVAL = Duration.ofSeconds(1);
    /** The least time between two store checks that write (after a successful write). */
    static final Duration STORE_WRITE_INTERVAL = Duration.ofMinutes(1);
    /** The node the reading check looks up: the probe's prefix, which no registration's random node has. */
    static final String READ_PROBE_NODE = "store-probe-read";
    private static final int MAX_REASON = 200;

    private final IntSupplier connected;
    private final int connections;
    private final DeviceRegistrationStore store;
    private final Supplier<List<ProviderStatus>> providers;
    private final LongSupplier nanoClock;
    private final ExecutorService prober = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "push-health-store-probe");
        t.setDaemon(true);
        return t;
    });
    private CompletableFuture<String> probe;
    private long probeStartedNanos;
    /** Read and written on the probe thread only. */
    private boolean writeDue = true;
    private long lastWriteNanos;

    /**
     * @param connected   how many XMPP connections are authenticated now
     * @param connections how many are configured
     * @param store       the registration store
     * @param providers   the providers' breaker states now
     */
    public Health(IntSupplier connected, int connections, DeviceRegistrationStore store,
                  Supplier<List<ProviderStatus>> providers) {
        this(connected, connections, store, providers, System::nanoTime);
    }

    /** The same with the time read from {@code nanoClock} (a test's clock). */
    Health(IntSupplier connected, int connections, DeviceRegistrationStore store,
           Supplier<List<ProviderStatus>> providers, LongSupplier nanoClock) {
        this.connected = connected;
        this.connections = connections;
        this.store = store;
        this.providers = providers;
        this.nanoClock = nanoClock;
    }

    /** The liveness route: 200 whenever the process answers. */
    public HttpRoute live() {
        return request -> {
            requireGet(request);
            return HttpResponse.text(200, "live\n");
        };
    }

    /** The readiness route. */
    public HttpRoute ready() {
        return request -> {
            requireGet(request);
            List<String> lines = new ArrayList<>();
            boolean ok = true;
            int up = connected.getAsInt();
            if (up > 0) {
                lines.add("xmpp: ok (" + up + " of " + connections + " connection(s) up)");
            } else {
                ok = false;
                lines.add("xmpp: FAILED: no connection to the XMPP server is up (0 of " + connections + ")");
            }
            String storeProblem = storeProblem();
            if (storeProblem == null) {
                lines.add("store: ok");
            } else {
                ok = false;
                lines.add("store: FAILED: " + storeProblem);
            }
            List<String> open = new ArrayList<>();
            for (ProviderStatus s : providers.get()) {
                if (s.isOpen()) {
                    open.add(s.providerId() + " " + s.state() + " (" + s.consecutiveFailures()
                            + " transport failure(s) in a row, publishes answered 'wait' for " + s.waitLeft().toMillis()
                            + " ms more)");
                }
            }
            if (open.isEmpty()) {
                lines.add("providers: ok (no circuit open)");
            } else {
                ok = false;
                lines.add("providers: FAILED: circuit open: " + String.join("; ", open));
            }
            return HttpResponse.text(ok ? 200 : 503, (ok ? "ready" : "not ready") + "\n" + String.join("\n", lines)
                    + "\n");
        };
    }

    /** {@code null} when the store answered its latest probe; else why not. */
    private String storeProblem() {
        CompletableFuture<String> current;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (probe == null || probe.isDone() && now - probeStartedNanos >= STORE_PROBE_INTERVAL.toNanos()) {
                probeStartedNanos = now;
                probe = CompletableFuture.supplyAsync(this::probeStore, prober);
            }
            current = probe;
        }
        try {
            return current.get(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return "no answer within " + STORE_TIMEOUT.toMillis() + " ms";
        } catch (ExecutionException e) {
            return describe(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Runs on the probe thread: a read, or the writing probe when one is due. */
    private String probeStore() {
        long now = nanoClock.getAsLong();
        boolean write = writeDue || now - lastWriteNanos >= STORE_WRITE_INTERVAL.toNanos();
        try {
            if (write) {
                writeDue = true;
                lastWriteNanos = now;
                store.probe();
                writeDue = false;
            } else {
                store.findByNode(READ_PROBE_NODE);
            }
            return null;
        } catch (RuntimeException e) {
            return describe(e);
        }
    }

    private static String describe(Throwable e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        text = text.replaceAll("[\\p{Cntrl}]", " ");
        return text.length() > MAX_REASON ? text.substring(0, MAX_REASON) + "…" : text;
    }

    private static void requireGet(HttpRequest request) throws HttpRefusal {
        if (!"GET".equals(request.method())) {
            throw new HttpRefusal(405, "method " + request.method(), "Allow", "GET");
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
