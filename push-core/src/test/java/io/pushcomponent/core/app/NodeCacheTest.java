package io.pushcomponent.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeviceRegistration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The node cache against the store's change watch: what it forgets, and how long it trusts entries meanwhile. */
class NodeCacheTest {
    private static final long TTL = TimeUnit.SECONDS.toNanos(60);

    private final AtomicLong now = new AtomicLong(1_000);
    private final NodeCache cache = new NodeCache(TTL, 100, now::get);

    private static DeviceRegistration registration(String node) {
        return new DeviceRegistration(node, Device.of("fcm-http-v1", "token-" + node), "juliet@capulet.example",
                null, Instant.EPOCH);
    }

    @Test
    void nodesTheWatchReportsChangedAreForgottenOthersStay() {
        cache.put("a", registration("a"));
        cache.put("b", registration("b"));

        cache.invalidateRemote(List.of("a"));

        assertThat(cache.get("a")).as("reported changed: read from the store again").isEmpty();
        assertThat(cache.get("b")).as("not reported: still cached").contains(Optional.of(registration("b")));
    }

    @Test
    void aLookUpThatOverlappedAReportedChangeIsNotCached() {
        long before = cache.epoch();
        cache.invalidateRemote(List.of("a"));

        cache.putIfCurrent("a", registration("a"), before);

        assertThat(cache.get("a")).as("the look-up may have read the row before the change: not cached").isEmpty();
        cache.putIfCurrent("a", registration("a"), cache.epoch());
        assertThat(cache.get("a")).as("a second look-up without a change meanwhile is cached").isPresent();
    }

    @Test
    void aLookUpIsCachedFromTheNodesSecondLookUpOnWhatRegisteringWritesAtOnce() {
        for (int i = 0; i < 1_000; i++) {
            cache.putIfCurrent("cold-" + i, registration("cold-" + i), cache.epoch());
        }
        assertThat(IntStream.range(0, 1_000).filter(i -> cache.get("cold-" + i).isPresent()).count())
                .as("nodes looked up once (a publish to each of many devices) never fill the cache").isZero();

        cache.putIfCurrent("cold-7", registration("cold-7"), cache.epoch());
        assertThat(cache.get("cold-7")).as("looked up again: a node that is published to repeatedly is cached")
                .contains(Optional.of(registration("cold-7")));
        cache.putIfCurrent("dead", null, cache.epoch());
        cache.putIfCurrent("dead", null, cache.epoch());
        assertThat(cache.get("dead")).as("a dead node Prosody retries: known absent from its second look-up")
                .contains(Optional.empty());

        cache.put("registered", registration("registered"));
        assertThat(cache.get("registered")).as("what registering writes is cached at once").isPresent();
        cache.put("cold-7", null);
        assertThat(cache.get("cold-7")).as("a removal replaces the cached registration at once")
                .contains(Optional.empty());
    }

    @Test
    void whileTheWatchIsDownEntriesLiveOneSecondAtMostAndAllGoWhenItIsLostAndBack() {
        cache.put("old", registration("old"));

        cache.watchLost();
        assertThat(cache.get("old")).as("entries cached before the loss may miss changes: gone").isEmpty();
        cache.put("a", registration("a"));
        now.addAndGet(NodeCache.UNWATCHED_TTL_NANOS / 2 - 1);
        assertThat(cache.get("a")).as("within half the short time to live").isPresent();
        now.addAndGet(NodeCache.UNWATCHED_TTL_NANOS / 2 + 1);
        assertThat(cache.get("a")).as("no entry is trusted longer than 1 s while the watch is down").isEmpty();

        cache.put("b", registration("b"));
        cache.invalidateAll();
        assertThat(cache.get("b")).as("back: changes made meanwhile were not heard, so everything goes").isEmpty();
        cache.put("c", registration("c"));
        now.addAndGet(TTL / 2 - 1);
        assertThat(cache.get("c")).as("with the watch back, entries live at least half the full time to live again")
                .isPresent();
    }

    @Test
    void entriesCachedAtOneMomentExpireSpreadOverTheSecondHalfOfTheTimeToLive() {
        NodeCache big = new NodeCache(TTL, 10_000, now::get);
        List<String> nodes = IntStream.range(0, 1_000).mapToObj(i -> "hot-" + i).toList();
        nodes.forEach(node -> big.put(node, registration(node)));
        long start = now.get();

        now.set(start + TTL / 2 - 1);
        assertThat(nodes).as("none expires before half the time to live").allMatch(n -> big.get(n).isPresent());
        now.set(start + TTL * 3 / 4);
        long left = nodes.stream().filter(n -> big.get(n).isPresent()).count();
        assertThat(left).as("three quarters in, some have expired and some not: not all read again at once")
                .isBetween(1L, 999L);
        now.set(start + TTL);
        assertThat(nodes).as("none outlives the time to live").allMatch(n -> big.get(n).isEmpty());
    }
}
