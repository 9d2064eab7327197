package io.pushcomponent.core.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.api.store.AccountPushRegistration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The error policy applied to the app server's answers, timeouts and the remote-disabling message (§6.1, §7). */
class PublishAnswerTest {
    static final String JULIET = "juliet@capulet.lit";
    static final String PUSH = "push-5.client.example";
    static final String NODE = "yxs32uqsflafdk3iuqo";
    static final Message BODY = (Message) TestHost.read(MessageArrivedTest.BODY);

    /** A scheduler whose tasks run only when the test says so: timeouts without waiting. */
    static final class ManualScheduler extends ScheduledThreadPoolExecutor {
        final List<Runnable> tasks = new CopyOnWriteArrayList<>();

        ManualScheduler() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            tasks.add(command);
            return super.schedule(() -> { }, 1, TimeUnit.DAYS);
        }

        void fireAll() {
            List<Runnable> due = List.copyOf(tasks);
            tasks.clear();
            due.forEach(Runnable::run);
        }
    }

    final TestHost host = new TestHost();
    final ManualScheduler scheduler = new ManualScheduler();
    PushEnablementService service = PushEnablementService.builder(host).scheduler(scheduler)
            .settings(PushSettings.defaults().toBuilder().maxConsecutiveErrors(3).build()).build();

    @AfterEach
    void close() {
        service.close();
        scheduler.shutdownNow();
    }

    void register(int errorCount) {
        host.store.put(new AccountPushRegistration(JULIET, PUSH, NODE, Map.of(), false, Map.of(), errorCount,
                Instant.parse("2026-11-24T19:00:00Z")), 5);
    }

    Iq publish() {
        assertThat(service.messageArrived(JULIET, BODY)).isEqualTo(1);
        return host.drainPublishes().get(0);
    }

    static Iq error(Iq publish, StanzaError.Type type, StanzaError.Condition condition) {
        return publish.errorReply(StanzaError.of(type, condition, null));
    }

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("a result resets the error count", null, null, 2, 0),
                Arguments.of("item-not-found (cancel) removes the registration", StanzaError.Type.CANCEL,
                        StanzaError.Condition.ITEM_NOT_FOUND, 0, -1),
                Arguments.of("forbidden (auth) removes the registration", StanzaError.Type.AUTH,
                        StanzaError.Condition.FORBIDDEN, 0, -1),
                Arguments.of("bad-request (modify) removes the registration", StanzaError.Type.MODIFY,
                        StanzaError.Condition.BAD_REQUEST, 0, -1),
                Arguments.of("resource-constraint (wait) keeps it and counts", StanzaError.Type.WAIT,
                        StanzaError.Condition.RESOURCE_CONSTRAINT, 0, 1),
                Arguments.of("internal-server-error (wait) keeps it and counts", StanzaError.Type.WAIT,
                        StanzaError.Condition.INTERNAL_SERVER_ERROR, 1, 2),
                Arguments.of("the 3rd consecutive wait error of 3 removes it", StanzaError.Type.WAIT,
                        StanzaError.Condition.RESOURCE_CONSTRAINT, 2, -1));
    }

    /** {@code countAfter} -1 means the registration is gone. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void answers(String rule, StanzaError.Type type, StanzaError.Condition condition, int countBefore,
                 int countAfter) {
        register(countBefore);
        Iq publish = publish();
        Iq answer = type == null ? publish.resultReply() : error(publish, type, condition);

        assertThat(service.process(answer)).as("the answer to our publish is consumed").isTrue();

        assertThat(host.store.find(JULIET, PUSH, NODE).map(AccountPushRegistration::errorCount).orElse(-1)).as(rule)
                .isEqualTo(countAfter);
        assertThat(service.pendingPublishes()).isZero();
    }

    @Test
    void aTimeoutKeepsTheRegistrationAndCounts() {
        register(0);
        publish();

        scheduler.fireAll();

        assertThat(host.store.find(JULIET, PUSH, NODE).orElseThrow().errorCount())
                .as("an unanswered publish counts as one error and keeps the registration").isEqualTo(1);
        assertThat(service.pendingPublishes()).isZero();
    }

    @Test
    void aLateAnswerAfterTheTimeoutIsNotCountedTwice() {
        register(0);
        Iq publish = publish();
        scheduler.fireAll();

        assertThat(service.process(error(publish, StanzaError.Type.CANCEL, StanzaError.Condition.ITEM_NOT_FOUND)))
                .as("an answer that is no longer awaited is left to the host").isFalse();
        assertThat(host.store.find(JULIET, PUSH, NODE)).isPresent();
    }

    @Test
    void anAnswerFromSomeoneElseIsIgnored() {
        register(0);
        Iq publish = publish();
        Iq forged = error(publish, StanzaError.Type.CANCEL, StanzaError.Condition.ITEM_NOT_FOUND)
                .from("mallory@evil.example");

        assertThat(service.process(forged)).isFalse();
        assertThat(host.store.find(JULIET, PUSH, NODE)).as("only the app server can make us drop its node")
                .isPresent();
    }

    @Test
    void remoteDisablingRemovesTheRegistration() {
        register(0);
        String disabling = "<message from='push-5.client.example' to='juliet@capulet.lit'>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub' node='yxs32uqsflafdk3iuqo'>"
                + "<affiliation jid='juliet@capulet.lit' affiliation='none'/></pubsub></message>";

        assertThat(service.process(TestHost.read(disabling)))
                .as("the message is still delivered to the clients (they may act on it too)").isFalse();

        assertThat(host.store.list(JULIET)).as("XEP-0357 §6.1: affiliation='none' removes the registration")
                .isEmpty();
        assertThat(service.messageArrived(JULIET, BODY)).as("no further publish").isZero();
    }

    @Test
    void remoteDisablingFromAnotherServiceRemovesNothing() {
        register(0);
        String disabling = "<message from='push.other.example' to='juliet@capulet.lit'>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub' node='yxs32uqsflafdk3iuqo'>"
                + "<affiliation jid='juliet@capulet.lit' affiliation='none'/></pubsub></message>";

        service.process(TestHost.read(disabling));

        assertThat(host.store.list(JULIET)).as("only the registration's own app server can disable it").hasSize(1);
    }

    @Test
    void settingsDefaultsAreDocumented() {
        PushSettings d = PushSettings.defaults();
        assertThat(d.includeBody()).isFalse();
        assertThat(d.includeSender()).isFalse();
        assertThat(d.placeholderBody()).isNull();
        assertThat(d.awayMode()).isFalse();
        assertThat(d.variants()).containsExactly(PushSettings.Variant.STANDARD);
        assertThat(d.maxRegistrationsPerAccount()).isEqualTo(5);
        assertThat(d.maxConsecutiveErrors()).isEqualTo(16);
        assertThat(d.publishTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.notifyOfflineMessagesFetched()).isTrue();
    }
}
