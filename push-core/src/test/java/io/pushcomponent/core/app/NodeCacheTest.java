package io.pushcomponent.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeviceRegistration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The node cache against the store's change watch: what it forgets, and how long it trusts entries meanwhile. */
class NodeCacheTest {
    private static final long TTL = TimeUnit.SECONDS.toNanos(60);

    /** Takes no claimed refresh: the entry then expires as if none were due. */
    private static final Consumer<NodeCache.Refresh> IGNORE = r -> { };

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

        assertThat(cache.get("a", IGNORE)).as("reported changed: read from the store again").isEmpty();
        assertThat(cache.get("b", IGNORE)).as("not reported: still cached")
                .contains(Optional.of(registration("b")));
    }

    @Test
    void aLookUpThatOverlappedAReportedChangeIsNotCached() {
        long before = cache.epoch();
        cache.invalidateRemote(List.of("a"));

        cache.putIfCurrent("a", registration("a"), before);

        assertThat(cache.get("a", IGNORE)).as("the look-up may have read the row before the change: not cached")
                .isEmpty();
        cache.putIfCurrent("a", registration("a"), cache.epoch());
        assertThat(cache.get("a", IGNORE)).as("a second look-up without a change meanwhile is cached").isPresent();
    }

    @Test
    void aLookUpIsCachedFromTheNodesSecondLookUpOnWhatRegisteringWritesAtOnce() {
        for (int i = 0; i < 1_000; i++) {
            cache.putIfCurrent("cold-" + i, registration("cold-" + i), cache.epoch());
        }
        assertThat(IntStream.range(0, 1_000).filter(i -> cache.get("cold-" + i, IGNORE).isPresent()).count())
                .as("nodes looked up once (a publish to each of many devices) never fill the cache").isZero();

        cache.putIfCurrent("cold-7", registration("cold-7"), cache.epoch());
        assertThat(cache.get("cold-7", IGNORE)).as("looked up again: a node that is published to repeatedly is cached")
                .contains(Optional.of(registration("cold-7")));
        cache.putIfCurrent("dead", null, cache.epoch());
        cache.putIfCurrent("dead", null, cache.epoch());
        assertThat(cache.get("dead", IGNORE)).as("a dead node Prosody retries: known absent from its second look-up")
                .contains(Optional.empty());

        cache.put("registered", registration("registered"));
        assertThat(cache.get("registered", IGNORE)).as("what registering writes is cached at once").isPresent();
        cache.put("cold-7", null);
        assertThat(cache.get("cold-7", IGNORE)).as("a removal replaces the cached registration at once")
                .contains(Optional.empty());
    }

    @Test
    void whileTheWatchIsDownEntriesLiveOneSecondAtMostAndAllGoWhenItIsLostAndBack() {
        cache.put("old", registration("old"));

        cache.watchLost();
        assertThat(cache.get("old", IGNORE)).as("entries cached before the loss may miss changes: gone").isEmpty();
        cache.put("a", registration("a"));
        now.addAndGet(NodeCache.UNWATCHED_TTL_NANOS / 2 - 1);
        assertThat(cache.get("a", IGNORE)).as("within half the short time to live").isPresent();
        now.addAndGet(NodeCache.UNWATCHED_TTL_NANOS / 2 + 1);
        assertThat(cache.get("a", IGNORE)).as("no entry is trusted longer than 1 s while the watch is down")
                .isEmpty();

        cache.put("b", registration("b"));
        cache.invalidateAll();
        assertThat(cache.get("b", IGNORE)).as("back: changes made meanwhile were not heard, so everything goes")
                .isEmpty();
        cache.put("c", registration("c"));
        now.addAndGet(TTL / 2 - 1);
        assertThat(cache.get("c", IGNORE))
                .as("with the watch back, entries live at least half the full time to live again").isPresent();
    }

    @Test
    void entriesCachedAtOneMomentExpireSpreadOverTheSecondHalfOfTheTimeToLive() {
        NodeCache big = new NodeCache(TTL, 10_000, now::get);
        List<String> nodes = IntStream.range(0, 1_000).mapToObj(i -> "hot-" + i).toList();
        nodes.forEach(node -> big.put(node, registration(node)));
        long start = now.get();

        now.set(start + TTL / 2 - 1);
        assertThat(nodes).as("none expires before half the time to live")
                .allMatch(n -> big.get(n, IGNORE).isPresent());
        now.set(start + TTL * 3 / 4);
        long left = nodes.stream().filter(n -> big.get(n, IGNORE).isPresent()).count();
        assertThat(left).as("three quarters in, some have expired and some not: not all read again at once")
                .isBetween(1L, 999L);
        now.set(start + TTL);
        assertThat(nodes).as("none outlives the time to live").allMatch(n -> big.get(n, IGNORE).isEmpty());
    }

    /** Advances the clock in steps of a thousandth of the time to live until a get of {@code node} claims a refresh. */
    private NodeCache.Refresh advanceUntilRefreshClaimed(String node) {
        List<NodeCache.Refresh> claimed = new ArrayList<>();
        while (claimed.isEmpty()) {
            assertThat(cache.get(node, claimed::add)).as("served until its refresh is claimed").isPresent();
            if (claimed.isEmpty()) {
                now.addAndGet(TTL / 1000);
            }
        }
        return claimed.get(0);
    }

    /**
     * Rule: an entry read in the last quarter of its life is read again from the store ahead of time, once, while it
     * goes on being served; what that look-up finds is cached for a new time to live, so a node published to often
     * never waits for the store.
     */
    @Test
    void anEntryReadInTheLastQuarterOfItsLifeIsRefreshedOnceWhileItIsServed() {
        long start = now.get();
        cache.put("a", registration("a"));
        now.set(start + TTL * 3 / 8 - 1);
        List<NodeCache.Refresh> early = new ArrayList<>();
        assertThat(cache.get("a", early::add)).isPresent();
        assertThat(early).as("no refresh before the last quarter of the shortest life").isEmpty();

        NodeCache.Refresh refresh = advanceUntilRefreshClaimed("a");
        long claimedAt = now.get();
        assertThat(refresh.node()).isEqualTo("a");
        assertThat(claimedAt - start).as("claimed in the last quarter of a life of half to all of the time to live")
                .isBetween(TTL * 3 / 8, TTL * 3 / 4 + TTL / 1000);
        List<NodeCache.Refresh> again = new ArrayList<>();
        assertThat(cache.get("a", again::add)).as("served while the look-up runs")
                .contains(Optional.of(registration("a")));
        assertThat(again).as("one refresh per entry, not one per publish while it runs").isEmpty();

        DeviceRegistration changed = new DeviceRegistration("a", Device.of("apns", "token-a2"),
                "juliet@capulet.example", null, Instant.EPOCH);
        cache.refreshed(refresh, changed);
        assertThat(cache.get("a", IGNORE)).as("the refreshed answer is served").contains(Optional.of(changed));
        now.set(claimedAt + TTL / 2 - 1);
        assertThat(cache.get("a", IGNORE)).as("for a new time to live, beyond the old entry's end")
                .contains(Optional.of(changed));
    }

    /**
     * Rule: a refresh that reads the registration unchanged keeps the cached object, for a new time to live, so the
     * copy just read can die young instead of being promoted with the cache (what made the young collections'
     * pauses grow with the time between them).
     */
    @Test
    void aRefreshThatReadsTheSameRegistrationKeepsTheCachedObject() {
        DeviceRegistration cached = registration("a");
        cache.put("a", cached);
        NodeCache.Refresh refresh = advanceUntilRefreshClaimed("a");
        long claimedAt = now.get();

        DeviceRegistration copy = registration("a");
        cache.refreshed(refresh, copy);

        now.set(claimedAt + TTL / 2 - 1);
        Optional<DeviceRegistration> served = cache.get("a", IGNORE).orElseThrow();
        assertThat(served).as("still cached, for a new time to live").isPresent();
        assertThat(served.get()).as("the cached object, not the equal copy the refresh read").isSameAs(cached)
                .isNotSameAs(copy);
    }

    /**
     * Rule: a refresh does not undo what happened since it was claimed: a registration removed here, or a change the
     * store's watch reported (the look-up may have read the row before it), stands.
     */
    @Test
    void aRefreshThatOverlappedAChangeLeavesTheChangeStanding() {
        cache.put("a", registration("a"));
        NodeCache.Refresh refresh = advanceUntilRefreshClaimed("a");
        cache.put("a", null);
        cache.refreshed(refresh, registration("a"));
        assertThat(cache.get("a", IGNORE)).as("removed here while the look-up ran: stays removed")
                .contains(Optional.empty());

        cache.put("b", registration("b"));
        NodeCache.Refresh other = advanceUntilRefreshClaimed("b");
        cache.invalidateRemote(List.of("unrelated"));
        cache.refreshed(other, new DeviceRegistration("b", Device.of("apns", "stale"), "juliet@capulet.example",
                null, Instant.EPOCH));
        assertThat(cache.get("b", IGNORE)).as("a reported change overlapped the look-up: its answer is not cached")
                .contains(Optional.of(registration("b")));
        now.addAndGet(TTL);
        assertThat(cache.get("b", IGNORE)).as("and the entry ends when it would have").isEmpty();
    }

    /**
     * Rule: nodes published to in turn are all cached from their second look-up, also when their hashes fall into
     * the same bucket of the filter that keeps nodes looked up once out of the cache: four such nodes all fit.
     */
    @Test
    void nodesWhoseHashesShareABucketAreAllCachedWhenLookedUpInTurn() {
        Map<Integer, List<String>> byBucket = new HashMap<>();
        List<String> crowded = null;
        for (int i = 0; crowded == null; i++) {
            String node = "node-" + i;
            List<String> bucket = byBucket.computeIfAbsent(NodeCache.seenBucket(NodeCache.seenHash(node)),
                    b -> new ArrayList<>());
            bucket.add(node);
            if (bucket.size() == 4) {
                crowded = bucket;
            }
        }
        for (int round = 0; round < 2; round++) {
            crowded.forEach(node -> cache.putIfCurrent(node, registration(node), cache.epoch()));
        }

        assertThat(crowded).as("each looked up twice, in turn with three others of its bucket: all cached")
                .allMatch(node -> cache.get(node, IGNORE).isPresent());
    }

    /**
     * Rule: of many nodes published to round robin (push-benchmark's hot rows: 10,000), all but a handful are cached
     * after two rounds; with one filter slot per node, the 7 % whose slot another node shared never were.
     */
    @Test
    void nearlyAllOfTenThousandNodesPublishedToRoundRobinAreCachedAfterTwoRounds() {
        NodeCache big = new NodeCache(TTL, 100_000, now::get);
        List<String> nodes = IntStream.range(0, 10_000).mapToObj(i -> "device-" + i).toList();
        for (int round = 0; round < 2; round++) {
            nodes.forEach(node -> big.putIfCurrent(node, registration(node), big.epoch()));
        }

        assertThat(nodes.stream().filter(node -> big.get(node, IGNORE).isPresent()).count())
                .as("nodes cached after their second look-up").isGreaterThanOrEqualTo(9_980L);
    }
}
