package io.pushcomponent.push2.internal;

import static io.pushcomponent.push2.internal.Push2WireFormatTest.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.RetryPolicy;
import io.pushcomponent.api.store.AccountPushRegistration;
import io.pushcomponent.core.user.AccountSession;
import io.pushcomponent.core.user.PushEnablementService;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.push2.Push2Dialect;
import io.pushcomponent.push2.Push2Settings;
import io.pushcomponent.testkit.xmpp.InMemoryPushHost;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import io.pushcomponent.webpush.crypto.UserAgentKeys;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The user's-server side's rules beyond the documented examples: when it pushes, retries, disables, defers. */
class Push2UserServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ROMEO = "romeo@example.net";
    private static final String PHONE = ROMEO + "/phone";
    private static final String SERVICE = "push.example.com";

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    private final TestClock clock = new TestClock();
    private InMemoryPushHost host;
    private PushEnablementService push = start(Push2Settings.defaults());

    private PushEnablementService start(Push2Settings settings) {
        if (host != null) {
            host.close();
        }
        host = new InMemoryPushHost("example.net");
        return host.startPush(PushEnablementService.builder(host).clock(clock)
                .settings(PushSettings.defaults().toBuilder()
                        .variants(PushSettings.Variant.STANDARD, PushSettings.Variant.EXTENDED).build())
                .dialect(new Push2Dialect(settings)));
    }

    @AfterEach
    void close() {
        host.close();
    }

    private Iq enable(String from, String matches) {
        return (Iq) host.clientSends(from, read("<iq xmlns='jabber:client' type='set' id='e1'>"
                + "<enable xmlns='urn:xmpp:push2:0'><service>" + SERVICE + "</service><client>node-1</client>"
                + matches + "</enable></iq>")).orElseThrow();
    }

    private static String match(String profile, String more) {
        return "<match profile='urn:xmpp:push2:match:" + profile + "'>" + more
                + "<send xmlns='urn:xmpp:push2:send:notify-only:0'/></match>";
    }

    private List<Message> notifications() {
        List<Message> out = new ArrayList<>();
        for (Stanza s : host.sent()) {
            if (s instanceof Message m && Push2Xml.find(m.extensions(), Push2Xml.NS, "notification").isPresent()) {
                out.add(m);
            }
        }
        return out;
    }

    /** The next notification message the host sends (skipping answers to the client). */
    private Message nextNotification() {
        while (true) {
            if (host.takeSent(WAIT) instanceof Message m
                    && Push2Xml.find(m.extensions(), Push2Xml.NS, "notification").isPresent()) {
                return m;
            }
        }
    }

    private static Message chat(String body) {
        return new Message().id("m" + System.nanoTime()).type("chat").from("juliet@example.com/balcony").to(ROMEO)
                .body(body);
    }

    @Test
    void aClientWhoseSessionIsConnectedGetsNoPushButAHibernatedOneDoes() {
        enable(PHONE, match("all", ""));
        host.presence(PHONE, AccountSession.Presence.ONLINE, 0);

        host.deliver(chat("one"));
        assertThat(notifications()).as("the session receives the message itself").isEmpty();

        host.presence(PHONE, AccountSession.Presence.NONE, 0);
        host.deliver(chat("two"));
        assertThat(notifications()).as("a hibernated session is woken").hasSize(1);
    }

    @Test
    void importantLeavesOutHeadlinesCorrectionsAndEmptyMessagesButNotCalls() {
        enable(PHONE, match("important", ""));

        host.deliver(chat("news").type("headline"));
        host.deliver((Message) read("<message xmlns='jabber:client' type='chat' from='juliet@example.com/b' to='"
                + ROMEO + "'><body>fixed</body><replace xmlns='urn:xmpp:message-correct:0' id='x'/></message>"));
        host.deliver((Message) read("<message xmlns='jabber:client' from='juliet@example.com/b' to='" + ROMEO
                + "'><active xmlns='http://jabber.org/protocol/chatstates'/></message>"));
        assertThat(notifications()).isEmpty();

        host.deliver(chat("hello"));
        host.deliver((Message) read("<message xmlns='jabber:client' from='juliet@example.com/b' to='" + ROMEO
                + "'><encrypted xmlns='eu.siacs.conversations.axolotl'/></message>"));
        assertThat(notifications()).as("a body, an OMEMO message").hasSize(2);
        assertThat(Push2Xml.childText(notification(notifications().get(0)), Push2Xml.NS, "priority"))
                .contains("normal");
    }

    @Test
    void aCallIsPushedAtOnceWithHighPriorityAndVoipEvenToAConnectedSession() {
        enable(PHONE, match("important", "<grace>600</grace>"));
        host.presence(PHONE, AccountSession.Presence.ONLINE, 0);
        push.sessionActive(ROMEO + "/laptop");

        host.deliver((Message) read("<message xmlns='jabber:client' from='juliet@example.com/b' to='" + ROMEO
                + "'><propose xmlns='urn:xmpp:jingle-message:0' id='c1'/></message>"));

        Element n = notification(notifications().get(0));
        assertThat(Push2Xml.childText(n, Push2Xml.NS, "priority")).contains("high");
        assertThat(Push2Xml.child(n, Push2Xml.NS, "voip")).isPresent();
    }

    @Test
    void theGracePeriodPausesPushesOnlyWhileAnotherSessionWasActive() {
        enable(PHONE, match("all", "<grace>60</grace>"));
        push.sessionActive(ROMEO + "/laptop");

        host.deliver(chat("one"));
        assertThat(notifications()).isEmpty();

        clock.now.set(clock.now.get().plusSeconds(61));
        host.deliver(chat("two"));
        assertThat(notifications()).hasSize(1);

        push.sessionActive(PHONE);
        host.deliver(chat("three"));
        assertThat(notifications()).as("the client's own activity does not pause its pushes").hasSize(2);
    }

    @Test
    void aFilterWithReplyPushesRepliesToTheAccountOnly() {
        enable(PHONE, match("all", "<filter jid='room@conference.example.com'><reply/></filter>"));

        host.deliver((Message) read("<message xmlns='jabber:client' type='groupchat' from='room@conference."
                + "example.com/tybalt' to='" + ROMEO + "'><body>draw</body></message>"));
        host.deliver((Message) read("<message xmlns='jabber:client' type='groupchat' from='room@conference."
                + "example.com/tybalt' to='" + ROMEO + "'><body>you!</body>"
                + "<reply xmlns='urn:xmpp:reply:0' to='room@conference.example.com/romeo' id='x'/></message>"));

        assertThat(notifications()).as("only the reply to romeo's nickname").hasSize(1);
    }

    @Test
    void waitErrorsAreRetriedWithBackOffAndTheRegistrationIsDisabledAfterItsTimeOfFailures() {
        push = start(Push2Settings.defaults().withRetry(new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20),
                2)).withDisableAfter(Duration.ofHours(1)));
        enable(PHONE, match("all", ""));

        host.deliver(chat("one"));
        Message first = nextNotification();
        for (int attempt = 0; attempt < 2; attempt++) {
            Message sent = attempt == 0 ? first : nextNotification();
            assertThat(push.process(errorFrom(sent, StanzaError.Type.WAIT))).as("the error reply is consumed")
                    .isTrue();
        }
        Message retried = nextNotification();
        assertThat(retried.id()).as("a retry is a new message").isNotEqualTo(first.id());
        push.process(errorFrom(retried, StanzaError.Type.WAIT));
        AccountPushRegistration failing = host.registrations().list(ROMEO).get(0);
        assertThat(failing.extensionData()).as("two retries, then given up: the first failure is remembered")
                .containsKey(Push2UserServer.FAILING_SINCE_KEY);

        clock.now.set(clock.now.get().plus(Duration.ofHours(1)));
        host.deliver(chat("two"));
        push.process(errorFrom(nextNotification(), StanzaError.Type.CANCEL));

        assertThat(host.registrations().list(ROMEO)).as("failing for an hour: disabled").isEmpty();
    }

    @Test
    void anErrorOtherThanWaitIsNotRetried() {
        enable(PHONE, match("all", ""));

        host.deliver(chat("one"));
        push.process(errorFrom(nextNotification(), StanzaError.Type.CANCEL));

        assertThat(notifications()).hasSize(1);
        assertThat(host.registrations().list(ROMEO)).as("one failure disables nothing before its time")
                .hasSize(1);
    }

    @Test
    void aClientThatEnablesBothProtocolsAtOneServiceGetsEachMessageOnce() {
        assertThat(host.request(PHONE, Iq.set(null, Enable.of(SERVICE, "node-1")), WAIT).type())
                .isEqualTo(Iq.RESULT);
        assertThat(host.request(ROMEO + "/tablet", Iq.set(null, Enable.of(SERVICE, "node-2")), WAIT).type())
                .isEqualTo(Iq.RESULT);
        enable(PHONE, match("all", ""));

        host.deliver(chat("once"));

        assertThat(notifications()).as("Push 2.0 for the client that enabled it").hasSize(1);
        assertThat(host.publishes()).as("XEP-0357 only for the other node").hasSize(1);
        assertThat(Push2WireFormatTest.CODEC.write(host.publishes().get(0))).contains("node-2")
                .doesNotContain("node-1");
    }

    @Test
    void malformedOrLocalEnablesAreRefused() {
        StanzaError noService = refusal("<client>c</client>");
        assertThat(noService.condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(noService.text().orElseThrow()).contains("<service/>");
        assertThat(refusal("<service>example.net</service><client>c</client>").condition())
                .as("the server itself is no push service").isEqualTo(StanzaError.Condition.NOT_ACCEPTABLE);
        String ua = Base64.getEncoder().encodeToString(UserAgentKeys.generate().subscription("https://p.example")
                .p256dh());
        String sce = "<service>" + SERVICE + "</service><client>c</client><match profile='" + Push2Xml.MATCH_ALL
                + "'><send xmlns='" + Push2Xml.SEND_SCE + "'><ua-public>" + ua + "</ua-public><auth-secret>"
                + "AAAAAAAAAAAAAAAAAAAAAA==</auth-secret>";
        assertThat(refusal(sce + "<jwt-alg>HS256</jwt-alg><jwt-key>c2VjcmV0</jwt-key></send></match>").text()
                .orElseThrow()).contains("ES256");
        assertThat(refusal(sce + "<jwt-alg>ES256</jwt-alg><jwt-key>c2VjcmV0</jwt-key></send></match>").text()
                .orElseThrow()).contains("PKCS#8");
        assertThat(host.registrations().list(ROMEO)).isEmpty();
    }

    private StanzaError refusal(String children) {
        Iq answer = (Iq) host.clientSends(PHONE, read("<iq xmlns='jabber:client' type='set' id='bad'><enable"
                + " xmlns='urn:xmpp:push2:0'>" + children + "</enable></iq>")).orElseThrow();
        assertThat(answer.type()).isEqualTo(Iq.ERROR);
        return answer.error().orElseThrow();
    }

    private static Message errorFrom(Message sent, StanzaError.Type type) {
        return new Message().type("error").id(sent.id()).from(sent.to()).to(sent.from())
                .error(StanzaError.of(type, type == StanzaError.Type.WAIT
                        ? StanzaError.Condition.RESOURCE_CONSTRAINT : StanzaError.Condition.ITEM_NOT_FOUND, "test"));
    }

    private static Element notification(Message m) {
        return Push2Xml.find(m.extensions(), Push2Xml.NS, "notification").orElseThrow();
    }
}
