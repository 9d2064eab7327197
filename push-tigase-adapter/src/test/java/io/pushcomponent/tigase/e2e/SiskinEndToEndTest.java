package io.pushcomponent.tigase.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.user.PushEnablementService;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.disco.DiscoInfo;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.testkit.apns.FakeApnsServer;
import io.pushcomponent.testkit.xmpp.InMemoryPushHost;
import io.pushcomponent.tigase.TigaseNotificationMapper;
import io.pushcomponent.tigase.TigaseUserExtension;
import io.pushcomponent.tigase.config.TigaseProviderSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plays Siskin (Tigase's iOS client) against a Tigase-configured app server and a user's server with Tigase's
 * extensions, with APNs faked by {@link FakeApnsServer}: discovery, one-step {@code register-device} with
 * {@code tigase:messenger:apns:1} and a PushKit token, enable with encryption, priority and calls; a message and a
 * call proposal arrive at APNs encrypted for the key the client handed over.
 */
class SiskinEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PUSH = "push.example.com";
    private static final String ROMEO = "romeo@example.net";
    private static final String PHONE = ROMEO + "/iphone";
    private static final String BUNDLE = "org.tigase.messenger.mobile";
    private static final String TOKEN = "0123456789abcdef".repeat(4);
    private static final String VOIP_TOKEN = "fedcba9876543210".repeat(4);
    private static final byte[] KEY = "siskin-key-16byt".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StanzaCodec CODEC = StanzaCodec.create();

    private FakeApnsServer apns;
    private PushProvider provider;
    private DeviceRegistrationStore devices;
    private PushAppServer appServer;
    private InMemoryPushHost host;

    @BeforeEach
    void start() {
        apns = FakeApnsServer.start();
        // The apns-binary-api block of Tigase's guide, plus where the fake APNs listens.
        FakeApnsServer.ClientCertificate certificate = apns.clientCertificate(BUNDLE);
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("cert-file", certificate.file().toString());
        block.put("cert-password", certificate.password());
        block.put("apns-topic", BUNDLE);
        block.put("pool-size", 1);
        block.put("apns-host", apns.host());
        block.put("apns-port", apns.port());
        block.put("apns-sandbox-host", apns.host());
        block.put("apns-sandbox-port", apns.port());
        block.put("trusted-ca-file", apns.caCertificateFile().toString());
        ProviderRegistry registry = ProviderRegistry.discover();
        String apnsId = registry.canonicalId("apns-binary-api").orElseThrow();
        provider = registry.factory(apnsId).create(TigaseProviderSettings.translate(
                ProviderSettings.of("apns-binary-api", block), apnsId));
        devices = Stores.inMemoryDeviceStore();
        appServer = PushAppServer.builder().jid(PUSH).store(devices)
                .providers(Map.of(apnsId, provider), registry.idsAndAliases())
                .notificationMapper(new TigaseNotificationMapper())
                .build();
        host = new InMemoryPushHost("example.net");
        host.startPush(PushEnablementService.builder(host)
                .settings(PushSettings.defaults().toBuilder()
                        .variants(PushSettings.Variant.STANDARD, PushSettings.Variant.EXTENDED).build())
                .extension(new TigaseUserExtension()));
        host.connectAppServer(PUSH, appServer::handle);
    }

    @AfterEach
    void stop() {
        host.close();
        appServer.close();
        provider.close();
        devices.close();
        apns.close();
    }

    @Test
    void siskinRegistersEnablesAndGetsEncryptedMessageAndCallPushes() throws Exception {
        // Siskin finds the push component by its features.
        DiscoInfo info = host.request(PHONE, Iq.get(PUSH, new DiscoInfo()), WAIT).extension(DiscoInfo.class)
                .orElseThrow();
        assertThat(info.identities()).as("Siskin looks for the identity pubsub/push")
                .anySatisfy(i -> assertThat(i.category() + "/" + i.type()).isEqualTo("pubsub/push"));
        assertThat(info.features()).as("and the features urn:xmpp:push:0 and tigase:messenger:apns:1")
                .contains("urn:xmpp:push:0", "tigase:messenger:apns:1");

        // One step, action='execute' with the filled form, as Siskin sends it.
        Command register = Command.request("register-device", Command.EXECUTE);
        register.form(DataForm.submit(null).field("provider", "tigase:messenger:apns:1")
                .field("device-token", TOKEN).field("device-second-token", VOIP_TOKEN));
        Iq registered = host.request(PHONE, Iq.set(PUSH, register), WAIT);
        assertThat(registered.type()).as("register-device succeeds").isEqualTo(Iq.RESULT);
        DataForm result = registered.extension(Command.class).orElseThrow().form().orElseThrow();
        String node = result.value("node").orElseThrow();
        assertThat(result.field("features").orElseThrow().values())
                .as("the result form tells Siskin it may encrypt")
                .contains("tigase:push:encrypt:0", "tigase:push:encrypt:aes-128-gcm");
        String maxSize = result.value("max-payload-size").orElseThrow();

        Iq enabled = (Iq) host.clientSends(PHONE, CODEC.read("<iq xmlns='jabber:client' type='set' id='en1'>"
                + "<enable xmlns='urn:xmpp:push:0' jid='" + PUSH + "' node='" + node + "'>"
                + "<encrypt xmlns='tigase:push:encrypt:0' alg='aes-128-gcm' max-size='" + maxSize + "'>"
                + Base64.getEncoder().encodeToString(KEY) + "</encrypt>"
                + "<priority xmlns='tigase:push:priority:0'/><jingle xmlns='tigase:push:jingle:0'/>"
                + "</enable></iq>")).orElseThrow();
        assertThat(enabled.type()).as("enable with Tigase's extensions succeeds").isEqualTo(Iq.RESULT);
        host.logout(PHONE);

        // A message for the offline account: an alert push whose encrypted payload Siskin decrypts.
        host.deliver((Message) CODEC.read("<message xmlns='jabber:client' type='chat' "
                + "from='juliet@example.com/balcony' to='" + ROMEO + "'><body>Wherefore art thou?</body></message>"));
        FakeApnsServer.ReceivedNotification message = apns.takeNotification(WAIT);
        assertThat(message.token()).isEqualTo(TOKEN);
        assertThat(message.topic()).isEqualTo(BUNDLE);
        JsonNode payload = JSON.readTree(message.payload());
        assertThat(payload.path("account").asText()).as("Siskin picks the account by 'account'").isEqualTo(ROMEO);
        JsonNode content = decrypt(payload);
        assertThat(content.get("unread").isNumber()).as("unread is a number").isTrue();
        assertThat(content.get("unread").asInt()).isEqualTo(1);
        assertThat(content.get("sender").isTextual()).as("sender is a JID string").isTrue();
        assertThat(content.get("sender").asText()).isEqualTo("juliet@example.com");
        assertThat(content.get("type").asText()).isEqualTo("chat");
        assertThat(content.get("message").asText()).isEqualTo("Wherefore art thou?");
        assertThat(message.payload()).as("the body travels only encrypted").doesNotContain("Wherefore");

        // A call proposal: a VoIP push to the PushKit token on the .voip topic.
        host.deliver((Message) CODEC.read("<message xmlns='jabber:client' from='juliet@example.com/balcony' to='"
                + ROMEO + "'><propose xmlns='urn:xmpp:jingle-message:0' id='ca3cf894'>"
                + "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose></message>"));
        FakeApnsServer.ReceivedNotification call = apns.takeNotification(WAIT);
        assertThat(call.token()).as("calls go to the second (PushKit) token").isEqualTo(VOIP_TOKEN);
        assertThat(call.topic()).as("on the VoIP topic").isEqualTo(BUNDLE + ".voip");
        assertThat(call.pushType()).isEqualTo("voip");
        JsonNode callContent = decrypt(JSON.readTree(call.payload()));
        assertThat(callContent.get("type").asText()).isEqualTo("call");
        assertThat(callContent.get("sid").asText()).isEqualTo("ca3cf894");
        assertThat(callContent.get("media").get(0).asText()).isEqualTo("audio");
        assertThat(callContent.get("sender").asText()).isEqualTo("juliet@example.com");
        host.awaitIdle(WAIT);
    }

    private static JsonNode decrypt(JsonNode apnsPayload) throws Exception {
        assertThat(apnsPayload.has("encrypted") && apnsPayload.has("iv"))
                .as("an encrypted push carries 'encrypted' and 'iv' at top level: " + apnsPayload).isTrue();
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"),
                new GCMParameterSpec(128, Base64.getDecoder().decode(apnsPayload.get("iv").asText())));
        byte[] plain = cipher.doFinal(Base64.getDecoder().decode(apnsPayload.get("encrypted").asText()));
        return JSON.readTree(plain);
    }
}
