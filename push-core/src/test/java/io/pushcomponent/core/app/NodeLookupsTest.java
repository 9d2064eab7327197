package io.pushcomponent.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.RegistrationStoreException;
import io.pushcomponent.core.store.Stores;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Store look-ups of uncached nodes are batched: nodes asked for while look-ups run are looked up together, in one
 * {@code findByNodes} call, each caller gets its own node's answer, and a failing store fails the whole batch.
 * Batches start at least {@link NodeLookups#SPACING_MICROS} apart, so a steady stream of look-ups is batched even
 * when each look-up is quick, unless a full batch waits.
 */
class NodeLookupsTest {
    private static final long WAIT_SECONDS = 10;

    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    /** An in-memory store whose {@code findByNodes} records its calls and can be held until released. */
    private static final class HeldStore implements DeviceRegistrationStore {
        final DeviceRegistrationStore delegate = Stores.inMemoryDeviceStore();
        final List<List<String>> calls = new CopyOnWriteArrayList<>();
        final Semaphore entered = new Semaphore(0);
        final CountDownLatch release = new CountDownLatch(1);
        volatile RuntimeException failure;

        @Override
        public Map<String, DeviceRegistration> findByNodes(Collection<String> nodes) {
            calls.add(List.copyOf(nodes));
            entered.release();
            try {
                if (!release.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the store");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (failure != null) {
                throw failure;
            }
            return delegate.findByNodes(nodes);
        }

        @Override
        public DeviceRegistration register(DeviceRegistration candidate) {
            return delegate.register(candidate);
        }

        @Override
        public Optional<DeviceRegistration> findByNode(String node) {
            throw new AssertionError("look-ups go through findByNodes");
        }

        @Override
        public List<DeviceRegistration> findByToken(String providerId, String token) {
            return delegate.findByToken(providerId, token);
        }

        @Override
        public List<DeviceRegistration> listByOwner(String owner) {
            return delegate.listByOwner(owner);
        }

        @Override
        public boolean unregister(String node) {
            return delegate.unregister(node);
        }

        @Override
        public long count() {
            return delegate.count();
        }

        @Override
        public Map<String, Long> countByProvider() {
            return delegate.countByProvider();
        }

        @Override
        public void addDiagnostics(Map<String, DeliveryDiagnostics> changes) {
            delegate.addDiagnostics(changes);
        }

        @Override
        public Map<String, DeliveryDiagnostics> diagnostics(Collection<String> nodes) {
            return delegate.diagnostics(nodes);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static DeviceRegistration registration(String node) {
        return new DeviceRegistration(node, new Device("fcm-http-v1", "token-" + node, null, null, false),
                "juliet@capulet.example", "secret-" + node, Instant.parse("2026-12-05T16:00:00Z"));
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void nodesAskedForWhileLookUpsRunAreLookedUpTogetherAndEachGetsItsOwnAnswer() throws Exception {
        HeldStore store = new HeldStore();
        for (int i = 0; i < 20; i += 2) {
            store.register(registration("node-" + i));
        }
        NodeLookups lookups = new NodeLookups(store, executor);

        List<CompletableFuture<Optional<DeviceRegistration>>> answers = new ArrayList<>();
        for (int i = 0; i < NodeLookups.MAX_RUNNING; i++) {
            answers.add(lookups.find("node-" + i));
            assertThat(store.entered.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS))
                    .as("look-up %d runs at once, alone in its batch", i).isTrue();
        }
        for (int i = NodeLookups.MAX_RUNNING; i < 20; i++) {
            answers.add(lookups.find("node-" + i));
        }
        store.release.countDown();

        for (int i = 0; i < 20; i++) {
            Optional<DeviceRegistration> found = await(answers.get(i));
            if (i % 2 == 0) {
                assertThat(found).as("node-%d is registered", i).isPresent();
                assertThat(found.orElseThrow().node()).as("the answer is the caller's own node").isEqualTo("node-" + i);
            } else {
                assertThat(found).as("node-%d is not registered", i).isEmpty();
            }
        }
        // Each of the MAX_RUNNING look-ups that end starts one batch, which takes every node waiting; two batches
        // starting at once may share the waiting nodes between them.
        List<List<String>> later = store.calls.subList(NodeLookups.MAX_RUNNING, store.calls.size());
        assertThat(later).as("the %d nodes asked for while the first look-ups ran went in at most %d batches, not "
                        + "one call each", 20 - NodeLookups.MAX_RUNNING, NodeLookups.MAX_RUNNING)
                .hasSizeBetween(1, NodeLookups.MAX_RUNNING);
        assertThat(later.stream().flatMap(List::stream).toList()).as("each of them looked up once")
                .hasSize(20 - NodeLookups.MAX_RUNNING).doesNotHaveDuplicates();
    }

    @Test
    void aBatchHoldsAtMostMaxBatchNodes() throws Exception {
        HeldStore store = new HeldStore();
        NodeLookups lookups = new NodeLookups(store, executor);
        List<CompletableFuture<Optional<DeviceRegistration>>> answers = new ArrayList<>();
        for (int i = 0; i < NodeLookups.MAX_RUNNING; i++) {
            answers.add(lookups.find("held-" + i));
            assertThat(store.entered.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        int waiting = NodeLookups.MAX_BATCH * 2 + 1;
        for (int i = 0; i < waiting; i++) {
            answers.add(lookups.find("node-" + i));
        }
        store.release.countDown();
        for (CompletableFuture<Optional<DeviceRegistration>> answer : answers) {
            assertThat(await(answer)).as("no node is registered").isEmpty();
        }
        assertThat(store.calls).as("every batch within the limit")
                .allSatisfy(call -> assertThat(call).hasSizeLessThanOrEqualTo(NodeLookups.MAX_BATCH));
        assertThat(store.calls.stream().mapToInt(List::size).sum()).as("every node looked up once")
                .isEqualTo(NodeLookups.MAX_RUNNING + waiting);
    }

    /**
     * A thread that ends a batch goes on with the nodes that wait: while look-ups keep coming, no further task is
     * handed to the executor (each hand-off wakes another thread).
     */
    @Test
    void aThreadThatEndsABatchLooksUpTheNextItselfWhileNodesWait() throws Exception {
        HeldStore store = new HeldStore();
        AtomicInteger tasks = new AtomicInteger();
        NodeLookups lookups = new NodeLookups(store, task -> {
            tasks.incrementAndGet();
            executor.execute(task);
        });
        List<CompletableFuture<Optional<DeviceRegistration>>> answers = new ArrayList<>();
        for (int i = 0; i < NodeLookups.MAX_RUNNING; i++) {
            answers.add(lookups.find("held-" + i));
            assertThat(store.entered.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        int waiting = NodeLookups.MAX_BATCH * 3;
        for (int i = 0; i < waiting; i++) {
            answers.add(lookups.find("node-" + i));
        }
        store.release.countDown();
        for (CompletableFuture<Optional<DeviceRegistration>> answer : answers) {
            assertThat(await(answer)).as("no node is registered").isEmpty();
        }

        assertThat(store.calls.size()).as("the waiting nodes took several batches")
                .isGreaterThan(NodeLookups.MAX_RUNNING + 1);
        assertThat(tasks.get()).as("only the first %d batches were handed to the executor", NodeLookups.MAX_RUNNING)
                .isEqualTo(NodeLookups.MAX_RUNNING);
    }

    @Test
    void aFailingStoreFailsEveryLookUpOfItsBatch() throws Exception {
        HeldStore store = new HeldStore();
        store.failure = new RegistrationStoreException("the database is down");
        NodeLookups lookups = new NodeLookups(store, executor);
        List<CompletableFuture<Optional<DeviceRegistration>>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(lookups.find("node-" + i));
        }
        store.release.countDown();
        for (CompletableFuture<Optional<DeviceRegistration>> answer : answers) {
            assertThatThrownBy(() -> await(answer)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RegistrationStoreException.class);
        }
    }

    @Test
    void lookUpsFailWhenTheExecutorNoLongerTakesTasks() {
        executor.shutdown();
        NodeLookups lookups = new NodeLookups(Stores.inMemoryDeviceStore(), executor);
        assertThatThrownBy(() -> await(lookups.find("node-1"))).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void batchesStartAtLeastTheSpacingApartSoThatAStreamOfQuickLookUpsIsBatched() throws Exception {
        List<Long> starts = new CopyOnWriteArrayList<>();
        DeviceRegistrationStore quick = Stores.inMemoryDeviceStore();
        DeviceRegistrationStore timed = (DeviceRegistrationStore) Proxy.newProxyInstance(
                DeviceRegistrationStore.class.getClassLoader(), new Class<?>[] {DeviceRegistrationStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("findByNodes")) {
                        starts.add(System.nanoTime());
                    }
                    return method.invoke(quick, args);
                });
        int nodes = 400;
        for (int i = 0; i < nodes; i++) {
            quick.register(registration("node-" + i));
        }
        NodeLookups lookups = new NodeLookups(timed, executor);
        List<CompletableFuture<Optional<DeviceRegistration>>> answers = new ArrayList<>();
        long before = System.nanoTime();
        for (int i = 0; i < nodes; i++) {
            answers.add(lookups.find("node-" + i));
            // about 10,000 a second at most: fewer than a full batch come within a spacing
            LockSupport.parkNanos(100_000);
        }
        for (int i = 0; i < nodes; i++) {
            assertThat(await(answers.get(i))).as("each caller its own node's answer")
                    .map(DeviceRegistration::node).contains("node-" + i);
        }

        long last = starts.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(last - before).as("%d batches, each started a spacing after the one before at the least",
                starts.size()).isGreaterThanOrEqualTo((starts.size() - 1) * TimeUnit.MICROSECONDS.toNanos(
                NodeLookups.SPACING_MICROS));
        assertThat(starts).as("%d look-ups asked for faster than one per spacing: batched", nodes)
                .hasSizeLessThan(nodes / 2);
    }

    /**
     * A full batch does not wait for its turn: with nodes coming faster than {@link NodeLookups#MAX_BATCH} a spacing,
     * the spacing would otherwise cap look-ups at a full batch a spacing.
     */
    @Test
    void aFullBatchStartsAtOnceWhileFewerNodesWaitForTheirTurn() throws Exception {
        List<Thread> storeThreads = new CopyOnWriteArrayList<>();
        ExecutorService recorded = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "store-" + storeThreads.size());
            storeThreads.add(thread);
            return thread;
        });
        try {
            HeldStore store = new HeldStore();
            store.release.countDown();
            NodeLookups lookups = new NodeLookups(store, recorded, TimeUnit.HOURS.toNanos(1));
            assertThat(await(lookups.find("first"))).as("the first look-up does not wait").isEmpty();

            List<CompletableFuture<Optional<DeviceRegistration>>> answers = new ArrayList<>();
            for (int i = 0; i < NodeLookups.MAX_BATCH - 1; i++) {
                answers.add(lookups.find("node-" + i));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (storeThreads.stream().noneMatch(t -> LockSupport.getBlocker(t) == lookups)) {
                assertThat(System.nanoTime() - deadline).as("a store thread waits for the next batch's turn")
                        .isNegative();
                Thread.onSpinWait();
            }
            assertThat(store.calls).as("%d nodes wait for their turn, an hour after the first batch",
                    NodeLookups.MAX_BATCH - 1).hasSize(1);
            assertThat(answers).noneMatch(CompletableFuture::isDone);

            answers.add(lookups.find("node-" + (NodeLookups.MAX_BATCH - 1)));
            for (CompletableFuture<Optional<DeviceRegistration>> answer : answers) {
                assertThat(await(answer)).as("no node is registered").isEmpty();
            }
            assertThat(store.calls).as("the full batch was looked up at once, in one call").hasSize(2);
            assertThat(store.calls.get(1)).hasSize(NodeLookups.MAX_BATCH);
        } finally {
            recorded.shutdownNow();
        }
    }
}
