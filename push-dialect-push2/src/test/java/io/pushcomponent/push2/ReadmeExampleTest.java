package io.pushcomponent.push2;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.user.PushEnablementService;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.testkit.xmpp.InMemoryPushHost;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's smallest example, compiled and run: Push 2.0 beside XEP-0357 in one host. */
class ReadmeExampleTest {
    private static final StanzaCodec CODEC = StanzaCodec.create();

    @Test
    void readmeExample() throws Exception {
        try (InMemoryPushHost host = new InMemoryPushHost("example.net")) {
            PushEnablementService push = host.startPush(PushEnablementService.builder(host)
                    .settings(PushSettings.defaults().toBuilder()
                            .variants(PushSettings.Variant.STANDARD, PushSettings.Variant.EXTENDED).build())
                    .dialect(new Push2Dialect(Push2Settings.defaults().withDisableAfter(Duration.ofHours(72)))));
            // whenever a client's session sends a message or a chat state (for the grace periods):
            push.sessionActive("romeo@example.net/laptop");

            assertThat(push.discoFeatures()).contains("urn:xmpp:push:0", Push2Dialect.NAMESPACE);
            host.clientSends("romeo@example.net/phone", CODEC.read("<iq xmlns='jabber:client' type='set' id='e1'>"
                    + "<enable xmlns='urn:xmpp:push2:0'><service>push.example.com</service><client>n1</client>"
                    + "<match profile='urn:xmpp:push2:match:all'><grace>60</grace>"
                    + "<send xmlns='urn:xmpp:push2:send:notify-only:0'/></match></enable></iq>"));
            Message message = (Message) CODEC.read("<message xmlns='jabber:client' from='juliet@example.com/b' "
                    + "to='romeo@example.net' type='chat'><body>Wherefore art thou?</body></message>");

            assertThat(push.messageArrived("romeo@example.net", message))
                    .as("the laptop was active within the grace period").isZero();
            assertThat(host.sent()).noneMatch(ReadmeExampleTest::isNotification);
        }
    }

    private static boolean isNotification(Stanza s) {
        return s instanceof Message m && CODEC.write(m).contains("urn:xmpp:push2:0");
    }
}
