package io.pushcomponent.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.RegistrationStoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Delivery diagnostics gathered in memory stay bounded whatever the publishes: a flush writes at most
 * {@link Diagnostics#BATCH} registrations per store call, {@link Diagnostics#FLUSH_AT} waiting registrations start a
 * flush at once, beyond {@link Diagnostics#MAX_PENDING} new registrations are not kept, and what a failing store did
 * not take waits for the next flush.
 */
class DiagnosticsTest {
    private static final Instant T0 = Instant.parse("2026-12-05T00:00:00Z");

    /** Records what {@code addDiagnostics} was given; fails the calls numbered in {@link #failCall}. */
    private static final class RecordingStore implements DeviceRegistrationStore {
        final List<Map<String, DeliveryDiagnostics>> calls = new CopyOnWriteArrayList<>();
        volatile int failCall = -1;

        @Override
        public void addDiagnostics(Map<String, DeliveryDiagnostics> changes) {
            if (calls.size() == failCall) {
                failCall = -1;
                throw new RegistrationStoreException("the database is down");
            }
            calls.add(Map.copyOf(changes));
        }

        Map<String, DeliveryDiagnostics> written() {
            Map<String, DeliveryDiagnostics> all = new HashMap<>();
            calls.forEach(call -> call.forEach((node, d) -> all.merge(node, d, DeliveryDiagnostics::plus)));
            return all;
        }

        @Override
        public DeviceRegistration register(DeviceRegistration candidate) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<DeviceRegistration> findByNode(String node) {
            return Optional.empty();
        }

        @Override
        public List<DeviceRegistration> findByToken(String providerId, String token) {
            return List.of();
        }

        @Override
        public List<DeviceRegistration> listByOwner(String owner) {
            return List.of();
        }

        @Override
        public boolean unregister(String node) {
            return false;
        }

        @Override
        public long count() {
            return 0;
        }

        @Override
        public Map<String, Long> countByProvider() {
            return Map.of();
        }

        @Override
        public Map<String, DeliveryDiagnostics> diagnostics(Collection<String> nodes) {
            return Map.of();
        }

        @Override
        public void close() {
        }
    }

    private final RecordingStore store = new RecordingStore();
    /** Flushes asked for at once, not run until the test runs them. */
    private final List<Runnable> asked = new CopyOnWriteArrayList<>();
    private final Diagnostics diagnostics = new Diagnostics(store, Clock.fixed(T0, ZoneOffset.UTC), asked::add);

    private void successes(int from, int to) {
        for (int i = from; i < to; i++) {
            diagnostics.success("node-" + i);
        }
    }

    @Test
    void aFlushWritesAtMostOneBatchPerStoreCall() {
        successes(0, 2_500);

        assertThat(diagnostics.flush()).isEqualTo(2_500);

        assertThat(store.calls).as("2,500 registrations in calls of at most %d", Diagnostics.BATCH)
                .hasSize(3).allSatisfy(call -> assertThat(call).hasSizeLessThanOrEqualTo(Diagnostics.BATCH));
        assertThat(store.written()).hasSize(2_500).containsEntry("node-7", DeliveryDiagnostics.success(T0));
        assertThat(diagnostics.flush()).as("nothing left").isZero();
    }

    @Test
    void manyWaitingRegistrationsStartOneFlushAtOnce() {
        successes(0, Diagnostics.FLUSH_AT - 1);
        assertThat(asked).as("below the threshold the periodic flush is enough").isEmpty();

        successes(Diagnostics.FLUSH_AT - 1, Diagnostics.FLUSH_AT + 50);
        assertThat(asked).as("one flush asked for, however many arrive before it starts").hasSize(1);

        asked.get(0).run();
        assertThat(store.written()).hasSize(Diagnostics.FLUSH_AT + 50);
        successes(0, Diagnostics.FLUSH_AT);
        assertThat(asked).as("after it ran, the threshold starts the next one").hasSize(2);
    }

    @Test
    void beyondTheLimitNewRegistrationsAreNotKeptButWaitingOnesStillAddUp() {
        successes(0, Diagnostics.MAX_PENDING);

        diagnostics.success("node-new");
        diagnostics.success("node-3");

        assertThat(diagnostics.flush()).isEqualTo(Diagnostics.MAX_PENDING);
        Map<String, DeliveryDiagnostics> written = store.written();
        assertThat(written).as("memory bounded: the registration beyond the limit was not kept")
                .hasSize(Diagnostics.MAX_PENDING).doesNotContainKey("node-new");
        assertThat(written.get("node-3").successes()).as("one already waiting still counts").isEqualTo(2);

        diagnostics.success("node-new");
        diagnostics.flush();
        assertThat(store.written()).as("kept again once the flush made room").containsKey("node-new");
    }

    @Test
    void whatAFailingStoreDidNotTakeWaitsForTheNextFlush() {
        successes(0, 2_500);
        store.failCall = 1;

        int first = diagnostics.flush();

        assertThat(first).as("the first batch was written, then the store failed").isEqualTo(Diagnostics.BATCH);
        assertThat(diagnostics.flush()).isEqualTo(2_500 - Diagnostics.BATCH);
        assertThat(store.written()).as("every registration once, none lost, none twice").hasSize(2_500)
                .allSatisfy((node, d) -> assertThat(d.successes()).isEqualTo(1));
    }
}
