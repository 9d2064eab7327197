package io.pushcomponent.tigase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.UnknownProviderException;
import io.pushcomponent.core.user.PushEnablementService;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.testkit.xmpp.InMemoryPushHost;
import io.pushcomponent.tigase.internal.Aes;
import io.pushcomponent.tigase.internal.Xml;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** Tigase's dialect on the user's-server side: each feature parses, filters, adds and advertises what Tigase does. */
class TigaseDialectTest {
    private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String ROMEO = "romeo@example.net";
    private static final StanzaCodec CODEC = StanzaCodec.create();

    private final InMemoryPushHost host = new InMemoryPushHost("example.net");

    @AfterEach
    void close() {
        host.close();
    }

    private PushEnablementService start(TigaseDialect dialect) {
        return start(dialect, false);
    }

    private PushEnablementService start(TigaseDialect dialect, boolean awayMode) {
        return host.startPush(PushEnablementService.builder(host)
                .settings(PushSettings.defaults().toBuilder().awayMode(awayMode)
                        .variants(PushSettings.Variant.STANDARD, PushSettings.Variant.EXTENDED).build())
                .dialect(dialect));
    }

    private Iq enable(String children) throws Exception {
        return enable("", children);
    }

    private Iq enable(String attributes, String children) throws Exception {
        Iq iq = (Iq) CODEC.read("<iq xmlns='jabber:client' type='set' id='e1'>"
                + "<enable xmlns='urn:xmpp:push:0' jid='push.example.com' node='n1'" + attributes + ">" + children
                + "</enable></iq>");
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

    /** The notification's child {@code name} in its wire form: written by the codec and read back as DOM. */
    private static Element child(Notification n, String name) {
        return Xml.wire(n.other()).stream().filter(e -> name.equals(e.getLocalName())).findFirst()
                .orElseThrow(() -> new AssertionError("no <" + name + "/>"));
    }

    @Test
    void advertisesOnlyTheFeaturesThatAreOn() {
        PushEnablementService push = start(new TigaseDialect(EnumSet.of(TigasePushFeature.ENCRYPT,
                TigasePushFeature.MUTED)));

        assertThat(push.discoFeatures()).as("features that are on, and only those, are advertised")
                .contains("tigase:push:encrypt:0", "tigase:push:encrypt:aes-128-gcm", "tigase:push:filter:muted:0")
                .doesNotContain("tigase:push:jingle:0", "tigase:push:priority:0", "tigase:push:filter:groupchat:0",
                        "tigase:push:filter:ignore-unknown:0");
    }

    @Test
    void encryptsForTheKeyFromTheEnable() throws Exception {
        start(new TigaseDialect());
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
        start(new TigaseDialect());
        enable("<muted xmlns='tigase:push:filter:muted:0'><item jid='tybalt@example.com'/></muted>");

        host.deliver(message("<message xmlns='jabber:client' type='chat' from='tybalt@example.com/x' to='" + ROMEO
                + "'><body>draw</body></message>"));

        assertThat(host.publishes()).as("the muted filter suppresses the push").isEmpty();
    }

    @Test
    void aCallProposalTriggersACallPushOnlyWithJingle() throws Exception {
        start(new TigaseDialect());
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
        start(new TigaseDialect());
        enable("");

        host.deliver(message("<message xmlns='jabber:client' from='juliet@example.com/balcony' to='" + ROMEO + "'>"
                + "<propose xmlns='urn:xmpp:jingle-message:0' id='s1'>"
                + "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose></message>"));

        assertThat(host.publishes()).as("a client that did not enable tigase:push:jingle:0 is not woken by calls")
                .isEmpty();
    }

    @Test
    void anExtensionThatIsOffIgnoresItsEnableChild() throws Exception {
        start(new TigaseDialect(Set.of(TigasePushFeature.PRIORITY)));
        enable("<muted xmlns='tigase:push:filter:muted:0'><item jid='tybalt@example.com'/></muted>");

        host.deliver(message("<message xmlns='jabber:client' type='chat' from='tybalt@example.com/x' to='" + ROMEO
                + "'><body>draw</body></message>"));

        assertThat(host.publishes()).as("the muted filter is off on this server, so it does not filter").hasSize(1);
    }

    @Test
    void awayTrueIsStoredAndTheAwayModeAdvertisesIt() throws Exception {
        PushEnablementService push = start(new TigaseDialect(), true);
        enable(" away='true'", "");

        assertThat(host.registrations().list(ROMEO).get(0).away()).as("away='true' is stored").isTrue();
        assertThat(push.discoFeatures()).as("the away mode adds its feature")
                .contains("urn:xmpp:push:0", "tigase:push:away:0");
    }

    @Test
    void withoutTheAttributeARegistrationIsNotAnAwayOneAndWithoutTheAwayModeNothingIsAdvertised() throws Exception {
        PushEnablementService push = start(new TigaseDialect(), false);
        enable("");

        assertThat(host.registrations().list(ROMEO).get(0).away()).isFalse();
        assertThat(push.discoFeatures()).doesNotContain("tigase:push:away:0");
    }

    @Test
    void aTigaseProviderIdWhoseProviderIsMissingNamesTheArtifactToAdd() {
        ProviderRegistry registry = ProviderRegistry.of(List.of())
                .withAliases(new TigaseDialect().appServer().providerAliases());

        assertThatThrownBy(() -> registry.factory("fcm-xmpp-api")).as("Stork's id")
                .isInstanceOf(UnknownProviderException.class)
                .hasMessageContaining("add the artifact io.pushcomponent:push-provider-fcm");
        assertThatThrownBy(() -> registry.factory("tigase:messenger:apns:1")).as("Siskin's id")
                .hasMessageContaining("add the artifact io.pushcomponent:push-provider-apns");
        assertThatThrownBy(() -> registry.factory("apns")).as("the canonical id an alias names")
                .hasMessageContaining("add the artifact io.pushcomponent:push-provider-apns");
    }

    @Test
    void aMalformedExtensionIsABadRequest() throws Exception {
        start(new TigaseDialect());

        Iq answer = enable("<groupchat xmlns='tigase:push:filter:groupchat:0'><room jid='r@muc' allow='often'/>"
                + "</groupchat>");

        assertThat(answer.type()).as("the client is told its enable was malformed").isEqualTo(Iq.ERROR);
        assertThat(answer.error().orElseThrow().toString()).contains("allow='often'");
    }
}
