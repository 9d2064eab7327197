package io.pushcomponent.tigase.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class TigaseNotificationBuilderTest {
    private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String ENABLE = "<enable xmlns='urn:xmpp:push:0' jid='push.example.net' node='n1'>"
            + "<encrypt xmlns='tigase:push:encrypt:0' alg='aes-128-gcm'>" + Base64.getEncoder().encodeToString(KEY)
            + "</encrypt><priority xmlns='tigase:push:priority:0'/><jingle xmlns='tigase:push:jingle:0'/></enable>";
    private static final String ACCOUNT = "romeo@example.net";

    private final TigaseNotificationBuilder builder = new TigaseNotificationBuilder(new NotificationEncryptor());
    private final TigasePushOptions options = Xml.options(ENABLE);

    /**
     * What the dialect's features add to a notification, in the order they apply: jingle, priority, encrypted; as
     * the typed children and in their wire form.
     */
    private record NotificationExtras(boolean replacesSummary, List<Object> children, List<Element> elements) {
    }

    private NotificationExtras extras(PushVerdict.Push verdict, TigasePushOptions options, IncomingMessage incoming,
                                      int unread) {
        List<Object> elements = new ArrayList<>();
        if (verdict.jingle() != null) {
            elements.add(TigaseNotificationBuilder.jingle(verdict.jingle()));
        }
        if (options.priority()) {
            elements.add(TigaseNotificationBuilder.priority(verdict.priority()));
        }
        if (options.encryption() != null) {
            elements.add(builder.encrypted(verdict, incoming, unread, options.encryption()));
        }
        return new NotificationExtras(options.encryption() != null, elements, Xml.wire(elements));
    }

    private NotificationExtras extrasFor(String message, int unread) {
        IncomingMessage incoming = Xml.message(message);
        PushVerdict verdict = Rules.decide(ACCOUNT, incoming, options, (a, c) -> true);
        assertThat(verdict.isPush()).isTrue();
        return extras((PushVerdict.Push) verdict, options, incoming, unread);
    }

    @Test
    void aMessageIsEncryptedInPlaceOfTheSummaryAndTheAppServerPassesItThrough() throws Exception {
        NotificationExtras extras = extrasFor("<message xmlns='jabber:client' type='chat' "
                + "from='juliet@example.com/balcony' to='romeo@example.net'><body>Wherefore art thou?</body></message>", 2);

        assertThat(extras.replacesSummary()).as("the encrypted element replaces the summary form").isTrue();
        assertThat(extras.elements()).extracting(Element::getLocalName).containsExactly("priority", "encrypted");
        assertThat(extras.elements().get(0).getTextContent()).as("a body makes the priority high").isEqualTo("high");

        PushRequest request = TigaseAppServer.apply(
                PushRequest.message(Device.of("apns", "t0k3n-0123456789"), ACCOUNT, Summary.EMPTY), extras.children());
        assertThat(request.kind()).isEqualTo(PushKind.MESSAGE);
        assertThat(request.priority()).isEqualTo(PushPriority.HIGH);
        JsonNode json = Aes.decryptJson(KEY, request.encrypted());
        assertThat(json.get("unread").isInt()).as("unread is a number").isTrue();
        assertThat(json.get("unread").asInt()).isEqualTo(2);
        assertThat(json.get("sender").asText()).as("sender is the bare JID").isEqualTo("juliet@example.com");
        assertThat(json.get("type").asText()).isEqualTo("chat");
        assertThat(json.get("message").asText()).isEqualTo("Wherefore art thou?");
    }

    @Test
    void aGroupchatMessageCarriesTheNickname() throws Exception {
        NotificationExtras extras = extrasFor("<message xmlns='jabber:client' type='groupchat' "
                + "from='verona@muc.example.com/Nurse' to='romeo@example.net/phone'><body>Romeo!</body></message>", 1);

        Element encrypted = extras.elements().get(extras.elements().size() - 1);
        JsonNode json = Aes.decryptJson(KEY, new EncryptedPayload(encrypted.getAttribute("iv"),
                encrypted.getTextContent(), null));
        assertThat(json.get("type").asText()).isEqualTo("groupchat");
        assertThat(json.get("sender").asText()).as("the room is the sender").isEqualTo("verona@muc.example.com");
        assertThat(json.get("nickname").asText()).as("the occupant is the nickname").isEqualTo("Nurse");
    }

    @Test
    void aCallProposalRingsAsAVoipPush() throws Exception {
        NotificationExtras extras = extrasFor("<message xmlns='jabber:client' from='juliet@example.com/balcony' "
                + "to='romeo@example.net'><propose xmlns='urn:xmpp:jingle-message:0' id='ca3cf894'>"
                + "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose></message>", 0);

        assertThat(extras.elements()).extracting(Element::getLocalName)
                .containsExactly("jingle", "priority", "encrypted");
        Element jingle = extras.elements().get(0);
        assertThat(jingle.getAttribute("sid")).isEqualTo("ca3cf894");
        assertThat(jingle.getTextContent()).as("the proposal's media").isEqualTo("audio");
        Element encrypted = extras.elements().get(2);
        assertThat(encrypted.getAttribute("type")).as("a proposal is a VoIP push").isEqualTo("voip");

        PushRequest request = TigaseAppServer.apply(
                PushRequest.message(Device.of("apns", "t0k3n-0123456789"), ACCOUNT, Summary.EMPTY), extras.children());
        assertThat(request.kind()).isEqualTo(PushKind.CALL);
        assertThat(request.priority()).isEqualTo(PushPriority.HIGH);
        JsonNode json = Aes.decryptJson(KEY, request.encrypted());
        assertThat(json.get("type").asText()).isEqualTo("call");
        assertThat(json.get("sid").asText()).isEqualTo("ca3cf894");
        assertThat(json.get("media").get(0).asText()).isEqualTo("audio");
    }

    @Test
    void withoutEncryptionTheSummaryStays() {
        TigasePushOptions plain = Xml.options(
                "<enable xmlns='urn:xmpp:push:0' jid='p' node='n'><priority xmlns='tigase:push:priority:0'/></enable>");
        IncomingMessage incoming = Xml.message(
                "<message xmlns='jabber:client' from='juliet@example.com/b'><body>hi</body></message>");

        NotificationExtras extras = extras(new PushVerdict.Push(PushKind.MESSAGE, PushPriority.HIGH, null),
                plain, incoming, 1);
        assertThat(extras.replacesSummary()).as("a plain notification keeps its summary form").isFalse();
        assertThat(extras.elements()).extracting(Element::getLocalName).containsExactly("priority");
    }
}
