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
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A flush writes what was gathered in chunks of at most {@link Diagnostics#FLUSH_CHUNK} registrations per store
 * call, in node order, every change exactly once; when the store fails, the failed chunk and those after it are kept
 * for the next flush. What waits stays bounded: {@link Diagnostics#FLUSH_AT} waiting registrations start a flush at
 * once, and so do {@link Diagnostics#FIRST_OUTCOMES_FLUSH_AT} entries created since the last flush (first outcomes,
 * written by it while hot entries' successes keep waiting), also by ending the pauses of a periodic flush; beyond
 * {@link Diagnostics#MAX_PENDING} the outcomes of further registrations are not kept. A node's
 * entry is kept across flushes while the node keeps being published and retired by the first flush after which it was
 * not; no outcome racing a flush or a retirement is lost or counted twice. A periodic flush spreads its chunks over
 * the time it is given, unless more than {@link Diagnostics#FLUSH_AT} registrations wait, and stops pausing when told.
 */
class DiagnosticsTest {
    private static final Instant T0 = Instant.parse("2026-12-05T21:00:00Z");

    /** Flushes asked for at once, not run until a test runs them. */
    private final List<Runnable> asked = new CopyOnWriteArrayList<>();

    /** The in-memory store, recording the nodes of each {@code addDiagnostics} call; fails the calls it is told to. */
    private static final class Recorded {
        final DeviceRegistrationStore delegate = Stores.inMemoryDeviceStore();
        final List<List<String>> calls = new CopyOnWriteArrayList<>();
        /** When each {@code addDiagnostics} call started ({@link System#nanoTime()}). */
        final List<Long> callStarts = new CopyOnWriteArrayList<>();
        volatile int failCall = -1;
        /** Run inside each {@code addDiagnostics} call, before the delegate's write. */
        volatile Runnable duringWrite = () -> { };
        final DeviceRegistrationStore store = (DeviceRegistrationStore) Proxy.newProxyInstance(
                DeviceRegistrationStore.class.getClassLoader(), new Class<?>[] {DeviceRegistrationStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("addDiagnostics")) {
                        @SuppressWarnings("unchecked")
                        Map<String, DeliveryDiagnostics> changes = (Map<String, DeliveryDiagnostics>) args[0];
                        callStarts.add(System.nanoTime());
                        calls.add(changes.keySet().stream().sorted().toList());
                        if (calls.size() - 1 == failCall) {
                            throw new RegistrationStoreException("the store is down");
                        }
                        duringWrite.run();
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

    /**
     * Diagnostics over {@code recorded}'s store at the fixed time {@link #T0}, early flushes without a gap, every change
     * written by the next flush (no success interval).
     */
    private Diagnostics atT0(Recorded recorded) {
        return new Diagnostics(recorded.store, Clock.fixed(T0, ZoneOffset.UTC), asked::add, Duration.ZERO,
                Duration.ZERO);
    }

    private static Map<String, DeliveryDiagnostics> read(Diagnostics diagnostics, int registrations) {
        return diagnostics.read(IntStream.range(0, registrations).mapToObj(DiagnosticsTest::node).toList());
    }

    @Test
    void aFlushWritesInChunksInNodeOrderEveryChangeOnce() {
        int registrations = 2 * Diagnostics.FLUSH_CHUNK + 7;
        Recorded recorded = storeWith(registrations);
        Diagnostics diagnostics = atT0(recorded);
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
        Diagnostics diagnostics = atT0(recorded);
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
        Diagnostics diagnostics = atT0(recorded);
        IntStream.range(0, registrations).forEach(i -> diagnostics.success(node(i)));
        asked.forEach(Runnable::run);
        asked.clear();
        recorded.calls.clear();
        IntStream.range(0, Diagnostics.FLUSH_AT - 1).forEach(i -> diagnostics.success(node(i)));
        assertThat(asked).as("outcomes of kept entries: below the threshold the periodic flush is enough").isEmpty();

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
        Diagnostics diagnostics = atT0(recorded);
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
                Duration.ofHours(1), Duration.ZERO);
        IntStream.range(0, registrations).forEach(i -> diagnostics.success(node(i)));
        assertThat(asked).as("the threshold starts a flush").hasSize(1);
        asked.get(0).run();

        IntStream.range(0, registrations).forEach(i -> diagnostics.success(node(i)));

        assertThat(asked).as("the same registrations again within the gap wait for the periodic flush").hasSize(1);
    }

    @Test
    void anEntryIsKeptWhileItsNodeIsPublishedAndRetiredByTheFirstFlushAfterItWasNot() {
        Recorded recorded = storeWith(3);
        Diagnostics diagnostics = atT0(recorded);
        diagnostics.success(node(0));
        diagnostics.success(node(1));
        assertThat(diagnostics.flush()).isEqualTo(2);
        assertThat(diagnostics.entries()).as("both written and kept for their next outcome").isEqualTo(2);

        diagnostics.success(node(0));
        assertThat(diagnostics.flush()).as("only what was gathered since is written").isEqualTo(1);
        assertThat(diagnostics.entries()).as("node 1 was not published since the flush before: retired")
                .isEqualTo(1);

        assertThat(diagnostics.flush()).isZero();
        assertThat(diagnostics.entries()).as("node 0 neither, now").isZero();

        diagnostics.success(node(0));
        assertThat(diagnostics.entries()).as("a retired node's next outcome gets a new entry").isEqualTo(1);
        assertThat(diagnostics.flush()).isEqualTo(1);
        Map<String, DeliveryDiagnostics> read = read(diagnostics, 3);
        assertThat(read.get(node(0)).successes()).as("every outcome counted once across entries").isEqualTo(3);
        assertThat(read.get(node(1)).successes()).isEqualTo(1);
        assertThat(read.get(node(2))).isEqualTo(DeliveryDiagnostics.NONE);
    }

    @Test
    void anOutcomeGatheredWhileItsEntryIsWrittenIsCountedOnceAndWrittenByTheNextFlush() {
        Recorded recorded = storeWith(1);
        Diagnostics diagnostics = atT0(recorded);
        diagnostics.success(node(0));
        recorded.duringWrite = () -> {
            recorded.duringWrite = () -> { };
            diagnostics.failure(node(0), "timeout", Errors.storeFailure());
        };

        assertThat(diagnostics.flush()).isEqualTo(1);
        DeliveryDiagnostics meanwhile = diagnostics.read(List.of(node(0))).get(node(0));
        assertThat(meanwhile.successes()).as("the written success, once").isEqualTo(1);
        assertThat(meanwhile.failures()).as("the failure gathered during the write, not lost").isEqualTo(1);
        assertThat(meanwhile.lastFailureReason()).isEqualTo("timeout");
        assertThat(meanwhile.lastFailureCondition()).isEqualTo(Diagnostics.condition(Errors.storeFailure()));

        assertThat(diagnostics.flush()).as("the failure waited for the next flush").isEqualTo(1);
        assertThat(diagnostics.flush()).isZero();
        assertThat(diagnostics.entries()).isZero();
        DeliveryDiagnostics stored = recorded.delegate.diagnostics(List.of(node(0))).get(node(0));
        assertThat(stored.successes()).isEqualTo(1);
        assertThat(stored.failures()).isEqualTo(1);
        assertThat(stored.lastSuccess()).isEqualTo(T0);
        assertThat(stored.lastFailure()).isEqualTo(T0);
    }

    @Test
    void outcomesRacingFlushesAndRetirementsAreNeitherLostNorCountedTwice() throws Exception {
        Recorded recorded = storeWith(64);
        Diagnostics diagnostics = new Diagnostics(recorded.store, Clock.systemUTC(), asked::add, Duration.ZERO,
                Duration.ZERO);
        raceAndCount(recorded, diagnostics, diagnostics::flush);
    }

    @Test
    void outcomesRacingPeriodicFlushesThatLeaveSuccessesWaitingAreNeitherLostNorCountedTwice() throws Exception {
        Recorded recorded = storeWith(64);
        // a success interval of 2 ms: entries are left waiting, come due and are written while outcomes race them
        Diagnostics diagnostics = new Diagnostics(recorded.store, Clock.systemUTC(), asked::add, Duration.ZERO,
                Duration.ofMillis(2));
        raceAndCount(recorded, diagnostics, () -> diagnostics.flush(Duration.ZERO));

        assertThat(diagnostics.waiting()).as("nothing counted as waiting once everything is written").isZero();
        diagnostics.flush(Duration.ZERO);
        assertThat(diagnostics.entries()).as("every entry retired after a flush that found nothing").isZero();
    }

    /**
     * Two threads publish to 64 nodes while {@code flush} runs in a loop, then {@link Diagnostics#flush()}: the store
     * holds every outcome once.
     */
    private void raceAndCount(Recorded recorded, Diagnostics diagnostics, Runnable flush) throws Exception {
        int registrations = 64;
        int rounds = 400;
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            AtomicBoolean publishing = new AtomicBoolean(true);
            Future<Integer> flushes = threads.submit(() -> {
                int n = 0;
                while (publishing.get()) {
                    flush.run();
                    n++;
                }
                return n;
            });
            // each round publishes to a third of the nodes, another third each round: nodes go cold (their entries
            // retired by a flush) and are published again while flushes run
            Callable<long[]> publisher = () -> {
                long[] published = new long[registrations];
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < registrations; i++) {
                        if ((i + round) % 3 == 0) {
                            if (i % 2 == 0) {
                                diagnostics.success(node(i));
                            } else {
                                diagnostics.failure(node(i), "unreachable", Errors.storeFailure());
                            }
                            published[i]++;
                        }
                    }
                }
                return published;
            };
            Future<long[]> first = threads.submit(publisher);
            Future<long[]> second = threads.submit(publisher);
            long[] a = first.get(1, TimeUnit.MINUTES);
            long[] b = second.get(1, TimeUnit.MINUTES);
            publishing.set(false);
            assertThat(flushes.get(1, TimeUnit.MINUTES)).as("flushes ran meanwhile").isPositive();

            diagnostics.flush();
            Map<String, DeliveryDiagnostics> stored = recorded.delegate.diagnostics(
                    IntStream.range(0, registrations).mapToObj(DiagnosticsTest::node).toList());
            for (int i = 0; i < registrations; i++) {
                DeliveryDiagnostics d = stored.get(node(i));
                assertThat(d.successes() + d.failures()).as("outcomes of %s in the store", node(i))
                        .isEqualTo(a[i] + b[i]);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aFlushSpreadOverTimeStartsChunkIOfNNoEarlierThanIOverNOfTheSpread() {
        int registrations = 2 * Diagnostics.FLUSH_CHUNK + 7;
        Recorded recorded = storeWith(registrations);
        Diagnostics diagnostics = atT0(recorded);
        IntStream.range(0, registrations).forEach(i -> diagnostics.success(node(i)));
        Duration spread = Duration.ofMillis(1_500);

        long before = System.nanoTime();
        assertThat(diagnostics.flush(spread)).isEqualTo(registrations);

        assertThat(recorded.callStarts).hasSize(3);
        for (int chunk = 1; chunk < 3; chunk++) {
            assertThat(recorded.callStarts.get(chunk) - before).as("chunk %d of 3 starts after %d/3 of the spread",
                    chunk, chunk).isGreaterThanOrEqualTo(spread.toNanos() / 3 * chunk);
        }
    }

    @Test
    void stopPacingEndsTheSpreadFlushsPausesAndEveryLaterOnes() throws Exception {
        int registrations = 2 * Diagnostics.FLUSH_CHUNK + 7;
        Recorded recorded = storeWith(registrations);
        Diagnostics diagnostics = atT0(recorded);
        IntStream.range(0, registrations).forEach(i -> diagnostics.success(node(i)));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> flush = spreadOverAnHourPastItsFirstChunk(diagnostics, recorded, thread);

            diagnostics.stopPacing();

            assertThat(flush.get(1, TimeUnit.MINUTES)).as("the rest written at once, not an hour later")
                    .isEqualTo(registrations);
            IntStream.range(0, registrations).forEach(i -> diagnostics.success(node(i)));
            assertThat(thread.submit(() -> diagnostics.flush(Duration.ofHours(1))).get(1, TimeUnit.MINUTES))
                    .as("a later flush does not pause either").isEqualTo(registrations);
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void moreThanFlushAtRegistrationsWaitingAreWrittenBackToBackWhateverTheSpread() throws Exception {
        int registrations = Diagnostics.FLUSH_AT + 1;
        Recorded recorded = storeWith(registrations);
        Diagnostics diagnostics = new Diagnostics(recorded.store, Clock.fixed(T0, ZoneOffset.UTC), asked::add,
                Duration.ofHours(1), Duration.ZERO);
        IntStream.range(0, registrations).forEach(i -> diagnostics.success(node(i)));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            assertThat(thread.submit(() -> diagnostics.flush(Duration.ofHours(1))).get(1, TimeUnit.MINUTES))
                    .as("the store falling behind: no pauses").isEqualTo(registrations);
        } finally {
            thread.shutdownNow();
        }
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        volatile Instant now = T0;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }

    private static final Duration INTERVAL = Duration.ofMinutes(10);

    /** Diagnostics over {@code recorded}'s store on {@code clock}, successes waiting up to {@link #INTERVAL}. */
    private Diagnostics withSuccessInterval(Recorded recorded, Clock clock) {
        return new Diagnostics(recorded.store, clock, asked::add, Duration.ZERO, INTERVAL);
    }

    /**
     * Starts on {@code thread} a periodic flush spread over an hour and returns once it wrote its first chunk (it then
     * pauses before the next).
     */
    private static Future<Integer> spreadOverAnHourPastItsFirstChunk(Diagnostics diagnostics, Recorded recorded,
                                                                     ExecutorService thread) throws Exception {
        CountDownLatch firstChunk = new CountDownLatch(1);
        recorded.duringWrite = firstChunk::countDown;
        Future<Integer> flush = thread.submit(() -> diagnostics.flush(Duration.ofHours(1)));
        assertThat(firstChunk.await(1, TimeUnit.MINUTES)).as("the first chunk written").isTrue();
        return flush;
    }

    private static DeliveryDiagnostics stored(Recorded recorded, String node) {
        return recorded.delegate.diagnostics(List.of(node)).get(node);
    }

    @Test
    void aNodePublishedAgainAndAgainHasItsSuccessesWrittenWithinTheSuccessIntervalNotAtEveryFlush() {
        Recorded recorded = storeWith(1);
        MovingClock clock = new MovingClock();
        Diagnostics diagnostics = withSuccessInterval(recorded, clock);
        diagnostics.success(node(0));
        diagnostics.success(node(0));

        assertThat(diagnostics.flush(Duration.ZERO)).as("more than one success, nothing else: left waiting").isZero();
        assertThat(stored(recorded, node(0))).isEqualTo(DeliveryDiagnostics.NONE);
        assertThat(diagnostics.read(List.of(node(0))).get(node(0)).successes()).as("a read stays exact").isEqualTo(2);
        assertThat(diagnostics.waiting()).as("left waiting: not counted towards an early flush").isZero();

        Duration step = INTERVAL.dividedBy(10);
        int flushes = 0;
        int successes = 2;
        while (stored(recorded, node(0)).successes() == 0) {
            assertThat(flushes).as("written within the success interval").isLessThanOrEqualTo(10);
            clock.advance(step);
            diagnostics.success(node(0));
            successes++;
            diagnostics.flush(Duration.ZERO);
            flushes++;
        }
        assertThat(flushes).as("not before half of the success interval").isGreaterThanOrEqualTo(5);
        DeliveryDiagnostics written = stored(recorded, node(0));
        assertThat(written.successes()).as("everything gathered until then, at once").isEqualTo(successes);
        assertThat(written.lastSuccess()).isEqualTo(clock.now);

        clock.advance(step);
        diagnostics.success(node(0));
        assertThat(diagnostics.flush(Duration.ZERO)).as("the next write is due a success interval later again")
                .isZero();
        assertThat(diagnostics.flush()).as("flush() (on closing) writes what waits").isEqualTo(1);
        assertThat(stored(recorded, node(0)).successes()).isEqualTo(successes + 1);
    }

    @Test
    void aFailureAndANodesOnlyOutcomeAreWrittenByTheNextFlush() {
        Recorded recorded = storeWith(2);
        MovingClock clock = new MovingClock();
        Diagnostics diagnostics = withSuccessInterval(recorded, clock);
        diagnostics.success(node(0));
        diagnostics.success(node(0));
        diagnostics.success(node(1));
        assertThat(diagnostics.flush(Duration.ZERO)).as("node 1's only outcome (a node published once) is written")
                .isEqualTo(1);
        assertThat(stored(recorded, node(1)).successes()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        diagnostics.failure(node(0), "unreachable", Errors.storeFailure());
        assertThat(diagnostics.waiting()).as("a failure counts as waiting again").isEqualTo(1);
        diagnostics.success(node(1));
        assertThat(diagnostics.flush(Duration.ZERO)).as("the failure goes out with the successes before it")
                .isEqualTo(1);
        DeliveryDiagnostics failed = stored(recorded, node(0));
        assertThat(failed.successes()).isEqualTo(2);
        assertThat(failed.failures()).isEqualTo(1);
        assertThat(failed.lastFailure()).isEqualTo(clock.now);
        assertThat(failed.lastFailureReason()).isEqualTo("unreachable");
        assertThat(stored(recorded, node(1)).successes()).as("node 1 written once already: its success waits")
                .isEqualTo(1);
        assertThat(diagnostics.read(List.of(node(1))).get(node(1)).successes()).isEqualTo(2);
    }

    @Test
    void aNodeThatWentQuietIsWrittenByTheFirstPeriodicFlushThatFindsItNotPublishedAndThenRetired() {
        Recorded recorded = storeWith(1);
        MovingClock clock = new MovingClock();
        Diagnostics diagnostics = withSuccessInterval(recorded, clock);
        diagnostics.success(node(0));
        diagnostics.success(node(0));
        assertThat(diagnostics.flush(Duration.ZERO)).isZero();

        clock.advance(Duration.ofMinutes(1));
        assertThat(diagnostics.flush(Duration.ZERO)).as("not published since the flush before: written").isEqualTo(1);
        assertThat(stored(recorded, node(0)).successes()).isEqualTo(2);
        assertThat(diagnostics.flush(Duration.ZERO)).isZero();
        assertThat(diagnostics.entries()).as("then retired like any entry with nothing new").isZero();
    }

    @Test
    void aHotSetFirstSeenTogetherComesDueSpreadOverTheSecondHalfOfTheSuccessInterval() {
        int registrations = 1_000;
        Recorded recorded = storeWith(registrations);
        MovingClock clock = new MovingClock();
        Diagnostics diagnostics = withSuccessInterval(recorded, clock);
        Runnable publishAll = () -> IntStream.range(0, registrations).forEach(i -> diagnostics.success(node(i)));
        publishAll.run();
        publishAll.run();
        assertThat(diagnostics.flush(Duration.ZERO)).isZero();

        List<Integer> perFlush = new ArrayList<>();
        for (int step = 1; step <= 10; step++) {
            clock.advance(INTERVAL.dividedBy(10));
            publishAll.run();
            perFlush.add(diagnostics.flush(Duration.ZERO));
        }

        assertThat(perFlush.subList(0, 4)).as("none within half of the interval").containsOnly(0);
        assertThat(perFlush.stream().mapToInt(Integer::intValue).sum()).as("each within the interval, once")
                .isEqualTo(registrations);
        assertThat(perFlush).as("spread out: no flush writes as much as 40 %% of them (about a fifth each)")
                .allSatisfy(n -> assertThat(n).isLessThan(registrations * 2 / 5));
    }

    @Test
    void aHotSetLeftWaitingStartsNoEarlyFlushesAndKeepsNoOutcomeFromBeingKept() {
        int registrations = Diagnostics.FLUSH_AT;
        Recorded recorded = storeWith(registrations + 1);
        Diagnostics diagnostics = withSuccessInterval(recorded, new MovingClock());
        Runnable publishAll = () -> IntStream.range(0, registrations).forEach(i -> diagnostics.success(node(i)));
        publishAll.run();
        publishAll.run();
        assertThat(asked).as("all new: the threshold starts a flush").hasSize(1);
        asked.get(0).run();
        assertThat(recorded.calls).as("the early flush left the hot set's successes waiting too").isEmpty();
        assertThat(diagnostics.waiting()).isZero();

        publishAll.run();
        diagnostics.success(node(registrations));

        assertThat(asked).as("successes of entries left waiting do not count towards the threshold").hasSize(1);
        assertThat(diagnostics.waiting()).as("only the new node counts").isEqualTo(1);
        assertThat(diagnostics.flush()).as("nothing was dropped").isEqualTo(registrations + 1);
        assertThat(read(diagnostics, registrations + 1).values()).allSatisfy(d -> assertThat(d.successes())
                .isPositive());
    }

    @Test
    void manyNewEntriesStartAFlushAtOnceThatWritesThemAndLeavesHotSuccessesWaiting() {
        int hot = 100;
        int registrations = Diagnostics.FIRST_OUTCOMES_FLUSH_AT;
        Recorded recorded = storeWith(registrations);
        Diagnostics diagnostics = withSuccessInterval(recorded, new MovingClock());
        IntStream.range(0, hot).forEach(i -> diagnostics.success(node(i)));
        IntStream.range(0, hot).forEach(i -> diagnostics.success(node(i)));
        IntStream.range(hot, registrations - 1).forEach(i -> diagnostics.success(node(i)));
        assertThat(asked).as("one entry short of the threshold: no flush yet").isEmpty();

        diagnostics.success(node(registrations - 1));
        assertThat(asked).as("the threshold of entries created starts a flush").hasSize(1);
        asked.get(0).run();

        assertThat(recorded.calls.stream().flatMap(List::stream).toList()).as("it wrote every first outcome")
                .containsExactlyElementsOf(IntStream.range(hot, registrations).mapToObj(DiagnosticsTest::node)
                        .toList());
        assertThat(stored(recorded, node(0))).as("a hot node's successes still wait").isEqualTo(DeliveryDiagnostics.NONE);
        assertThat(read(diagnostics, registrations).values()).as("nothing lost").allSatisfy(d -> assertThat(
                d.successes()).isPositive());
    }

    @Test
    void outcomesOfKeptEntriesDoNotCountAsNewEntries() {
        int registrations = Diagnostics.FIRST_OUTCOMES_FLUSH_AT;
        Recorded recorded = storeWith(registrations);
        Diagnostics diagnostics = atT0(recorded);
        IntStream.range(0, registrations).forEach(i -> diagnostics.success(node(i)));
        asked.forEach(Runnable::run);
        asked.clear();

        IntStream.range(0, registrations).forEach(i -> diagnostics.success(node(i)));
        assertThat(asked).as("the entries written by the flush are kept: no entry created, no flush").isEmpty();
    }

    @Test
    void flushesStartedByNewEntriesKeepATenthOfTheMinimumGap() {
        int registrations = 2 * Diagnostics.FIRST_OUTCOMES_FLUSH_AT;
        Recorded recorded = storeWith(registrations);
        Diagnostics diagnostics = new Diagnostics(recorded.store, Clock.fixed(T0, ZoneOffset.UTC), asked::add,
                Duration.ofHours(10), Duration.ZERO);
        IntStream.range(0, Diagnostics.FIRST_OUTCOMES_FLUSH_AT).forEach(i -> diagnostics.success(node(i)));
        assertThat(asked).hasSize(1);
        asked.get(0).run();

        IntStream.range(Diagnostics.FIRST_OUTCOMES_FLUSH_AT, registrations).forEach(i -> diagnostics.success(node(i)));
        assertThat(asked).as("an hour, a tenth of the gap, has not passed: the periodic flush writes them").hasSize(1);
    }

    @Test
    void newEntriesCreatedWhileAPeriodicFlushPausesEndItsPauses() throws Exception {
        int spreadOut = 2 * Diagnostics.FLUSH_CHUNK;
        int registrations = spreadOut + Diagnostics.FIRST_OUTCOMES_FLUSH_AT;
        Recorded recorded = storeWith(registrations);
        Diagnostics diagnostics = withSuccessInterval(recorded, new MovingClock());
        IntStream.range(0, spreadOut).forEach(i -> diagnostics.success(node(i)));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> flush = spreadOverAnHourPastItsFirstChunk(diagnostics, recorded, thread);

            IntStream.range(spreadOut, registrations).forEach(i -> diagnostics.success(node(i)));

            assertThat(flush.get(1, TimeUnit.MINUTES)).as("its second chunk written at once, not an hour later")
                    .isEqualTo(spreadOut);
            assertThat(asked).as("and the flush of the new entries asked for").hasSize(1);
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void aNodePublishedEverySecondIsNotWrittenAtEveryPublishWhileColdNodesStartAFlushEveryFifthOfASecond() {
        int rounds = 30;
        int hot = 50;
        int cold = Diagnostics.FIRST_OUTCOMES_FLUSH_AT;
        Recorded recorded = storeWith(hot + rounds * cold);
        MovingClock clock = new MovingClock();
        Diagnostics diagnostics = withSuccessInterval(recorded, clock);
        int coldNode = hot;
        for (int round = 0; round < rounds; round++) {
            clock.advance(Duration.ofMillis(200));
            if (round % 5 == 0) {
                IntStream.range(0, hot).forEach(i -> diagnostics.success(node(i)));
            }
            for (int i = 0; i < cold; i++) {
                diagnostics.success(node(coldNode++));
            }
            assertThat(asked).as("the cold nodes' entries start a flush").hasSize(1);
            asked.remove(0).run();
        }

        long hotWrites = recorded.calls.stream().flatMap(List::stream).filter(node -> node.compareTo(node(hot)) < 0)
                .count();
        assertThat(hotWrites).as("each hot node written once (its first outcome), and again only when a cold node "
                + "took its slot in the table of retired nodes; not at each of its %d publishes", rounds / 5)
                .isBetween((long) hot, 2L * hot);
        assertThat(IntStream.range(hot, coldNode).mapToObj(DiagnosticsTest::node))
                .as("every cold node's only outcome written by the flush its entries started")
                .allSatisfy(node -> assertThat(stored(recorded, node).successes()).isEqualTo(1));
        assertThat(diagnostics.entries()).as("cold entries retired once written: the hot set, the last round's cold "
                + "nodes and the round's before").isLessThanOrEqualTo(hot + 2 * cold);
        assertThat(read(diagnostics, hot).values()).as("a read stays exact")
                .allSatisfy(d -> assertThat(d.successes()).isEqualTo(rounds / 5));
    }
}
