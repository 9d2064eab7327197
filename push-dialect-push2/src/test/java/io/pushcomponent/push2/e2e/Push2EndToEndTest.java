package io.pushcomponent.push2.e2e;

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
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.XmlRejectedException;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.push2.Push2Dialect;
import io.pushcomponent.testkit.apns.FakeApnsServer;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import io.pushcomponent.testkit.webpush.FakeWebPushService;
import io.pushcomponent.testkit.xmpp.FakePush2UserServer;
import io.pushcomponent.testkit.xmpp.InMemoryPushHost;
import io.pushcomponent.webpush.crypto.UserAgentKeys;
import io.pushcomponent.webpush.crypto.VapidKeys;
import io.pushcomponent.webpush.crypto.WebPushEncryption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push 2.0 end to end: our user's-server library (push-core's {@code PushEnablementService} with the Push 2.0
 * dialect, in {@link InMemoryPushHost}) enables a client of our app server (push-core's {@code PushAppServer} with the
 * dialect and the real APNs, FCM and Web Push providers); a message arrives while the client is gone; the
 * notification message reaches the app server, which delivers its encrypted payload unchanged to
 * {@link FakeApnsServer}, {@link FakeFcmServer} and {@link FakeWebPushService} (which checks the user's server's
 * VAPID token and decrypts as the browser does); the test decrypts it back to the original stanza.
 */
class Push2EndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PUSH = "push.example.com";
    private static final String ROMEO = "romeo@example.net";
    private static final String BUNDLE = "im.example.app";
    private static final String APNS_TOKEN = "0123456789abcdef".repeat(4);
    private static final String VOIP_TOKEN = "fedcba9876543210".repeat(4);
    private static final String FCM_TOKEN = "fcm-registration-token:APA91bH-romeo";
    private static final Pattern FIELD = Pattern.compile("var=[\"']node[\"'][^>]*>\\s*<value>([^<]+)</value>");
    private static final StanzaCodec CODEC = StanzaCodec.create();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tempDir;

    private FakeApnsServer apns;
    private FakeFcmServer fcm;
    private FakeWebPushService webPush;
    private PushProvider webPushProvider;
    private PushProvider apnsProvider;
    private PushProvider fcmProvider;
    private DeviceRegistrationStore devices;
    private PushAppServer appServer;
    private InMemoryPushHost host;

    @BeforeEach
    void start() throws Exception {
        apns = FakeApnsServer.start();
        fcm = FakeFcmServer.start();
        webPush = FakeWebPushService.start();
        FakeApnsServer.ClientCertificate certificate = apns.clientCertificate(BUNDLE);
        Map<String, Object> apnsBlock = new LinkedHashMap<>();
        apnsBlock.put("cert-file", certificate.file().toString());
        apnsBlock.put("cert-password", certificate.password());
        apnsBlock.put("topic", BUNDLE);
        apnsBlock.put("pool-size", 1);
        apnsBlock.put("apns-host", apns.host());
        apnsBlock.put("apns-port", apns.port());
        apnsBlock.put("apns-sandbox-host", apns.host());
        apnsBlock.put("apns-sandbox-port", apns.port());
        apnsBlock.put("trusted-ca-file", apns.caCertificateFile().toString());
        ProviderRegistry registry = ProviderRegistry.discover();
        apnsProvider = registry.factory("apns").create(ProviderSettings.of("apns", apnsBlock));
        fcmProvider = registry.factory("fcm-http-v1").create(ProviderSettings.of("fcm-http-v1", Map.of(
                "service-account-file", fcm.writeServiceAccountJson(tempDir).toString(),
                "base-url", fcm.baseUrl(), "pool-size", 1)));
        VapidKeys ours = VapidKeys.generate();
        Path vapidFile = Files.writeString(tempDir.resolve("vapid.properties"), "public-key = "
                + ours.publicKeyBase64Url() + "\nprivate-key = " + ours.privateKeyBase64Url() + "\n");
        webPushProvider = registry.factory("webpush").create(ProviderSettings.of("webpush", Map.of(
                "vapid-key-file", vapidFile.toString(), "vapid-subject", "mailto:push@example.com",
                "allow-local-endpoints", true)));
        devices = Stores.inMemoryDeviceStore();
        appServer = PushAppServer.builder().jid(PUSH).store(devices)
                .providers(Map.of("apns", apnsProvider, "fcm-http-v1", fcmProvider, "webpush", webPushProvider),
                        registry.idsAndAliases())
                .dialect(new Push2Dialect())
                .build();
        host = new InMemoryPushHost("example.net");
        host.startPush(PushEnablementService.builder(host)
                .settings(PushSettings.defaults().toBuilder()
                        .variants(PushSettings.Variant.STANDARD, PushSettings.Variant.EXTENDED).build())
                .dialect(new Push2Dialect()));
        host.connectAppServer(PUSH, appServer::handle);
    }

    @AfterEach
    void stop() throws Exception {
        host.close();
        appServer.close();
        apnsProvider.close();
        fcmProvider.close();
        webPushProvider.close();
        webPush.close();
        devices.close();
        apns.close();
        fcm.close();
    }

    /** The client registers its device with our app server and gets the node it names as its Push 2.0 client. */
    private String register(String session, String provider, String token, String voipToken) {
        DataForm form = DataForm.submit(null).field("provider", provider).field("device-token", token);
        if (voipToken != null) {
            form.field("device-second-token", voipToken);
        }
        Command register = Command.request("register-device", Command.EXECUTE);
        register.form(form);
        String reply = CODEC.write(host.request(session, Iq.set(PUSH, register), WAIT));
        Matcher node = FIELD.matcher(reply);
        assertThat(node.find()).as("registered: %s", reply).isTrue();
        return node.group(1);
    }

    /** The client enables Push 2.0 with the encrypting profile for its keys. */
    private void enable(String session, String node, UserAgentKeys keys) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        enable(session, node, keys, generator.generateKeyPair().getPrivate().getEncoded(), "https://" + PUSH);
    }

    private void enable(String session, String node, UserAgentKeys keys, byte[] jwtKey, String audience) {
        Base64.Encoder b64 = Base64.getEncoder();
        Iq answer = (Iq) host.clientSends(session, read("<iq xmlns='jabber:client' type='set' id='en'>"
                + "<enable xmlns='urn:xmpp:push2:0'><service>" + PUSH + "</service><client>" + node + "</client>"
                + "<match profile='urn:xmpp:push2:match:important'>"
                + "<send xmlns='urn:xmpp:push2:send:sce+rfc8291+rfc8292:0'>"
                + "<ua-public>" + b64.encodeToString(keys.subscription("https://" + PUSH).p256dh()) + "</ua-public>"
                + "<auth-secret>" + b64.encodeToString(keys.auth()) + "</auth-secret>"
                + "<jwt-alg>ES256</jwt-alg><jwt-key>"
                + b64.encodeToString(jwtKey) + "</jwt-key>"
                + "<jwt-claim name='aud'>" + audience + "</jwt-claim></send></match></enable></iq>"))
                .orElseThrow();
        assertThat(answer.type()).isEqualTo(Iq.RESULT);
        host.logout(session);
    }

    private static Stanza read(String xml) {
        try {
            return CODEC.read(xml);
        } catch (XmlRejectedException e) {
            throw new AssertionError(e);
        }
    }

    /** What the app does with its keys: decrypts the payload and reads the forwarded stanza. */
    private static String decryptForwarded(String payload, UserAgentKeys keys) {
        String envelope = new String(WebPushEncryption.decrypt(keys, Base64.getDecoder().decode(payload)),
                StandardCharsets.UTF_8);
        assertThat(envelope).startsWith("<envelope xmlns='urn:xmpp:sce:1'><content><forwarded xmlns='urn:xmpp:forward:0'>");
        String stanza = envelope.substring(envelope.indexOf("<message"), envelope.indexOf("</forwarded>"));
        return CODEC.write(read(stanza));
    }

    private static Message original(String body) {
        return (Message) read("<message xmlns='jabber:client' type='chat' id='m-" + body.length() + "' from="
                + "'juliet@example.com/balcony' to='" + ROMEO + "'><body>" + body + "</body>"
                + "<stanza-id xmlns='urn:xmpp:sid:0' by='" + ROMEO + "' id='mam-7'/></message>");
    }

    @Test
    void anApnsClientGetsTheEncryptedStanzaInAMutableAlertAndCallsOnTheVoipTopic() throws Exception {
        UserAgentKeys keys = UserAgentKeys.generate();
        String node = register(ROMEO + "/iphone", "apns", APNS_TOKEN, VOIP_TOKEN);
        enable(ROMEO + "/iphone", node, keys);

        Message original = original("Wherefore art thou?");
        host.deliver(original);

        FakeApnsServer.ReceivedNotification alert = apns.takeNotification(WAIT);
        assertThat(alert.token()).isEqualTo(APNS_TOKEN);
        assertThat(alert.topic()).isEqualTo(BUNDLE);
        JsonNode payload = JSON.readTree(alert.payload());
        assertThat(payload.path("aps").path("mutable-content").asInt()).as("the app's extension decrypts it")
                .isEqualTo(1);
        assertThat(payload.has("iv")).as("aes128gcm carries its own salt").isFalse();
        assertThat(alert.payload()).as("the body travels only encrypted").doesNotContain("Wherefore");
        assertThat(decryptForwarded(payload.path("encrypted").asText(), keys)).isEqualTo(CODEC.write(original));

        host.deliver(original("w".repeat(6000)));
        FakeApnsServer.ReceivedNotification large = apns.takeNotification(WAIT);
        String trimmed = decryptForwarded(JSON.readTree(large.payload()).path("encrypted").asText(), keys);
        assertThat(large.payload().getBytes(StandardCharsets.UTF_8).length)
                .as("a 6,000-character message still fits APNs' 4,096 bytes").isLessThanOrEqualTo(4096);
        assertThat(trimmed).as("trimmed, its archive id kept").contains("mam-7").contains("\u2026")
                .doesNotContain("w".repeat(51));

        host.deliver((Message) read("<message xmlns='jabber:client' from='juliet@example.com/balcony' to='" + ROMEO
                + "'><propose xmlns='urn:xmpp:jingle-message:0' id='c1'><description"
                + " xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose></message>"));
        FakeApnsServer.ReceivedNotification call = apns.takeNotification(WAIT);
        assertThat(call.token()).as("a <voip/> notification goes to the VoIP token").isEqualTo(VOIP_TOKEN);
        assertThat(call.topic()).isEqualTo(BUNDLE + ".voip");
        assertThat(call.pushType()).isEqualTo("voip");
        assertThat(decryptForwarded(JSON.readTree(call.payload()).path("encrypted").asText(), keys))
                .contains("urn:xmpp:jingle-message:0");
        host.awaitIdle(WAIT);
    }

    @Test
    void anFcmClientGetsTheEncryptedStanzaAsDataWithThePriorityOfTheNotification() throws Exception {
        UserAgentKeys keys = UserAgentKeys.generate();
        String node = register(ROMEO + "/android", "fcm-http-v1", FCM_TOKEN, null);
        enable(ROMEO + "/android", node, keys);

        Message original = original("O Romeo, Romeo");
        host.deliver(original);

        FakeFcmServer.ReceivedMessage received = fcm.takeMessage(WAIT);
        assertThat(received.token()).isEqualTo(FCM_TOKEN);
        assertThat(received.androidPriority()).as("<priority>normal</priority> of an important message")
                .isEqualTo("high");
        assertThat(received.data()).containsKey("encrypted").doesNotContainKey("iv").doesNotContainKey("body");
        assertThat(decryptForwarded(received.data().get("encrypted"), keys)).isEqualTo(CODEC.write(original));
        host.awaitIdle(WAIT);
    }

    @Test
    void whatAMod_push2ServerSendsReachesTheDeviceUnchanged() throws Exception {
        UserAgentKeys keys = UserAgentKeys.generate();
        String node = register(ROMEO + "/android", "fcm-http-v1", FCM_TOKEN, null);
        String stanza = "<message xmlns='jabber:client' type='chat' from='juliet@example.com/balcony' to='" + ROMEO
                + "' id='m9'><body>parting is such sweet sorrow</body></message>";
        Message notification = new FakePush2UserServer("example.net").encrypted(PUSH, node, "low", false, stanza,
                keys.subscription("https://" + PUSH).p256dh(), keys.auth(), VapidKeys.generate(),
                "https://fcm.googleapis.com");
        String sentPayload = CODEC.write(notification).replaceAll("(?s).*<payload>([^<]+)</payload>.*", "$1");

        assertThat(appServer.handle(notification).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .as("delivered: no answer").isEmpty();

        FakeFcmServer.ReceivedMessage received = fcm.takeMessage(WAIT);
        assertThat(received.data().get("encrypted")).as("the payload, unchanged").isEqualTo(sentPayload);
        assertThat(received.androidPriority()).as("<priority>low</priority>").isEqualTo("normal");
        assertThat(decryptForwarded(received.data().get("encrypted"), keys)).isEqualTo(CODEC.write(read(stanza)));
    }

    @Test
    void aBrowserGetsTheStanzaThroughItsWebPushServiceWhichChecksTheServersToken() throws Exception {
        // The browser subscribed with the key pair the client hands its server as <jwt-key/>.
        VapidKeys clientsKey = VapidKeys.generate();
        FakeWebPushService.Subscription browser = webPush.subscribe(clientsKey);
        String node = register(ROMEO + "/browser", "webpush", browser.json(), null);
        enable(ROMEO + "/browser", node, browser.keys(), clientsKey.privateKey().getEncoded(), webPush.origin());

        Message original = original("Good night, good night");
        host.deliver(original);

        FakeWebPushService.Received received = webPush.takeMessage(WAIT);
        assertThat(received.subscription().id()).isEqualTo(browser.id());
        String envelope = new String(received.plaintext(), StandardCharsets.UTF_8);
        String stanza = envelope.substring(envelope.indexOf("<message"), envelope.indexOf("</forwarded>"));
        assertThat(CODEC.write(read(stanza))).as("the browser decrypts the original stanza")
                .isEqualTo(CODEC.write(original));
        host.awaitIdle(WAIT);
    }
}
