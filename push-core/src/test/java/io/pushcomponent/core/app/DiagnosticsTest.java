package io.pushcomponent.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.RegistrationStoreException;
import io.pushcomponent.core.store.Stores;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A flush writes what was gathered in chunks of at most {@link Diagnostics#FLUSH_CHUNK} registrations per store
 * call, in node order, every change exactly once; when the store fails, the failed chunk and those after it are kept
 * for the next flush. What waits stays bounded: {@link Diagnostics#FLUSH_AT} waiting registrations start a flush at
 * once, and beyond {@link Diagnostics#MAX_PENDING} the outcomes of further registrations are not kept.
 */
class DiagnosticsTest {
    private static final Instant T0 = Instant.parse("2026-12-05T21:00:00Z");

    /** Flushes asked for at once, not run until a test runs them. */
    private final List<Runnable> asked = new CopyOnWriteArrayList<>();

    /** The in-memory store, recording the nodes of each {@code addDiagnostics} call; fails the calls it is told to. */
    private static final class Recorded {
        final DeviceRegistrationStore delegate = Stores.inMemoryDeviceStore();
        final List<List<String>> calls = new CopyOnWriteArrayList<>();
        volatile int failCall = -1;
        final DeviceRegistrationStore store = (DeviceRegistrationStore) Proxy.newProxyInstance(
                DeviceRegistrationStore.class.getClassLoader(), new Class<?>[] {DeviceRegistrationStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("addDiagnostics")) {
                        @SuppressWarnings("unchecked")
                        Map<String, DeliveryDiagnostics> changes = (Map<String, DeliveryDiagnostics>) args[0];
                        calls.add(changes.keySet().stream().sorted().toList());
                        if (calls.size() - 1 == failCall) {
                            throw new RegistrationStoreException("the store is down");
                        }
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static String node(int i) {
        return "node-%05d".formatted(i);
    }

    private static Recorded storeWith(int registrations) {
        Recorded recorded = new Recorded();
        for (int i = 0; i < registrations; i++) {
            recorded.delegate.register(new DeviceRegistration(node(i), new Device("fcm-http-v1", "token-" + i, null,
                    null, false), "juliet@capulet.example", "secret-" + i, T0));
        }
        return recorded;
    }

    private static Map<String, DeliveryDiagnostics> read(Diagnostics diagnostics, int registrations) {
        return diagnostics.read(IntStream.range(0, registrations).mapToObj(DiagnosticsTest::node).toList());
    }

    @Test
    void aFlushWritesInChunksInNodeOrderEveryChangeOnce() {
        int registrations = 2 * Diagnostics.FLUSH_CHUNK + 7;
        Recorded recorded = storeWith(registrations);
        Diagnostics diagnostics = new Diagnostics(recorded.store, Clock.fixed(T0, ZoneOffset.UTC), asked::add, Duration.ZERO);
        for (int i = registrations - 1; i >= 0; i--) {
            diagnostics.success(node(i));
            diagnostics.success(node(i));
        }

        assertThat(diagnostics.flush()).as("every registration's diagnostics written").isEqualTo(registrations);

        assertThat(recorded.calls).as("chunks of at most %d", Diagnostics.FLUSH_CHUNK)
                .extracting(List::size).containsExactly(Diagnostics.FLUSH_CHUNK, Diagnostics.FLUSH_CHUNK, 7);
        List<String> written = new ArrayList<>();
        recorded.calls.forEach(written::addAll);
        assertThat(written).as("in node order, each node once")
                .isEqualTo(IntStream.range(0, registrations).mapToObj(DiagnosticsTest::node).toList());
        assertThat(read(diagnostics, registrations).values()).as("both successes of each, counted once")
                .allSatisfy(d -> assertThat(d.successes()).isEqualTo(2));
        assertThat(diagnostics.flush()).as("nothing left to write").isZero();
    }

    @Test
    void whenTheStoreFailsTheFailedChunkAndTheRestAreKeptForTheNextFlush() {
        int registrations = 3 * Diagnostics.FLUSH_CHUNK;
        Recorded recorded = storeWith(registrations);
        Diagnostics diagnostics = new Diagnostics(recorded.store, Clock.fixed(T0, ZoneOffset.UTC), asked::add, Duration.ZERO);
        IntStream.range(0, registrations).forEach(i -> diagnostics.success(node(i)));
        recorded.failCall = 1;

        assertThat(diagnostics.flush()).as("the first chunk written, then the store failed")
                .isEqualTo(Diagnostics.FLUSH_CHUNK);
        assertThat(recorded.calls).as("no chunk tried after the failed one").hasSize(2);
        assertThat(read(diagnostics, registrations).values()).as("no change lost or counted twice meanwhile")
                .allSatisfy(d -> assertThat(d.successes()).isEqualTo(1));

        diagnostics.success(node(registrations - 1));
        assertThat(diagnostics.flush()).as("the kept changes written by the next flush")
                .isEqualTo(2 * Diagnostics.FLUSH_CHUNK);
        Map<String, DeliveryDiagnostics> after = read(diagnostics, registrations);
        assertThat(after.get(node(registrations - 1)).successes()).as("a kept change and a newer one add up")
                .isEqualTo(2);
        assertThat(after.get(node(0)).successes()).isEqualTo(1);
        assertThat(after.get(node(Diagnostics.FLUSH_CHUNK)).successes()).isEqualTo(1);
    }

    @Test
    void manyWaitingRegistrationsStartOneFlushAtOnce() {
        int registrations = Diagnostics.FLUSH_AT + 50;
        Recorded recorded = storeWith(registrations);
        Diagnostics diagnostics = new Diagnostics(recorded.store, Clock.fixed(T0, ZoneOffset.UTC), asked::add, Duration.ZERO);
        IntStream.range(0, Diagnostics.FLUSH_AT - 1).forEach(i -> diagnostics.success(node(i)));
        assertThat(asked).as("below the threshold the periodic flush is enough").isEmpty();

        IntStream.range(Diagnostics.FLUSH_AT - 1, registrations).forEach(i -> diagnostics.success(node(i)));
        assertThat(asked).as("one flush asked for, however many arrive before it starts").hasSize(1);

        asked.get(0).run();
        assertThat(recorded.calls.stream().mapToInt(List::size).sum()).as("it wrote everything waiting")
                .isEqualTo(registrations);
        IntStream.range(0, Diagnostics.FLUSH_AT).forEach(i -> diagnostics.success(node(i)));
        assertThat(asked).as("once it ran, the threshold starts the next one").hasSize(2);
    }

    @Test
    void beyondTheLimitNewRegistrationsAreNotKeptButWaitingOnesStillAddUp() {
        int registrations = Diagnostics.MAX_PENDING + 1;
        Recorded recorded = storeWith(registrations);
        Diagnostics diagnostics = new Diagnostics(recorded.store, Clock.fixed(T0, ZoneOffset.UTC), asked::add, Duration.ZERO);
        IntStream.range(0, Diagnostics.MAX_PENDING).forEach(i -> diagnostics.success(node(i)));
        String beyond = node(Diagnostics.MAX_PENDING);

        diagnostics.success(beyond);
        diagnostics.success(node(3));

        assertThat(diagnostics.flush()).as("memory bounded: the registration beyond the limit was not kept")
                .isEqualTo(Diagnostics.MAX_PENDING);
        Map<String, DeliveryDiagnostics> written = diagnostics.read(List.of(beyond, node(3)));
        assertThat(written.get(beyond)).isEqualTo(DeliveryDiagnostics.NONE);
        assertThat(written.get(node(3)).successes()).as("one already waiting still counts").isEqualTo(2);

        diagnostics.success(beyond);
        diagnostics.flush();
        assertThat(diagnostics.read(List.of(beyond)).get(beyond).successes()).as("kept again once a flush made room")
                .isEqualTo(1);
    }

    @Test
    void aHotSetLargerThanTheThresholdIsNotWrittenAgainBeforeTheMinimumGap() {
        int registrations = Diagnostics.FLUSH_AT;
        Recorded recorded = storeWith(registrations);
        Diagnostics diagnostics = new Diagnostics(recorded.store, Clock.fixed(T0, ZoneOffset.UTC), asked::add,
                Duration.ofHours(1));
        IntStream.range(0, registrations).forEach(i -> diagnostics.success(node(i)));
        assertThat(asked).as("the threshold starts a flush").hasSize(1);
        asked.get(0).run();

        IntStream.range(0, registrations).forEach(i -> diagnostics.success(node(i)));

        assertThat(asked).as("the same registrations again within the gap wait for the periodic flush").hasSize(1);
    }
}
