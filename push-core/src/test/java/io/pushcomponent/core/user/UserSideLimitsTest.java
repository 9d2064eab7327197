package io.pushcomponent.core.user;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.api.store.AccountPushRegistration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * What a client or an app server can make the user's server do, bounded: push services only outside this server,
 * well-formed JIDs, small nodes and publish-options, a publish rate per account, short log lines from app servers'
 * error texts.
 */
class UserSideLimitsTest {
    private static final String BALCONY = "juliet@capulet.lit/balcony";
    private static final Message BODY = (Message) TestHost.read(MessageArrivedTest.BODY);

    private final TestHost host = new TestHost();
    private final PublishAnswerTest.ManualScheduler scheduler = new PublishAnswerTest.ManualScheduler();
    private PushEnablementService service = PushEnablementService.builder(host).scheduler(scheduler).build();

    @AfterEach
    void close() {
        service.close();
        scheduler.shutdownNow();
    }

    private static String enable(String jid, String node, String options) {
        return "<iq type='set' id='e1' from='" + BALCONY + "'><enable xmlns='urn:xmpp:push:0' jid='" + jid
                + "' node='" + node + "'>" + options + "</enable></iq>";
    }

    private static String options(int fields, int valueLength) {
        StringBuilder b = new StringBuilder("<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>"
                + "http://jabber.org/protocol/pubsub#publish-options</value></field>");
        for (int i = 0; i < fields; i++) {
            b.append("<field var='f").append(i).append("'><value>").append("v".repeat(valueLength))
                    .append("</value></field>");
        }
        return b.append("</x>").toString();
    }

    static Stream<Arguments> refusedEnables() {
        return Stream.of(
                Arguments.of("the server's own domain", enable("capulet.lit", "n1", ""),
                        StanzaError.Condition.NOT_ACCEPTABLE),
                Arguments.of("the server's own domain in other case", enable("Capulet.LIT", "n1", ""),
                        StanzaError.Condition.NOT_ACCEPTABLE),
                Arguments.of("a local user", enable("nurse@capulet.lit", "n1", ""),
                        StanzaError.Condition.NOT_ACCEPTABLE),
                Arguments.of("a local user's resource", enable("nurse@capulet.lit/phone", "n1", ""),
                        StanzaError.Condition.NOT_ACCEPTABLE),
                Arguments.of("an empty localpart", enable("@push.example", "n1", ""),
                        StanzaError.Condition.JID_MALFORMED),
                Arguments.of("an empty domain", enable("user@", "n1", ""), StanzaError.Condition.JID_MALFORMED),
                Arguments.of("an empty resource", enable("push.example/", "n1", ""),
                        StanzaError.Condition.JID_MALFORMED),
                Arguments.of("an empty domain label", enable("push..example", "n1", ""),
                        StanzaError.Condition.JID_MALFORMED),
                Arguments.of("a forbidden localpart character", enable("a&amp;b@push.example", "n1", ""),
                        StanzaError.Condition.JID_MALFORMED),
                Arguments.of("markup in the domain", enable("push.example&lt;b&gt;", "n1", ""),
                        StanzaError.Condition.JID_MALFORMED),
                Arguments.of("a domain over 1023 bytes", enable("p".repeat(1024), "n1", ""),
                        StanzaError.Condition.JID_MALFORMED),
                Arguments.of("a node over 256 characters", enable("push.example", "n".repeat(257), ""),
                        StanzaError.Condition.NOT_ACCEPTABLE),
                Arguments.of("more than 8 publish-options", enable("push.example", "n1", options(9, 10)),
                        StanzaError.Condition.NOT_ACCEPTABLE),
                Arguments.of("publish-options over 2048 characters", enable("push.example", "n1", options(2, 1100)),
                        StanzaError.Condition.NOT_ACCEPTABLE));
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("refusedEnables")
    void pushServicesOnThisServerMalformedJidsAndOversizedValuesAreRefused(String rule, String request,
                                                                           StanzaError.Condition expected) {
        service.process(TestHost.read(request));

        Iq answer = (Iq) host.sent.get(0);
        StanzaError e = answer.error().orElseThrow();
        assertThat(e.condition()).as(rule).isEqualTo(expected);
        assertThat(e.type()).as("modify: the client can send another").isEqualTo(StanzaError.Type.MODIFY);
        assertThat(e.text()).as("the error says what is wrong").isPresent();
        assertThat(host.store.list("juliet@capulet.lit")).as("nothing is stored").isEmpty();
        assertThat(service.refusals().enablesRefused()).isEqualTo(1);
    }

    @Test
    void appServersElsewhereIncludingThisServersComponentsAreAccepted() {
        service.process(TestHost.read(enable("push.capulet.lit", "n1", options(8, 100))));
        service.process(TestHost.read(enable("push@app.example/res", "n2", "")));

        assertThat(host.sent).extracting(s -> ((Iq) s).type()).containsExactly(Iq.RESULT, Iq.RESULT);
        assertThat(host.store.list("juliet@capulet.lit")).hasSize(2);
    }

    @Test
    void publishesAreRateLimitedPerAccountAndOtherAccountsAreNotAffected() {
        service.close();
        service = PushEnablementService.builder(host).scheduler(scheduler)
                .settings(PushSettings.defaults().toBuilder().publishesPerMinute(3).build()).build();
        host.store.put(AccountPushRegistration.of("juliet@capulet.lit", "push.example", "n1", Instant.EPOCH), 5);
        host.store.put(AccountPushRegistration.of("nurse@capulet.lit", "push.example", "n2", Instant.EPOCH), 5);
        int juliets = 0;
        for (int i = 0; i < 10; i++) {
            juliets += service.messageArrived("juliet@capulet.lit", BODY);
        }

        int nurses = service.messageArrived("nurse@capulet.lit", BODY);

        assertThat(juliets).as("a flood of messages to one account publishes at most the allowance").isEqualTo(3);
        assertThat(nurses).as("another account still gets its push").isEqualTo(1);
        assertThat(service.refusals().publishesRateLimited()).isEqualTo(7);
    }

    @Test
    void aHostileAppServersErrorTextIsShortenedInTheLog() {
        host.store.put(new AccountPushRegistration("juliet@capulet.lit", "push.example", "n1", Map.of(), false, Map.of(), 0,
                Instant.EPOCH), 5);
        service.messageArrived("juliet@capulet.lit", BODY);
        Iq publish = host.drainPublishes().get(0);
        Logger logger = (Logger) LoggerFactory.getLogger(PushEnablementService.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            service.process(publish.errorReply(StanzaError.of(StanzaError.Type.CANCEL,
                    StanzaError.Condition.ITEM_NOT_FOUND, "x".repeat(60_000) + "\nforged line")));
        } finally {
            logger.detachAppender(appender);
        }

        assertThat(appender.list).as("the removal is logged").isNotEmpty();
        assertThat(appender.list).allSatisfy(event -> {
            assertThat(event.getFormattedMessage().length()).as("one short line").isLessThan(500);
            assertThat(event.getFormattedMessage()).doesNotContain("\n");
        });
        assertThat(appender.list.get(0).getFormattedMessage()).contains("characters)");
    }

    @Test
    void forLogReplacesControlCharactersAndCuts() {
        assertThat(PushEnablementService.forLog("a\nb\rc")).isEqualTo("a?b?c");
        assertThat(PushEnablementService.forLog("y".repeat(1000)))
                .startsWith("y".repeat(PushEnablementService.MAX_LOGGED_ERROR_CHARS) + "…")
                .endsWith("(1000 characters)");
    }
}
