package io.pushcomponent.provider.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.testkit.ClosedPort;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outage figures of the README: the whole publish path with FCM's token endpoint refusing connections, publishes
 * offered at a fixed rate, each answer's latency from its intended send time. Prints the figures; asserts only the
 * rule that every answer is a {@code wait} error (speed is measured, not asserted).
 */
class FcmOutageFiguresTest {
    private static final String JID = "push.localhost";
    private static final int RATE = 1_000;
    private static final Duration RUN = Duration.ofSeconds(3);

    @TempDir
    Path tempDir;

    @Test
    void tokenEndpointRefusingConnections() throws Exception {
        try (FakeFcmServer fcm = FakeFcmServer.start(); ClosedPort closed = ClosedPort.open();
             DeviceRegistrationStore store = Stores.inMemoryDeviceStore()) {
            PushProvider provider = new FcmPushProviderFactory().create(ProviderSettings.of(FcmPushProviderFactory.ID, Map.of(
                    FcmPushProviderFactory.SERVICE_ACCOUNT_FILE, fcm.writeServiceAccountJson(tempDir).toString(),
                    FcmPushProviderFactory.BASE_URL, fcm.baseUrl(),
                    FcmPushProviderFactory.TOKEN_URI, closed.httpUrl("/token").toString())));
            try (provider; PushAppServer server = PushAppServer.builder().jid(JID).store(store)
                    .provider(FcmPushProviderFactory.ID, provider).build()) {
                String node = register(server);
                int n = (int) (RATE * RUN.toSeconds());
                long[] latency = new long[n];
                long[] service = new long[n];
                String[] answers = new String[n];
                CompletableFuture<?>[] done = new CompletableFuture<?>[n];
                AtomicInteger openAtIndex = new AtomicInteger(-1);
                long start = System.nanoTime();
                long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
                for (int i = 0; i < n; i++) {
                    long intended = start + i * interval;
                    long wait = intended - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    int index = i;
                    long sent = System.nanoTime();
                    done[i] = server.handleXml(publish(node)).toCompletableFuture().thenAccept(out -> {
                        long now = System.nanoTime();
                        latency[index] = now - intended;
                        service[index] = now - sent;
                        answers[index] = out.get(0);
                        if (out.get(0).contains("<resource-constraint")) {
                            openAtIndex.compareAndSet(-1, index);
                        }
                    });
                }
                CompletableFuture.allOf(done).get(30, TimeUnit.SECONDS);

                assertThat(answers).as("every answer is a wait error; none is cancel")
                        .allSatisfy(a -> assertThat(a).contains("type='wait'").doesNotContain("type='cancel'"));
                int open = openAtIndex.get();
                System.out.printf("outage (FCM token endpoint refusing connections), %,d publishes at %,d/s, "
                                + "whole publish path (PushAppServer + FCM provider), latency from intended send:%n"
                                + "  all answers:            %s%n"
                                + "  before the breaker opened (first %d): %s%n"
                                + "  once open:              %s%n"
                                + "  service time (from the actual call), all: %s; once open: %s%n",
                        n, RATE, figures(latency, 0, n), open, figures(latency, 0, Math.max(open, 1)),
                        figures(latency, Math.max(open, 0), n), figures(service, 0, n),
                        figures(service, Math.max(open, 0), n));
            }
        }
    }

    private static String figures(long[] nanos, int from, int to) {
        long[] sorted = Arrays.copyOfRange(nanos, from, to);
        Arrays.sort(sorted);
        return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms", pct(sorted, 50), pct(sorted, 90),
                pct(sorted, 99), sorted[sorted.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(i, sorted.length - 1))] / 1e6;
    }

    private static String register(PushAppServer server) throws Exception {
        List<String> reply = server.handleXml("<iq type='set' id='reg1' from='romeo@localhost/stork' to='" + JID
                + "'><command xmlns='http://jabber.org/protocol/commands' node='register-device'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='provider'><value>fcm-http-v1</value></field>"
                + "<field var='device-token'><value>" + FcmPushProviderTest.DEVICE_TOKEN + "</value></field></x>"
                + "</command></iq>").toCompletableFuture().get(10, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("<field var='node'[^>]*><value>([^<]+)</value>").matcher(reply.get(0));
        assertThat(m.find()).as("registered: %s", reply).isTrue();
        return m.group(1);
    }

    private static String publish(String node) {
        return "<iq type='set' to='" + JID + "' id='p1' from='localhost'><pubsub "
                + "xmlns='http://jabber.org/protocol/pubsub'><publish node='" + node + "'><item><notification "
                + "xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data' type='form'><field type='hidden' var='FORM_TYPE'>"
                + "<value>urn:xmpp:push:summary</value></field><field var='message-count'><value>1</value></field>"
                + "</x></notification></item></publish></pubsub></iq>";
    }
}
