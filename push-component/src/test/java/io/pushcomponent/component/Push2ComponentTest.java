package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.testkit.FakePushProvider;
import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The component discovers the Push 2.0 dialect on its class path: a notification message as Prosody's
 * {@code mod_push2} sends it, over XEP-0114, reaches the provider of the registration its {@code <client/>} names.
 */
@Timeout(120)
class Push2ComponentTest {
    private static final String JID = "push.localhost";
    private static final String SECRET = "component-secret";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern NODE = Pattern.compile("var='node'[^>]*><value>([^<]+)</value>");

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

    @Test
    void aPush2NotificationMessageIsDeliveredToTheClientsRegistration() throws Exception {
        String providerName = "push2-" + UUID.randomUUID();
        server = FakeXmppServer.start(JID, SECRET);
        component = ConfiguredComponent.start(dir, server, JID, SECRET, "'connections' = 1",
                "push () { 'fake' () { name = '" + providerName + "' } }");
        FakeXmppServer.Connection connection = server.awaitConnection(WAIT);
        connection.send("<iq type='set' id='reg-1' from='romeo@localhost/phone' to='push.localhost'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='provider'><value>fake</value></field>"
                + "<field var='device-token'><value>token-of-romeos-phone-0123456789</value></field></x>"
                + "</command></iq>");
        Matcher node = NODE.matcher(server.takeStanza(WAIT));
        assertThat(node.find()).isTrue();

        connection.send("<message from='localhost' to='push.localhost' id='n1'>"
                + "<notification xmlns='urn:xmpp:push2:0'><client>" + node.group(1) + "</client>"
                + "<priority>normal</priority></notification></message>");

        PushRequest request = FakePushProvider.named(providerName).takeRequest(WAIT);
        assertThat(request.device().token()).isEqualTo("token-of-romeos-phone-0123456789");
        assertThat(request.kind()).as("notify-only: a wake-up").isEqualTo(PushKind.BACKGROUND);
        assertThat(request.account()).isEqualTo("romeo@localhost");
    }
}
