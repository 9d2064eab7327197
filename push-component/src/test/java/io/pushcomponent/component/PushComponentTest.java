package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.testkit.CapturedStanza;
import io.pushcomponent.testkit.FakePushProvider;
import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The component from a configuration file, against {@link FakeXmppServer} playing the XMPP server. */
@Timeout(120)
class PushComponentTest {
    private static final String JID = "push.localhost";
    private static final String SECRET = "component-secret";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Prosody 0.12 + mod_cloud_notify, account offline (the captured stanza), node and secret replaced. */
    private static final String PROSODY_PUBLISH = CapturedStanza.PROSODY_OFFLINE.xml()
            .replace("8c3a9a75b7b4f9d001f2aa74921d0a28dc99b3a8b8f4cf02674bb4270ff3b0a5", "ID")
            .replace("harness-node-1", "NODE").replace("harness-secret-1", "SECRET");
    private static final Pattern NODE = Pattern.compile("var='node'[^>]*><value>([^<]+)</value>");
    private static final Pattern SECRET_FIELD = Pattern.compile("var='secret'[^>]*><value>([^<]+)</value>");
    private static final Pattern ID = Pattern.compile(" id='([^']+)'");

    @TempDir
    Path dir;
    private FakeXmppServer server;
    private PushComponent component;

    @AfterEach
    void stop() {
        if (component != null) {
            component.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private PushComponent start(int connections, String providerName, String serverSecret) throws Exception {
        server = FakeXmppServer.start(JID, serverSecret);
        return ConfiguredComponent.start(dir, server, JID, SECRET, "'connections' = " + connections,
                "push () { 'fake' () { name = '" + providerName + "' } }");
    }

    private static String group(Pattern p, String xml) {
        Matcher m = p.matcher(xml);
        assertThat(m.find()).as("%s in %s", p, xml).isTrue();
        return m.group(1);
    }

    /**
     * A connection the server refuses with Prosody's {@code <conflict/>} (another instance is connected) counts as
     * standing by, not as connected, until the server accepts it.
     */
    @Test
    void aConnectionRefusedWithConflictStandsByUntilTheServerAcceptsIt() throws Exception {
        server = FakeXmppServer.start(JID, SECRET);
        String conflict = "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text"
                + " xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Component already connected</text></stream:error>"
                + "</stream:stream>";
        server.answerNextStreamWith(id -> (FakeXmppServer.streamHeader(id, JID) + conflict)
                .getBytes(StandardCharsets.UTF_8));
        component = ConfiguredComponent.start(dir, server, JID, SECRET, "'standby-retry' = 'PT30S'",
                "push () { 'log' () { } }");
        FakeXmppServer.Connection refused = server.awaitStream(WAIT);
        refused.awaitClosedByComponent(WAIT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (component.standbyCount() == 0) {
            assertThat(System.nanoTime()).as("the refused connection stands by").isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(component.connectedCount()).isZero();
    }

    @Test
    void thousandPublishesOverFourConnectionsAreAllAnswered() throws Exception {
        String providerName = "load-" + UUID.randomUUID();
        component = start(4, providerName, SECRET);
        List<FakeXmppServer.Connection> connections = List.of(server.awaitConnection(WAIT),
                server.awaitConnection(WAIT), server.awaitConnection(WAIT), server.awaitConnection(WAIT));
        connections.get(0).send("<iq type='set' id='reg-1' from='alice@localhost/phone' to='push.localhost'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='provider'><value>fake</value></field>"
                + "<field var='device-token'><value>token-of-alices-phone-0123456789</value></field></x>"
                + "</command></iq>");
        String registered = server.takeStanza(WAIT);
        assertThat(registered).as("register-device completes in one step, as Siskin sends it")
                .contains("type='result'").contains("status='completed'");
        String node = group(NODE, registered);
        String secret = SECRET_FIELD.matcher(registered).find() ? group(SECRET_FIELD, registered) : "";

        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = "pub-" + i;
            sent.add(id);
            connections.get(i % 4).send(PROSODY_PUBLISH.replace("'ID'", "'" + id + "'").replace("NODE", node)
                    .replace("SECRET", secret));
        }
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String reply = server.takeStanza(WAIT);
            assertThat(reply).as("a delivered publish is answered with a result").contains("type='result'");
            answered.add(group(ID, reply));
        }
        assertThat(answered).as("every publish gets its own answer").isEqualTo(sent);
        assertThat(FakePushProvider.named(providerName).requestCount()).as("every publish reaches the provider")
                .isEqualTo(1000);
    }

    @Test
    void wrongSecretIsReportedAndTheComponentKeepsTrying() throws Exception {
        component = start(1, "wrong-secret-" + UUID.randomUUID(), "the-server-expects-another-secret");
        server.awaitRejectedHandshakes(1, WAIT);
        assertThat(component.connectedCount()).as("a rejected handshake leaves the connection down").isZero();
        server.setSecret(SECRET);
        assertThat(component.awaitConnected(WAIT)).as("once the secrets match again it connects").isTrue();
    }
}
