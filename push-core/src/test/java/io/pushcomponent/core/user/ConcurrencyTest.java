package io.pushcomponent.core.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.api.store.AccountPushRegistration;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Many threads deliver messages and answer publishes at once: nothing is lost or counted twice. */
class ConcurrencyTest {

    @Test
    void concurrentMessagesAndAnswersKeepCountsAndPendingPublishesConsistent() throws Exception {
        TestHost host = new TestHost();
        Set<String> counts = ConcurrentHashMap.newKeySet();
        AtomicReference<PushEnablementService> push = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        PushHost answering = new PushHost() {
            @Override
            public String domain() {
                return host.domain();
            }

            @Override
            public void send(Stanza stanza) {
                Iq publish = (Iq) stanza;
                counts.add(MessageArrivedTest.summaryOf(publish).value("message-count").orElseThrow());
                pool.execute(() -> push.get().process(publish.resultReply()));
            }

            @Override
            public List<AccountSession> sessions(String account) {
                return List.of();
            }

            @Override
            public AccountPushRegistrationStore registrations() {
                return host.store;
            }
        };
        host.store.put(AccountPushRegistration.of("juliet@capulet.lit", "push.example", "n1", Instant.EPOCH), 5);
        // no publish rate limit: this test is about counts under concurrency, not about the limit
        try (PushEnablementService service = PushEnablementService.builder(answering)
                .settings(PushSettings.defaults().toBuilder().publishesPerMinute(0).build()).build()) {
            push.set(service);
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                tasks.add(() -> service.messageArrived("juliet@capulet.lit",
                        (Message) TestHost.read(MessageArrivedTest.BODY)));
            }
            int sent = 0;
            for (Future<Integer> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                sent += f.get();
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            assertThat(sent).isEqualTo(400);
            assertThat(counts).as("every message got its own count: 1..400").hasSize(400).contains("1", "400");
            assertThat(service.pendingPublishes()).as("every answered publish is forgotten").isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
