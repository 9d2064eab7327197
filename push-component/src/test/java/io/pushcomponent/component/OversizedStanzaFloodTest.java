package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One user's oversized stanzas must not cut the service for everybody. The component as configured by a
 * file, over XEP-0114; {@link FakeXmppServer} relays what the accounts send.
 */
@Timeout(120)
class OversizedStanzaFloodTest {
    private static final String JID = "push.localhost";
    private static final String SECRET = "component-secret";
    private static final Duration WAIT = Duration.ofSeconds(30);

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

    /** A {@code register-device} form of about 100 KB: 2,400 fields. */
    private static String hugeRegistration(String id) {
        StringBuilder form = new StringBuilder("<iq type='set' id='" + id + "' from='mallory@localhost/r' to='" + JID
                + "'><command xmlns='http://jabber.org/protocol/commands' node='register-device' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='provider'><value>fake</value></field>");
        for (int i = 0; i < 2400; i++) {
            form.append("<field var='f").append(i).append("'><value>v</value></field>");
        }
        return form.append("</x></command></iq>").toString();
    }

    @Test
    void twoHundredOversizedRegistrationsAreEachRefusedAndTheStreamServesTheOthers() throws Exception {
        server = FakeXmppServer.start(JID, SECRET);
        component = ConfiguredComponent.start(dir, server, JID, SECRET, "push () { 'fake' () { } }");
        FakeXmppServer.Connection connection = server.awaitConnection(WAIT);

        String huge = hugeRegistration("big-0");
        assertThat(huge.length()).as("over the default max-stanza-size of 65,536 characters").isGreaterThan(90_000);
        for (int i = 0; i < 200; i++) {
            connection.send(hugeRegistration("big-" + i));
        }
        connection.send("<iq type='set' id='alice-1' from='alice@localhost/phone' to='" + JID + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='provider'><value>fake</value></field>"
                + "<field var='device-token'><value>token-of-alices-phone</value></field></x></command></iq>");

        for (int i = 0; i < 200; i++) {
            assertThat(server.takeStanza(WAIT)).as("each oversized request gets modify/policy-violation")
                    .contains("id='big-" + i + "'").contains("type='error'").contains("<policy-violation");
        }
        assertThat(server.takeStanza(WAIT)).as("alice, on the same stream, is served")
                .contains("id='alice-1'").contains("type='result'").contains("status='completed'");
        assertThat(server.streamsOpened()).as("the stream stayed up all along").isEqualTo(1);
        assertThat(component.connectedCount()).isEqualTo(1);
        assertThat(connection.received()).doesNotContain("<stream:error>");
    }
}
