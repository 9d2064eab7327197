package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.testkit.CapturedStanza;
import io.pushcomponent.testkit.webpush.FakeWebPushService;
import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import io.pushcomponent.webpush.crypto.VapidKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Web Push provider wired into the component by its configuration file: a browser's subscription registered with
 * {@code register-device}, Prosody's captured publish answered with a result, and the fake push service decrypting,
 * with the subscription's keys, the message the component sent.
 */
@Timeout(120)
class WebPushComponentTest {
    private static final String JID = "push.localhost";
    private static final String SECRET = "component-secret";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern NODE = Pattern.compile("var='node'[^>]*><value>([^<]+)</value>");
    private static final Pattern SECRET_FIELD = Pattern.compile("var='secret'[^>]*><value>([^<]+)</value>");

    @TempDir
    Path dir;
    private FakeXmppServer server;
    private FakeWebPushService webPush;
    private PushComponent component;

    @AfterEach
    void stop() {
        if (component != null) {
            component.close();
        }
        if (server != null) {
            server.close();
        }
        if (webPush != null) {
            webPush.close();
        }
    }

    @Test
    void aPublishToAWebPushRegistrationReachesTheBrowserDecrypted() throws Exception {
        VapidKeys vapid = VapidKeys.generate();
        Files.writeString(dir.resolve("vapid.properties"), "public-key = " + vapid.publicKeyBase64Url()
                + "\nprivate-key = " + vapid.privateKeyBase64Url() + "\n");
        webPush = FakeWebPushService.start();
        FakeWebPushService.Subscription browser = webPush.subscribe(vapid);
        server = FakeXmppServer.start(JID, SECRET);
        component = ConfiguredComponent.start(dir, server, JID, SECRET, "push () {",
                "    'webpush' () {",
                "        'vapid-key-file' = 'vapid.properties'",
                "        'vapid-subject' = 'mailto:push-admin@example.com'",
                "        'allow-local-endpoints' = true",
                "    }",
                "}");
        FakeXmppServer.Connection connection = server.awaitConnection(WAIT);

        connection.send("<iq type='set' id='reg-1' from='juliet@localhost/browser' to='" + JID + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='provider'><value>webpush</value></field>"
                + "<field var='device-token'><value>" + browser.json() + "</value></field></x></command></iq>");
        String registered = server.takeStanza(WAIT);
        assertThat(registered).contains("type='result'").contains("status='completed'");
        String node = group(NODE, registered);
        String secret = SECRET_FIELD.matcher(registered).find() ? group(SECRET_FIELD, registered) : "";

        connection.send(CapturedStanza.PROSODY_OFFLINE.xml().replace("harness-node-1", node)
                .replace("harness-secret-1", secret));

        assertThat(server.takeStanza(WAIT)).as("the publish is answered with a result").contains("type='result'");
        FakeWebPushService.Received received = webPush.takeMessage(WAIT);
        assertThat(received.vapid().publicKey()).as("signed with the configured VAPID key")
                .isEqualTo(vapid.publicKey());
        assertThat(received.text()).startsWith("{\"kind\":\"message\"");
    }

    private static String group(Pattern p, String xml) {
        Matcher m = p.matcher(xml);
        assertThat(m.find()).as("%s in %s", p, xml).isTrue();
        return m.group(1);
    }
}
