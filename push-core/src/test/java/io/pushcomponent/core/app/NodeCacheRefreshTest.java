package io.pushcomponent.core.app;

import static io.pushcomponent.core.app.AppServerFixture.PUSH;
import static io.pushcomponent.core.app.AppServerFixture.answer;
import static io.pushcomponent.core.app.AppServerFixture.register;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.testkit.FakePushProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node cache's refreshes, through the app server: an entry published to in the last quarter of its life is read
 * again in the background, and the refreshes claimed meanwhile are read together every
 * {@link PushAppServer#REFRESH_INTERVAL}, not each when claimed (which woke a store thread per refresh, on the
 * publishing thread's processor), in store calls of at most {@link Publisher#REFRESH_CHUNK} nodes (one call of a
 * whole round held its processor long enough to delay the answers of a thread woken there).
 */
class NodeCacheRefreshTest {
    private static final int NODES = 200;
    /** Entries live 1–2 s: their last quarters (at least 250 ms) are longer than the refresh interval. */
    private static final Duration TTL = Duration.ofSeconds(2);
    private static final long PUBLISHING_NANOS = TimeUnit.MILLISECONDS.toNanos(2_500);

    private final AppServerFixture.CountingStore store = new AppServerFixture.CountingStore();
    private final PushAppServer server = PushAppServer.builder().jid(PUSH).store(store)
            .provider("fcm-http-v1", FakePushProvider.counting()).nodeCacheTtl(TTL).build();

    @AfterEach
    void close() {
        server.close();
    }

    /**
     * Rule: while every cached node is published to without pause, the refreshes go to the store in batches of at
     * most {@link Publisher#REFRESH_CHUNK} nodes, at most one round of batches per refresh interval, and every
     * publish is answered from the cache meanwhile.
     */
    @Test
    void refreshesClaimedMeanwhileAreReadTogetherEachInterval() {
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            // one account per device, so that no per-account limit applies
            nodes.add(register(server, "user" + i + "@capulet.example/phone", "fcm-http-v1",
                    "device-token-" + i + "-0123456789").value("node").orElseThrow());
        }
        assertThat(store.findByNodeCalls.get()).as("registering caches the node").isZero();

        long start = System.nanoTime();
        int publishes = 0;
        while (System.nanoTime() - start < PUBLISHING_NANOS) {
            for (String node : nodes) {
                Iq answer = answer(server, Iq.set(PUSH, PubSub.publish(node, Notification.of(
                        DataForm.submit(Namespaces.PUSH_SUMMARY).field("message-count", "1"))))
                        .from("capulet.example"));
                assertThat(answer.type()).as("answered from the cache while refreshed: %s", answer.error())
                        .isEqualTo(Iq.RESULT);
                publishes++;
            }
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        int nodesRead = store.findByNodeCalls.get();
        int batches = store.findByNodesCalls.get();
        assertThat(nodesRead).as("each of the %d entries lived at most 2 s in %d ms of publishing (%d publishes):"
                + " refreshed at least once", NODES, elapsedMillis, publishes).isGreaterThanOrEqualTo(NODES);
        int intervals = (int) (elapsedMillis / PushAppServer.REFRESH_INTERVAL.toMillis()) + 2;
        assertThat(store.mostNodesInOneRefreshCall.get()).as("the refresh thread read nodes, never more than %d in"
                + " one store call", Publisher.REFRESH_CHUNK).isBetween(1, Publisher.REFRESH_CHUNK);
        assertThat(batches).as("%d nodes read again in %d ms: at most one round of batches (of up to %d nodes) each"
                + " %s, not a look-up per refresh", nodesRead, elapsedMillis, Publisher.REFRESH_CHUNK,
                PushAppServer.REFRESH_INTERVAL)
                .isLessThanOrEqualTo(intervals + nodesRead / Publisher.REFRESH_CHUNK + 1);
    }
}
