package io.pushcomponent.core.app;

import static io.pushcomponent.core.app.AppServerFixture.PUSH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.testkit.FakePushProvider;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PushAppServer#request}: a request of the push service's own goes out through the sender, and only an answer
 * with its id from the address it went to completes it; without an answer it times out.
 */
class OutgoingRequestsTest {
    private static final String CLIENT = "juliet@capulet.example/balcony";

    private final LinkedBlockingQueue<Stanza> sent = new LinkedBlockingQueue<>();
    private final PushAppServer server = PushAppServer.builder().jid(PUSH).store(Stores.inMemoryDeviceStore())
            .provider("fcm-http-v1", new FakePushProvider()).sender(sent::add).build();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void theAnswerFromTheAddressTheRequestWentToCompletesIt() throws Exception {
        CompletableFuture<Iq> answer = server.request(Iq.set(CLIENT, null), Duration.ofSeconds(10))
                .toCompletableFuture();
        Iq out = (Iq) sent.poll(5, TimeUnit.SECONDS);
        assertThat(out).as("sent through the sender").isNotNull();
        assertThat(out.from()).as("from the push service").isEqualTo(PUSH);
        assertThat(server.requestsWaiting()).isEqualTo(1);

        Iq forged = out.resultReply().from("romeo@montague.example/garden").to(PUSH);
        assertThat(server.handle(forged).toCompletableFuture().get(5, TimeUnit.SECONDS)).as("nothing to send")
                .isEmpty();
        assertThat(answer).as("an answer from another address does not count").isNotDone();

        Iq error = out.errorReply(StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND, null))
                .from("Juliet@Capulet.example/balcony");
        assertThat(server.handle(error).toCompletableFuture().get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(answer.get(5, TimeUnit.SECONDS).type()).as("the same JID written otherwise counts")
                .isEqualTo(Iq.ERROR);
        assertThat(server.requestsWaiting()).isZero();
    }

    @Test
    void aRequestWithoutAnswerTimesOut() {
        CompletableFuture<Iq> answer = server.request(Iq.set(CLIENT, null), Duration.ofMillis(50))
                .toCompletableFuture();
        assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(server.requestsWaiting()).as("forgotten").isZero();
    }

    @Test
    void withoutASenderARequestFailsAtOnce() {
        try (PushAppServer silent = PushAppServer.builder().jid(PUSH).store(Stores.inMemoryDeviceStore())
                .provider("fcm-http-v1", new FakePushProvider()).build()) {
            assertThat(silent.request(Iq.set(CLIENT, null), Duration.ofSeconds(1)).toCompletableFuture())
                    .isCompletedExceptionally();
        }
    }
}
