package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of one account on the others, against the component as configured by a file with the default
 * limits, over XEP-0114 ({@link FakeXmppServer} plays the server and relays what the accounts send).
 */
@Timeout(120)
class AccountLimitsComponentTest {
    private static final String JID = "push.localhost";
    private static final String SECRET = "component-secret";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern SESSION = Pattern.compile("sessionid='([^']+)'");

    @TempDir
    Path dir;
    private FakeXmppServer server;
    private PushComponent component;
    private FakeXmppServer.Connection connection;

    @BeforeEach
    void start() throws Exception {
        server = FakeXmppServer.start(JID, SECRET);
        component = ConfiguredComponent.start(dir, server, JID, SECRET, "push () { 'fake' () { } }");
        connection = server.awaitConnection(WAIT);
    }

    @AfterEach
    void stop() {
        if (component != null) {
            component.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private String ask(String xml) {
        connection.send(xml);
        return server.takeStanza(WAIT);
    }

    private static String command(String id, String from, String node, String action, String sessionId,
                                  String token) {
        return "<iq type='set' id='" + id + "' from='" + from + "' to='" + JID + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='" + node + "' action='" + action + "'"
                + (sessionId == null ? "" : " sessionid='" + sessionId + "'") + ">"
                + (token == null ? "" : "<x xmlns='jabber:x:data' type='submit'><field var='provider'><value>fake"
                        + "</value></field><field var='device-token'><value>" + token + "</value></field></x>")
                + "</command></iq>";
    }

    @Test
    void oneAccountFillingItsCommandSessionsLeavesAnotherAccountsTwoStepRegistration() {
        String refused = null;
        for (int i = 0; i < 50 && refused == null; i++) {
            String answer = ask(command("s" + i, "mallory@localhost/r" + i, "register-device", "execute", null,
                    null));
            if (answer.contains("type='error'")) {
                refused = answer;
            }
        }
        String form = ask(command("a1", "alice@localhost/phone", "register-device", "execute", null, null));
        Matcher session = SESSION.matcher(form);
        assertThat(session.find()).as("alice gets a session: %s", form).isTrue();
        String completed = ask(command("a2", "alice@localhost/phone", "register-device", "complete",
                session.group(1), "token-of-alices-phone"));

        assertThat(refused).as("mallory is stopped at his own limit")
                .contains("type='wait'").contains("<policy-violation");
        assertThat(completed).as("alice's two-step registration completes").contains("type='result'")
                .contains("status='completed'");
    }

    @Test
    void registrationsPerMinuteHoldPerAccount() {
        String last = null;
        for (int i = 0; i < 21; i++) {
            last = ask(command("m" + i, "mallory@localhost/x", "register-device", "execute", null,
                    "mallorys-token-" + i));
        }
        String alices = ask(command("a", "alice@localhost/phone", "register-device", "execute", null,
                "token-of-alices-phone"));

        assertThat(last).as("the 21st registration within a minute").contains("type='wait'")
                .contains("<policy-violation").contains("try again in");
        assertThat(alices).contains("type='result'");
    }

    @Test
    void unregisterTellsNobodyWhetherAnotherAccountRegisteredAToken() {
        ask(command("a", "alice@localhost/phone", "register-device", "execute", null, "token-of-alices-phone"));

        String alicesToken = ask(command("u1", "mallory@localhost/x", "unregister-device", "execute", null,
                "token-of-alices-phone"));
        String unknownToken = ask(command("u1", "mallory@localhost/x", "unregister-device", "execute", null,
                "token-of-nobody"));

        assertThat(alicesToken).contains("<item-not-found").isEqualTo(unknownToken);
    }

    @Test
    void aPublishWithoutFromIsRefused() {
        String answer = ask("<iq type='set' id='p1' to='" + JID + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                + "<publish node='some-node'><item><notification xmlns='urn:xmpp:push:0'/></item></publish>"
                + "</pubsub></iq>");

        assertThat(answer).contains("type='modify'").contains("<bad-request");
    }
}
