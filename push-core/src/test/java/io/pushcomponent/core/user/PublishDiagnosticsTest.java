package io.pushcomponent.core.user;

import static io.pushcomponent.core.user.PublishAnswerTest.BODY;
import static io.pushcomponent.core.user.PublishAnswerTest.JULIET;
import static io.pushcomponent.core.user.PublishAnswerTest.NODE;
import static io.pushcomponent.core.user.PublishAnswerTest.PUSH;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.store.AccountPushRegistration;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The user's-server side keeps, per registration of an account, the last publish, the app server's last answer and
 * its errors in a row, and offers them to its host ({@link PushEnablementService#diagnostics}).
 */
class PublishDiagnosticsTest {
    private static final Instant T0 = Instant.parse("2026-12-05T18:00:00Z");

    private final TestHost host = new TestHost();
    private final PublishAnswerTest.ManualScheduler scheduler = new PublishAnswerTest.ManualScheduler();
    private Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final PushEnablementService service = PushEnablementService.builder(host).scheduler(scheduler)
            .clock(new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return clock.instant();
                }
            }).build();

    @AfterEach
    void close() {
        service.close();
        scheduler.shutdownNow();
    }

    private Iq publishAt(Instant at) {
        clock = Clock.fixed(at, ZoneOffset.UTC);
        assertThat(service.messageArrived(JULIET, BODY)).isEqualTo(1);
        return host.drainPublishes().get(0);
    }

    private PublishDiagnostics only() {
        assertThat(service.diagnostics(JULIET + "/balcony")).hasSize(1);
        return service.diagnostics(JULIET).get(0);
    }

    @Test
    void lastPublishLastAnswerAndErrorsInARow() {
        host.store.put(AccountPushRegistration.of(JULIET, PUSH, NODE, T0), 5);
        assertThat(only()).as("nothing published yet")
                .isEqualTo(new PublishDiagnostics(PUSH, NODE, null, null, null, 0));

        Iq first = publishAt(T0.plusSeconds(1));
        assertThat(only()).as("published, no answer yet")
                .isEqualTo(new PublishDiagnostics(PUSH, NODE, T0.plusSeconds(1), null, null, 0));

        clock = Clock.fixed(T0.plusSeconds(2), ZoneOffset.UTC);
        service.process(first.resultReply());
        assertThat(only()).isEqualTo(new PublishDiagnostics(PUSH, NODE, T0.plusSeconds(1), T0.plusSeconds(2),
                "result", 0));

        Iq second = publishAt(T0.plusSeconds(10));
        clock = Clock.fixed(T0.plusSeconds(11), ZoneOffset.UTC);
        service.process(second.errorReply(StanzaError.of(StanzaError.Type.WAIT,
                StanzaError.Condition.RESOURCE_CONSTRAINT, "busy")));
        assertThat(only()).as("the error answered and counted").isEqualTo(new PublishDiagnostics(PUSH, NODE,
                T0.plusSeconds(10), T0.plusSeconds(11), "wait/resource-constraint", 1));

        publishAt(T0.plusSeconds(20));
        clock = Clock.fixed(T0.plusSeconds(50), ZoneOffset.UTC);
        scheduler.fireAll();
        assertThat(only()).as("no answer in time").isEqualTo(new PublishDiagnostics(PUSH, NODE,
                T0.plusSeconds(20), T0.plusSeconds(50), "timeout", 2));
    }

    @Test
    void aRegistrationTheAppServerRefusedIsGoneFromTheDiagnostics() {
        host.store.put(new AccountPushRegistration(JULIET, PUSH, NODE, Map.of(), false, Map.of(), 0, T0), 5);
        Iq publish = publishAt(T0);
        service.process(publish.errorReply(StanzaError.of(StanzaError.Type.CANCEL,
                StanzaError.Condition.ITEM_NOT_FOUND, null)));

        assertThat(service.diagnostics(JULIET)).as("item-not-found removed the registration").isEmpty();
        assertThat(service.diagnostics("romeo@montague.lit")).as("an account without registrations").isEmpty();
    }
}
