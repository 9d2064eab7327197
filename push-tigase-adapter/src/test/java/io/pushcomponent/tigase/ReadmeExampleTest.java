package io.pushcomponent.tigase;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.user.PushEnablementService;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.testkit.xmpp.InMemoryPushHost;
import io.pushcomponent.tigase.config.TigaseSessionManagerConfig;
import io.pushcomponent.tigase.internal.Xml;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The README's smallest example, compiled and run: a host configured from Tigase's session-manager bean. */
class ReadmeExampleTest {
    private static final StanzaCodec CODEC = StanzaCodec.create();

    @Test
    void readmeExample() throws Exception {
        Map<String, Object> bean = Map.of("with-body", false, "away", Map.of());
        try (InMemoryPushHost host = new InMemoryPushHost("example.net")) {
            PushEnablementService.Builder builder = PushEnablementService.builder(host);

            TigaseSessionManagerConfig tigase = TigaseSessionManagerConfig.from(bean);  // 'urn:xmpp:push:0' () {...}
            builder.settings(tigase.applyTo(PushSettings.defaults()))
                    .dialect(tigase.dialect());

            host.startPush(builder);
            host.clientSends("romeo@example.net/phone", CODEC.read("<iq xmlns='jabber:client' type='set' id='e1'>"
                    + "<enable xmlns='urn:xmpp:push:0' jid='push.example.com' node='n1'>"
                    + "<encrypt xmlns='tigase:push:encrypt:0' alg='aes-128-gcm'>MDEyMzQ1Njc4OWFiY2RlZg==</encrypt>"
                    + "</enable></iq>"));
            host.deliver((Message) CODEC.read("<message xmlns='jabber:client' from='juliet@example.com/balcony' "
                    + "to='romeo@example.net' type='chat'><body>Wherefore art thou?</body></message>"));

            Iq publish = host.publishes().get(0);
            Notification notification = publish.extension(PubSub.class).orElseThrow().publish().orElseThrow()
                    .items().get(0).payload(Notification.class).orElseThrow();
            assertThat(notification.form()).as("an encrypted notification replaces the summary").isEmpty();
            assertThat(Xml.wire(notification.other())).extracting(Element::getLocalName)
                    .containsExactly("encrypted");
        }
    }
}
