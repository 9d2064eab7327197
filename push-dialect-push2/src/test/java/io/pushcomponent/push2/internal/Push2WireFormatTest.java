package io.pushcomponent.push2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.store.AccountPushRegistration;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.user.PushEnablementService;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.XmlRejectedException;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.push2.Push2Dialect;
import io.pushcomponent.push2.Push2Settings;
import io.pushcomponent.testkit.FakePushProvider;
import io.pushcomponent.testkit.xmpp.InMemoryPushHost;
import io.pushcomponent.webpush.crypto.UserAgentKeys;
import io.pushcomponent.webpush.crypto.Vapid;
import io.pushcomponent.webpush.crypto.VapidClaims;
import io.pushcomponent.webpush.crypto.WebPushEncryption;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The wire format against {@code mod_push2}'s documented examples ({@link Push2Fixtures}): our user's server accepts
 * the documented enable, disable and encrypting send profile and sends notifications of the documented shape; our app
 * server accepts the documented notifications.
 */
class Push2WireFormatTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    static final StanzaCodec CODEC = StanzaCodec.create();
    private static final String ROMEO = "romeo@example.net";
    private static final String PHONE = ROMEO + "/phone";
    private static final String CLIENT = "https://push.example.com/adlfkjadafdasf";

    private final InMemoryPushHost host = new InMemoryPushHost("example.net");
    private final PushEnablementService push = host.startPush(PushEnablementService.builder(host)
            .settings(PushSettings.defaults().toBuilder()
                    .variants(PushSettings.Variant.STANDARD, PushSettings.Variant.EXTENDED).build())
            .dialect(new Push2Dialect(Push2Settings.defaults())));

    static Stanza read(String xml) {
        try {
            return CODEC.read(xml);
        } catch (XmlRejectedException e) {
            throw new AssertionError("a fixture is refused: " + e.getMessage(), e);
        }
    }

    @AfterEach
    void close() {
        host.close();
    }

    private Iq enable(String enable) {
        return (Iq) host.clientSends(PHONE, read("<iq xmlns='jabber:client' type='set' id='e1'>" + enable
                + "</iq>")).orElseThrow();
    }

    /** A message archived for Romeo (his archive stamped its id). */
    private static Message archived(String from, String type, String body) {
        return (Message) read("<message xmlns='jabber:client' type='" + type + "' id='m1' from='" + from
                + "' to='" + ROMEO + "'><body>" + body + "</body><stanza-id xmlns='urn:xmpp:sid:0' by='" + ROMEO
                + "' id='mam-1'/></message>");
    }

    private List<Message> notifications() {
        List<Message> out = new ArrayList<>();
        for (Stanza s : host.sent()) {
            if (s instanceof Message m && Push2Xml.find(m.extensions(), Push2Xml.NS, "notification").isPresent()) {
                out.add(m);
            }
        }
        return out;
    }

    private static Element notification(Message m) {
        return Push2Xml.find(m.extensions(), Push2Xml.NS, "notification").orElseThrow();
    }

    /** Each element as namespace, name, attribute names and (for leaves) text, depth first. */
    private static List<String> shape(Element e, Map<String, String> texts) {
        List<String> out = new ArrayList<>();
        shape(e, texts, out);
        return out;
    }

    private static void shape(Element e, Map<String, String> texts, List<String> out) {
        StringBuilder attrs = new StringBuilder();
        for (int i = 0; i < e.getAttributes().getLength(); i++) {
            Node a = e.getAttributes().item(i);
            if (!"xmlns".equals(a.getNodeName()) && !a.getNodeName().startsWith("xmlns:")) {
                attrs.append(' ').append(a.getNodeName());
            }
        }
        boolean leaf = true;
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            leaf &= !(n instanceof Element);
        }
        String text = leaf ? e.getTextContent().trim() : "";
        out.add(e.getNamespaceURI() + " " + e.getLocalName() + attrs + " " + texts.getOrDefault(text, text));
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                shape(child, texts, out);
            }
        }
    }

    @Test
    void theDocumentedEnableIsAcceptedWithItsProfileGraceAndFilter() {
        Iq answer = enable(Push2Fixtures.ENABLE);

        assertThat(answer.type()).isEqualTo(Iq.RESULT);
        AccountPushRegistration stored = host.registrations().list(ROMEO).get(0);
        assertThat(stored.jid()).isEqualTo(Push2UserServer.REGISTRATION_JID);
        assertThat(stored.node()).as("one registration per client session").isEqualTo("phone");
        Push2Enable enable = Push2Enable.fromXml(stored.extensionData().get(Push2UserServer.ENABLE_KEY));
        assertThat(enable.service()).isEqualTo("pusher@push.example.com");
        assertThat(enable.client()).isEqualTo(CLIENT);
        assertThat(enable.matches()).singleElement().satisfies(m -> {
            assertThat(m.profile()).isEqualTo("urn:xmpp:push2:match:archived-with-body");
            assertThat(m.grace()).isEqualTo(144);
            assertThat(m.filters()).containsEntry("somemuc@conference.example.com",
                    new Push2Enable.Filter(true, false));
            assertThat(m.send().profile()).isEqualTo("urn:xmpp:push2:send:notify-only:0");
        });
    }

    @Test
    void aNotifyOnlyNotificationHasTheDocumentedShape() {
        enable(Push2Fixtures.ENABLE);

        host.deliver(archived("juliet@example.com/balcony", "chat", "Wherefore art thou?"));

        Message sent = notifications().get(0);
        assertThat(sent.to()).as("to the enabled service").isEqualTo("pusher@push.example.com");
        assertThat(sent.from()).isEqualTo("example.net");
        Message documented = (Message) read(Push2Fixtures.NOTIFY_ONLY_NOTIFICATION);
        assertThat(shape(notification(sent), Map.of())).isEqualTo(shape(notification(documented), Map.of()));
    }

    @Test
    void theDocumentedMatchRulesDecideWhatIsPushed() {
        enable(Push2Fixtures.ENABLE);

        host.deliver((Message) read("<message xmlns='jabber:client' type='chat' from='juliet@example.com/b'"
                + " to='" + ROMEO + "'><body>not archived</body></message>"));
        assertThat(notifications()).as("archived-with-body: not archived, no push").isEmpty();
        host.deliver(archived("somemuc@conference.example.com/tybalt", "groupchat", "a quarrel"));
        assertThat(notifications()).as("the filtered room, no mention: no push").isEmpty();
        host.deliver(archived("somemuc@conference.example.com/tybalt", "groupchat", "where is Romeo?"));
        assertThat(notifications()).as("the filtered room, mentioned: a push").hasSize(1);
        push.sessionActive(ROMEO + "/laptop");
        host.deliver(archived("juliet@example.com/b", "chat", "hello"));
        assertThat(notifications()).as("another session active within the grace of 144 s: no push").hasSize(1);
    }

    @Test
    void theDocumentedEncryptingProfileIsAcceptedAndItsNotificationHasTheDocumentedShape() throws Exception {
        UserAgentKeys ua = UserAgentKeys.generate();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
        Base64.Encoder b64 = Base64.getEncoder();
        String send = Push2Fixtures.SCE_SEND
                .replace(Push2Fixtures.UA_PUBLIC_PLACEHOLDER,
                        b64.encodeToString(ua.subscription(CLIENT).p256dh()))
                .replace(Push2Fixtures.AUTH_SECRET_PLACEHOLDER, b64.encodeToString(ua.auth()))
                .replace(Push2Fixtures.JWT_KEY_PLACEHOLDER, b64.encodeToString(pkcs8));
        String enable = Push2Fixtures.ENABLE.replace("<send xmlns=\"urn:xmpp:push2:send:notify-only:0\"/>", send);

        assertThat(enable(enable).type()).isEqualTo(Iq.RESULT);
        Message original = archived("juliet@example.com/balcony", "chat", "Wherefore art thou?");
        host.deliver(original);

        Element sent = notification(notifications().get(0));
        Element payload = Push2Xml.child(Push2Xml.child(sent, Push2Xml.SCE_RFC8291, "encrypted").orElseThrow(),
                Push2Xml.SCE_RFC8291, "payload").orElseThrow();
        Element jwt = Push2Xml.child(sent, Push2Xml.NS, "jwt").orElseThrow();
        Message documented = (Message) read(Push2Fixtures.ENCRYPTED_NOTIFICATION);
        assertThat(shape(sent, Map.of(payload.getTextContent(), Push2Fixtures.PAYLOAD_PLACEHOLDER,
                jwt.getTextContent(), Push2Fixtures.JWT_PLACEHOLDER)))
                .isEqualTo(shape(notification(documented), Map.of()));

        byte[] envelope = WebPushEncryption.decrypt(ua, Base64.getDecoder().decode(payload.getTextContent()));
        Element forwarded = Push2Xml.parse(new String(envelope, StandardCharsets.UTF_8));
        assertThat(forwarded.getNamespaceURI() + " " + forwarded.getLocalName()).isEqualTo("urn:xmpp:sce:1 envelope");
        Element content = Push2Xml.child(forwarded, Push2Xml.SCE, "content").orElseThrow();
        Element message = Push2Xml.child(Push2Xml.child(content, Push2Xml.FORWARD, "forwarded").orElseThrow(),
                Push2Xml.CLIENT, "message").orElseThrow();
        assertThat(Push2Xml.childText(message, Push2Xml.CLIENT, "body")).contains("Wherefore art thou?");
        assertThat(message.getAttribute("from")).isEqualTo("juliet@example.com/balcony");
        assertThat(Push2Xml.child(message, Push2Xml.SID, "stanza-id").orElseThrow().getAttribute("id"))
                .isEqualTo("mam-1");

        String key = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Base64.getDecoder().decode(jwt.getAttribute("key")));
        VapidClaims claims = Vapid.verify("vapid t=" + jwt.getTextContent() + ", k=" + key,
                "https://push.example.com", Instant.now());
        assertThat(claims.subject()).as("the contact, as mod_push2 sets it").isEqualTo("xmpp:example.net");
    }

    @Test
    void theDocumentedDisableRemovesTheClientsRegistration() {
        enable(Push2Fixtures.ENABLE);

        assertThat(enable(Push2Fixtures.DISABLE).type()).isEqualTo(Iq.RESULT);

        assertThat(host.registrations().list(ROMEO)).isEmpty();
    }

    @Test
    void theAccountAdvertisesTheDocumentedFeature() {
        assertThat(push.discoFeatures()).contains(Push2Fixtures.FEATURE, "urn:xmpp:push:0");
    }

    @Test
    void ourAppServerDeliversTheDocumentedNotifications() throws Exception {
        FakePushProvider provider = new FakePushProvider();
        try (DeviceRegistrationStore store = Stores.inMemoryDeviceStore();
             PushAppServer appServer = PushAppServer.builder().jid("pusher@push.example.net").store(store)
                     .provider("fcm-http-v1", provider).dialect(new Push2Dialect()).build()) {
            store.register(new DeviceRegistration(CLIENT, Device.of("fcm-http-v1", "fcm-token-1"), ROMEO, null,
                    Instant.now()));
            Stanza notifyOnly = read(Push2Fixtures.NOTIFY_ONLY_NOTIFICATION).from("example.net");

            List<Stanza> answers = appServer.handle(notifyOnly).toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(answers).as("a delivered notification is not answered").isEmpty();
            PushRequest wakeUp = provider.takeRequest(WAIT);
            assertThat(wakeUp.device().token()).isEqualTo("fcm-token-1");
            assertThat(wakeUp.kind()).isEqualTo(PushKind.BACKGROUND);
            assertThat(wakeUp.priority()).isEqualTo(PushPriority.HIGH);
            assertThat(wakeUp.encrypted()).isNull();

            String payload = Base64.getEncoder().encodeToString("opaque aes128gcm".getBytes(StandardCharsets.UTF_8));
            String key = Base64.getEncoder().encodeToString(new byte[65]);
            Stanza encrypted = read(Push2Fixtures.ENCRYPTED_NOTIFICATION
                    .replace(Push2Fixtures.PAYLOAD_PLACEHOLDER, payload)
                    .replace(Push2Fixtures.JWT_KEY_ATTRIBUTE_PLACEHOLDER, key)
                    .replace(Push2Fixtures.JWT_PLACEHOLDER, "h.p.s")).from("example.net");

            appServer.handle(encrypted).toCompletableFuture().get(10, TimeUnit.SECONDS);

            PushRequest message = provider.takeRequest(WAIT);
            assertThat(message.kind()).isEqualTo(PushKind.MESSAGE);
            assertThat(message.encrypted().isAes128gcm()).isTrue();
            assertThat(message.encrypted().ciphertext()).as("passed through unchanged").isEqualTo(payload);
            assertThat(message.encrypted().vapidToken()).isEqualTo("h.p.s");
            assertThat(Base64.getUrlDecoder().decode(message.encrypted().vapidKey())).isEqualTo(new byte[65]);
        } finally {
            provider.close();
        }
    }
}
