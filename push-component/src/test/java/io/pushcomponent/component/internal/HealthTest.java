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
    void onlyGetIsServed() {
        try (Health health = new Health(connected::get, 1, Stores.inMemoryDeviceStore(), providers::get)) {
            assertThatThrownBy(() -> health.ready().handle(request("POST"))).isInstanceOf(HttpRefusal.class)
                    .extracting(e -> ((HttpRefusal) e).status()).isEqualTo(405);
        }
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
