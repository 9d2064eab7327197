package io.pushcomponent.tigase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.core.user.PushEnablementService;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.testkit.xmpp.InMemoryPushHost;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class TigaseUserExtensionTest {
    private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String ROMEO = "romeo@example.net";
    private static final StanzaCodec CODEC = StanzaCodec.create();

    private final InMemoryPushHost host = new InMemoryPushHost("example.net");

    @AfterEach
    void close() {
        host.close();
    }

    private PushEnablementService start(TigaseUserExtension extension) {
        return host.startPush(PushEnablementService.builder(host)
                .settings(PushSettings.defaults().toBuilder()
                        .variants(PushSettings.Variant.STANDARD, PushSettings.Variant.EXTENDED).build())
                .extension(extension));
    }

    private Iq enable(String children) throws Exception {
        Iq iq = (Iq) CODEC.read("<iq xmlns='jabber:client' type='set' id='e1'>"
                + "<enable xmlns='urn:xmpp:push:0' jid='push.example.com' node='n1'>" + children + "</enable></iq>");
        return (Iq) host.clientSends(ROMEO + "/phone", iq).orElseThrow();
    }

    private static Message message(String xml) throws Exception {
        return (Message) CODEC.read(xml);
    }

    private Notification lastNotification() {
        List<Iq> publishes = host.publishes();
        assertThat(publishes).as("a notification was published").isNotEmpty();
        PubSub pubsub = publishes.get(publishes.size() - 1).extension(PubSub.class).orElseThrow();
        return pubsub.publish().orElseThrow().items().get(0).payload(Notification.class).orElseThrow();
    }

    private static Element child(Notification n, String name) {
        return n.other().stream().filter(o -> o instanceof Element e && name.equals(e.getLocalName()))
                .map(Element.class::cast).findFirst().orElseThrow(() -> new AssertionError("no <" + name + "/>"));
    }

    @Test
    void advertisesOnlyTheFeaturesThatAreOn() {
        PushEnablementService push = start(new TigaseUserExtension(EnumSet.of(TigasePushFeature.ENCRYPT,
                TigasePushFeature.MUTED)));

        assertThat(push.discoFeatures()).as("features that are on, and only those, are advertised")
                .contains("tigase:push:encrypt:0", "tigase:push:encrypt:aes-128-gcm", "tigase:push:filter:muted:0")
                .doesNotContain("tigase:push:jingle:0", "tigase:push:priority:0", "tigase:push:filter:groupchat:0",
                        "tigase:push:filter:ignore-unknown:0");
    }

    @Test
    void encryptsForTheKeyFromTheEnable() throws Exception {
        start(new TigaseUserExtension());
        Iq answer = enable("<encrypt xmlns='tigase:push:encrypt:0' alg='aes-128-gcm'>"
                + Base64.getEncoder().encodeToString(KEY) + "</encrypt><priority xmlns='tigase:push:priority:0'/>");
        assertThat(answer.type()).isEqualTo(Iq.RESULT);

        host.deliver(message("<message xmlns='jabber:client' type='chat' from='juliet@example.com/balcony' to='"
                + ROMEO + "'><body>Wherefore art thou?</body></message>"));

        Notification n = lastNotification();
        assertThat(n.form()).as("the encrypted element replaces the summary form").isEmpty();
        assertThat(child(n, "priority").getTextContent()).isEqualTo("high");
        Element encrypted = child(n, "encrypted");
        JsonNode json = Aes.decryptJson(KEY, new EncryptedPayload(encrypted.getAttribute("iv"),
                encrypted.getTextContent(), null));
        assertThat(json.get("unread").isNumber()).as("unread is a number").isTrue();
        assertThat(json.get("sender").asText()).as("sender is a JID").isEqualTo("juliet@example.com");
        assertThat(json.get("message").asText()).isEqualTo("Wherefore art thou?");
    }

    @Test
    void aMutedSenderPublishesNothing() throws Exception {
        start(new TigaseUserExtension());
        enable("<muted xmlns='tigase:push:filter:muted:0'><item jid='tybalt@example.com'/></muted>");

        host.deliver(message("<message xmlns='jabber:client' type='chat' from='tybalt@example.com/x' to='" + ROMEO
                + "'><body>draw</body></message>"));

        assertThat(host.publishes()).as("the muted filter suppresses the push").isEmpty();
    }

    @Test
    void aCallProposalTriggersACallPushOnlyWithJingle() throws Exception {
        start(new TigaseUserExtension());
        enable("<jingle xmlns='tigase:push:jingle:0'/>");

        host.deliver(message("<message xmlns='jabber:client' from='juliet@example.com/balcony' to='" + ROMEO + "'>"
                + "<propose xmlns='urn:xmpp:jingle-message:0' id='s1'>"
                + "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose></message>"));

        Element jingle = child(lastNotification(), "jingle");
        assertThat(jingle.getAttribute("sid")).as("the proposal, though bodiless, is pushed as a call")
                .isEqualTo("s1");
        assertThat(jingle.getTextContent()).isEqualTo("audio");
    }

    @Test
    void aCallProposalDoesNotPushToAClientWithoutJingle() throws Exception {
        start(new TigaseUserExtension());
        enable("");

        host.deliver(message("<message xmlns='jabber:client' from='juliet@example.com/balcony' to='" + ROMEO + "'>"
                + "<propose xmlns='urn:xmpp:jingle-message:0' id='s1'>"
                + "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose></message>"));

        assertThat(host.publishes()).as("a client that did not enable tigase:push:jingle:0 is not woken by calls")
                .isEmpty();
    }

    @Test
    void anExtensionThatIsOffIgnoresItsEnableChild() throws Exception {
        start(new TigaseUserExtension(Set.of(TigasePushFeature.PRIORITY)));
        enable("<muted xmlns='tigase:push:filter:muted:0'><item jid='tybalt@example.com'/></muted>");

        host.deliver(message("<message xmlns='jabber:client' type='chat' from='tybalt@example.com/x' to='" + ROMEO
                + "'><body>draw</body></message>"));

        assertThat(host.publishes()).as("the muted filter is off on this server, so it does not filter").hasSize(1);
    }

    @Test
    void aMalformedExtensionIsABadRequest() throws Exception {
        start(new TigaseUserExtension());

        Iq answer = enable("<groupchat xmlns='tigase:push:filter:groupchat:0'><room jid='r@muc' allow='often'/>"
                + "</groupchat>");

        assertThat(answer.type()).as("the client is told its enable was malformed").isEqualTo(Iq.ERROR);
        assertThat(answer.error().orElseThrow().toString()).contains("allow='often'");
    }
}
