package io.pushcomponent.testkit.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.Summary;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.testkit.CapturedStanza;
import io.pushcomponent.testkit.FakePushProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The whole app server exchange as XML strings, as a component connection carries it: a client registers its device
 * through the ad-hoc command, then real servers publish to the node exactly as they were captured
 * (captured, in the test resources) and as XEP-0357 shows, and the provider receives the summary.
 */
class WholeExchangeTest {
    private static final String PUSH = "push.localhost";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final StanzaCodec codec = StanzaCodec.create();
    private final FakePushProvider fcm = new FakePushProvider();
    private final FakePushProvider apns = new FakePushProvider();
    private final DeviceRegistrationStore store = Stores.inMemoryDeviceStore();
    private final PushAppServer server = PushAppServer.builder().jid(PUSH).store(store)
            .provider("fcm-http-v1", fcm, "fcm-xmpp-api")
            .provider("apns", apns, "tigase:messenger:apns:1")
            .build();

    @AfterEach
    void close() {
        server.close();
        assertThat(fcm.pollRequest(Duration.ZERO)).as("every push was checked by the test").isNull();
    }

    private List<String> exchange(String xml) {
        try {
            return server.handleXml(xml).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer within 10 s to " + xml, e);
        }
    }

    private Iq answer(String xml) {
        List<String> out = exchange(xml);
        assertThat(out).as("exactly one answer to %s", xml).hasSize(1);
        try {
            return (Iq) codec.read(out.get(0));
        } catch (Exception e) {
            throw new AssertionError("the answer is not a readable stanza: " + out.get(0), e);
        }
    }

    /** Registers through the two-step command, as XML, and returns the result form (node, secret). */
    private DataForm registerInTwoSteps(String from, String token) {
        Iq form = answer("<iq type='set' to='" + PUSH + "' from='" + from + "' id='reg-1'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device' action='execute'/></iq>");
        Command executing = form.extension(Command.class).orElseThrow();
        assertThat(executing.status()).isEqualTo("executing");
        assertThat(executing.form().orElseThrow().field("device-token")).as("the form asks for the token")
                .isPresent();

        Iq result = answer("<iq type='set' to='" + PUSH + "' from='" + from + "' id='reg-2'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device' sessionid='"
                + executing.sessionId() + "' action='complete'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='provider'><value>fcm-http-v1</value></field>"
                + "<field var='device-token'><value>" + token + "</value></field></x></command></iq>");
        Command completed = result.extension(Command.class).orElseThrow();
        assertThat(completed.status()).isEqualTo("completed");
        return completed.form().orElseThrow();
    }

    private void assertPublishDelivers(String publishXml, Summary expected) {
        Iq answer = answer(publishXml);
        assertThat(answer.type()).as("the publish is acknowledged: %s", answer.error()).isEqualTo(Iq.RESULT);
        PushRequest request = fcm.takeRequest(WAIT);
        assertThat(request.summary()).as("the provider gets the summary the server sent").isEqualTo(expected);
        assertThat(request.account()).isEqualTo("user@localhost");
        assertThat(request.device().token()).isEqualTo("fcm-token-of-user");
    }

    @Test
    void registerThenPublishEveryCapturedStanzaAndTheXepExamples() {
        DataForm registration = registerInTwoSteps("user@localhost/phone", "fcm-token-of-user");
        String node = registration.value("node").orElseThrow();
        String secret = registration.value("secret").orElseThrow();

        for (CapturedStanza captured : List.of(CapturedStanza.PROSODY_OFFLINE, CapturedStanza.PROSODY_HIBERNATED)) {
            assertPublishDelivers(captured.xml().replace("harness-node-1", node)
                    .replace("harness-secret-1", secret), new Summary(1, null, "New Message!", null, null));
        }
        assertPublishDelivers(CapturedStanza.EJABBERD_OFFLINE.xml().replace("harness-node-1", node)
                .replace("harness-secret-1", secret), new Summary(null, null, "New message", null, null));
        assertPublishDelivers(CapturedStanza.TIGASE_8_4.xml().replace("node='…'", "node='" + node + "'"),
                new Summary(1, "juliet@example.com/balcony", "Wherefore art thou?", null, null));
        assertPublishDelivers(xep0357Example8(node, secret),
                new Summary(1, "juliet@capulet.example/balcony", "Wherefore art thou, Romeo?", null, null));
    }

    /** XEP-0357 §7 Example 8, as printed (whitespace included), with our node and secret. */
    private static String xep0357Example8(String node, String secret) {
        return """
                <iq type='set'
                    from='user@example.com'
                    to='push-5.client.example'
                    id='n12'>
                  <pubsub xmlns='http://jabber.org/protocol/pubsub'>
                    <publish node='yxs32uqsflafdk3iuqo'>
                      <item>
                        <notification xmlns='urn:xmpp:push:0'>
                          <x xmlns='jabber:x:data'>
                            <field var='FORM_TYPE'><value>urn:xmpp:push:summary</value></field>
                            <field var='message-count'><value>1</value></field>
                            <field var='last-message-sender'><value>juliet@capulet.example/balcony</value></field>
                            <field var='last-message-body'><value>Wherefore art thou, Romeo?</value></field>
                          </x>
                          <additional xmlns='http://example.com/custom'>Additional custom elements</additional>
                        </notification>
                      </item>
                    </publish>
                    <publish-options>
                      <x xmlns='jabber:x:data' type='submit'>
                        <field var='FORM_TYPE'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>
                        <field var='secret'><value>eruio234vzxc2kla-91</value></field>
                      </x>
                    </publish-options>
                  </pubsub>
                </iq>
                """.replace("yxs32uqsflafdk3iuqo", node).replace("eruio234vzxc2kla-91", secret);
    }

    @Test
    void ejabberdEmptyNotificationIsABackgroundWakeUp() {
        DataForm registration = registerInTwoSteps("user@localhost/phone", "fcm-token-of-user");
        String ejabberd = CapturedStanza.EJABBERD_OFFLINE.xml().replace("harness-node-1", registration.value("node")
                .orElseThrow()).replace("harness-secret-1", registration.value("secret").orElseThrow());
        String withoutBodyAndSender = ejabberd.substring(0, ejabberd.indexOf("<notification"))
                + "<notification xmlns='urn:xmpp:push:0'/>"
                + ejabberd.substring(ejabberd.indexOf("</notification>") + "</notification>".length());

        Iq answer = answer(withoutBodyAndSender);

        assertThat(answer.type()).as("an empty notification is not an error").isEqualTo(Iq.RESULT);
        PushRequest wakeUp = fcm.takeRequest(WAIT);
        assertThat(wakeUp.kind()).isEqualTo(PushKind.BACKGROUND);
        assertThat(wakeUp.summary()).isEqualTo(Summary.EMPTY);
    }

    @Test
    void wrongSecretInACapturedPublishIsForbidden() {
        String node = registerInTwoSteps("user@localhost/phone", "fcm-token-of-user").value("node").orElseThrow();

        Iq answer = answer(CapturedStanza.PROSODY_OFFLINE.xml().replace("harness-node-1", node));

        assertThat(answer.type()).isEqualTo(Iq.ERROR);
        assertThat(codec.write(answer)).as("a secret other than the registration's is refused")
                .contains("<error type='auth'><forbidden");
    }

    @Test
    void siskinRegistersInOneStepWithExecuteAndStorkWithoutAction() {
        Iq siskin = answer("<iq type='set' to='" + PUSH + "' from='alice@example.com/iphone' id='s1'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='provider'><value>tigase:messenger:apns:1</value></field>"
                + "<field var='device-token'><value>6f1e2d3c4b5a69788796a5b4c3d2e1f0</value></field>"
                + "<field var='device-second-token'><value>voip-token-1</value></field></x></command></iq>");
        Iq stork = answer("<iq type='set' to='" + PUSH + "' from='bob@example.com/android' id='k1'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device'>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='provider'><value>fcm-xmpp-api</value></field>"
                + "<field var='device-token'><value>stork-fcm-token</value></field></x></command></iq>");

        String siskinNode = siskin.extension(Command.class).orElseThrow().form().orElseThrow().value("node")
                .orElseThrow();
        String storkNode = stork.extension(Command.class).orElseThrow().form().orElseThrow().value("node")
                .orElseThrow();
        assertThat(store.findByNode(siskinNode).orElseThrow().device().secondToken()).isEqualTo("voip-token-1");

        String tigasePublish = CapturedStanza.TIGASE_8_4.xml().replace("node='…'", "node='" + siskinNode + "'");
        assertThat(answer(tigasePublish).type()).isEqualTo(Iq.RESULT);
        PushRequest toSiskin = apns.takeRequest(WAIT);
        assertThat(toSiskin.device().providerId()).as("Siskin's alias reaches the APNs provider").isEqualTo("apns");
        assertThat(toSiskin.account()).isEqualTo("alice@example.com");

        assertThat(answer(CapturedStanza.EJABBERD_OFFLINE.xml().replace("harness-node-1", storkNode)
                .replace("<field var='secret'><value>harness-secret-1</value></field>", "")).type())
                .isEqualTo(Iq.RESULT);
        assertThat(fcm.takeRequest(WAIT).device().token()).isEqualTo("stork-fcm-token");
    }

    @Test
    void logsNeverShowDeviceTokensOrSecrets() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.pushcomponent");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            String token = "fcm-token-of-user-which-must-stay-private";
            DataForm registration = registerInTwoSteps("user@localhost/phone", token);
            String secret = registration.value("secret").orElseThrow();
            fcm.enqueue(FakePushProvider.Outcome.rejected(RejectionReason.AUTH_FAILED));
            fcm.enqueue(FakePushProvider.Outcome.rejected(RejectionReason.INVALID_TOKEN));
            for (int i = 0; i < 2; i++) {
                exchange(CapturedStanza.PROSODY_OFFLINE.xml().replace("harness-node-1", registration.value("node")
                        .orElseThrow()).replace("harness-secret-1", secret));
                fcm.takeRequest(WAIT);
            }

            List<ILoggingEvent> logged;
            synchronized (appender) {
                // delivery threads may still be logging; ListAppender appends under its own monitor
                logged = List.copyOf(appender.list);
            }
            assertThat(logged).as("registration, rejection and removal were logged").hasSizeGreaterThan(2);
            assertThat(logged).extracting(ILoggingEvent::getFormattedMessage)
                    .as("logs shorten tokens and never show secrets")
                    .noneMatch(m -> m.contains(token) || m.contains(secret));
        } finally {
            logger.detachAppender(appender);
        }
    }
}
