package io.pushcomponent.component.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.RegistrationStoreException;
import io.pushcomponent.core.app.ProviderStatus;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.http.HttpRefusal;
import io.pushcomponent.http.HttpRequest;
import io.pushcomponent.http.HttpResponse;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Readiness: 200 only with an XMPP connection up, the store answering and no provider circuit open. */
@Timeout(30)
class HealthTest {
    private final AtomicInteger connected = new AtomicInteger(1);
    private final AtomicReference<List<ProviderStatus>> providers = new AtomicReference<>(List.of(
            new ProviderStatus("fcm-http-v1", ProviderStatus.State.CLOSED, 0, Duration.ZERO)));

    private static HttpRequest get() {
        return request("GET");
    }

    /** A request for {@link Health#READY} with {@code method}, no headers and no body. */
    private static HttpRequest request(String method) {
        return (HttpRequest) Proxy.newProxyInstance(HttpRequest.class.getClassLoader(),
                new Class<?>[] {HttpRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "method" -> method;
                    case "path" -> Health.READY;
                    case "remoteAddress" -> new InetSocketAddress("127.0.0.1", 1);
                    case "body" -> new byte[0];
                    default -> null;
                });
    }

    private static String body(HttpResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void readyWhenAConnectionIsUpTheStoreAnswersAndNoCircuitIsOpen() throws Exception {
        try (Health health = new Health(connected::get, 2, Stores.inMemoryDeviceStore(), providers::get)) {
            HttpResponse ready = health.ready().handle(get());
            assertThat(ready.status()).isEqualTo(200);
            assertThat(body(ready)).startsWith("ready\n").contains("xmpp: ok (1 of 2 connection(s) up)")
                    .contains("store: ok").contains("providers: ok");
            assertThat(health.live().handle(get()).status()).isEqualTo(200);
        }
    }

    @Test
    void notReadyWithoutAnXmppConnectionSayingSo() throws Exception {
        connected.set(0);
        try (Health health = new Health(connected::get, 1, Stores.inMemoryDeviceStore(), providers::get)) {
            HttpResponse ready = health.ready().handle(get());
            assertThat(ready.status()).isEqualTo(503);
            assertThat(body(ready)).startsWith("not ready\n")
                    .contains("xmpp: FAILED: no connection to the XMPP server is up (0 of 1)").contains("store: ok");
        }
    }

    @Test
    void notReadyWhileAProviderCircuitIsOpenNamingIt() throws Exception {
        providers.set(List.of(new ProviderStatus("fcm-http-v1", ProviderStatus.State.CLOSED, 0, Duration.ZERO),
                new ProviderStatus("apns", ProviderStatus.State.OPEN, 5, Duration.ofMillis(800))));
        try (Health health = new Health(connected::get, 1, Stores.inMemoryDeviceStore(), providers::get)) {
            HttpResponse ready = health.ready().handle(get());
            assertThat(ready.status()).isEqualTo(503);
            assertThat(body(ready)).contains("providers: FAILED: circuit open: apns OPEN (5 transport failure(s)")
                    .doesNotContain("fcm-http-v1 CLOSED");
        }
    }

    @Test
    void notReadyWhenTheStoreRefusesItsProbeWithTheReason() throws Exception {
        DeviceRegistrationStore broken = store(() -> {
            throw new RegistrationStoreException("connection refused");
        });
        try (Health health = new Health(connected::get, 1, broken, providers::get)) {
            HttpResponse ready = health.ready().handle(get());
            assertThat(ready.status()).isEqualTo(503);
            assertThat(body(ready)).contains("store: FAILED: RegistrationStoreException: connection refused");
        }
    }

    @Test
    void aHangingStoreFailsTheCheckAfterItsTimeoutAndIsProbedOnceAtATime() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger probes = new AtomicInteger();
        DeviceRegistrationStore hanging = store(() -> {
            probes.incrementAndGet();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (Health health = new Health(connected::get, 1, hanging, providers::get)) {
            HttpResponse first = health.ready().handle(get());
            HttpResponse second = health.ready().handle(get());
            assertThat(first.status()).isEqualTo(503);
            assertThat(body(first)).contains("store: FAILED: no answer within " + Health.STORE_TIMEOUT.toMillis()
                    + " ms");
            assertThat(second.status()).isEqualTo(503);
            assertThat(probes.get()).as("a hanging probe is not started again").isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void pollingTenTimesASecondWritesToTheStoreAtMostOncePerWriteIntervalAndReadsOncePerSecond() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        DeviceRegistrationStore counting = counting(writes, reads, null);
        long minutes = 10;
        try (Health health = new Health(connected::get, 1, counting, providers::get, now::get)) {
            for (long polls = 0; polls < minutes * 60 * 10; polls++) {
                HttpResponse ready = health.ready().handle(get());
                assertThat(ready.status()).as(body(ready)).isEqualTo(200);
                now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
        assertThat(writes.get()).as("one writing probe when first asked, then one per %s", Health.STORE_WRITE_INTERVAL)
                .isEqualTo(minutes * 60 / Health.STORE_WRITE_INTERVAL.toSeconds());
        assertThat(reads.get()).as("a read per second in between, however often readiness is polled")
                .isBetween((int) (minutes * 60 - writes.get() - 1), (int) (minutes * 60));
    }

    @Test
    void aFailedWriteIsTriedAgainAtTheNextCheckAndAFailingReadFailsTheCheck() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>(
                new RegistrationStoreException("read-only transaction"));
        DeviceRegistrationStore store = counting(writes, reads, failure);
        try (Health health = new Health(connected::get, 1, store, providers::get, now::get)) {
            assertThat(body(health.ready().handle(get()))).contains("store: FAILED: RegistrationStoreException: "
                    + "read-only transaction");
            now.addAndGet(Health.STORE_PROBE_INTERVAL.toNanos());
            assertThat(health.ready().handle(get()).status()).isEqualTo(503);
            assertThat(writes.get()).as("a failed write is not trusted to a later read").isEqualTo(2);
            assertThat(reads.get()).isZero();

            failure.set(null);
            now.addAndGet(Health.STORE_PROBE_INTERVAL.toNanos());
            assertThat(health.ready().handle(get()).status()).isEqualTo(200);
            now.addAndGet(Health.STORE_PROBE_INTERVAL.toNanos());
            assertThat(health.ready().handle(get()).status()).isEqualTo(200);
            assertThat(writes.get()).isEqualTo(3);
            assertThat(reads.get()).as("after a good write the checks read").isEqualTo(1);

            failure.set(new RegistrationStoreException("connection refused"));
            now.addAndGet(Health.STORE_PROBE_INTERVAL.toNanos());
            HttpResponse readFailed = health.ready().handle(get());
            assertThat(readFailed.status()).isEqualTo(503);
            assertThat(body(readFailed)).contains("store: FAILED: RegistrationStoreException: connection refused");
            assertThat(reads.get()).isEqualTo(2);
        }
    }

    @Test
    void onlyGetIsServed() {
        try (Health health = new Health(connected::get, 1, Stores.inMemoryDeviceStore(), providers::get)) {
            assertThatThrownBy(() -> health.ready().handle(request("POST"))).isInstanceOf(HttpRefusal.class)
                    .extracting(e -> ((HttpRefusal) e).status()).isEqualTo(405);
        }
    }

    /**
     * An in-memory store counting its writing probes and its reads by node; both throw what {@code failure} holds
     * (when given and not empty).
     */
    private static DeviceRegistrationStore counting(AtomicInteger writes, AtomicInteger reads,
                                                    AtomicReference<RuntimeException> failure) {
        DeviceRegistrationStore memory = Stores.inMemoryDeviceStore();
        return (DeviceRegistrationStore) Proxy.newProxyInstance(DeviceRegistrationStore.class.getClassLoader(),
                new Class<?>[] {DeviceRegistrationStore.class}, (proxy, method, args) -> {
                    boolean write = method.getName().equals("probe");
                    boolean read = method.getName().equals("findByNode");
                    if (write) {
                        writes.incrementAndGet();
                    } else if (read) {
                        reads.incrementAndGet();
                    } else {
                        throw new AssertionError("the readiness check called " + method.getName());
                    }
                    if (failure != null && failure.get() != null) {
                        throw failure.get();
                    }
                    return method.invoke(memory, args);
                });
    }

    /** An in-memory store whose probe runs {@code probe}. */
    private static DeviceRegistrationStore store(Runnable probe) {
        DeviceRegistrationStore memory = Stores.inMemoryDeviceStore();
        return (DeviceRegistrationStore) Proxy.newProxyInstance(DeviceRegistrationStore.class.getClassLoader(),
                new Class<?>[] {DeviceRegistrationStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("probe")) {
                        probe.run();
                        return null;
                    }
                    return method.invoke(memory, args);
                });
    }
}
