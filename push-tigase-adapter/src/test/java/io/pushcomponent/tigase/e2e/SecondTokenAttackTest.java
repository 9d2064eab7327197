package io.pushcomponent.tigase.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.testkit.apns.FakeApnsServer;
import io.pushcomponent.tigase.TigaseNotificationMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The second-token attack, end to end with the real APNs provider and a validating APNs: Mallory
 * registers Juliet's device token under his own account with a garbage {@code device-second-token} and publishes a
 * Tigase call notification to his own node. APNs answers {@code BadDeviceToken} for the VoIP token. Before the fix
 * this removed every registration of Juliet's token and sent her server the remote-disabling message; now it costs
 * Juliet nothing.
 */
class SecondTokenAttackTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PUSH = "push.example.com";
    private static final String BUNDLE = "org.tigase.messenger.mobile";
    private static final String TOKEN = "0123456789abcdef".repeat(4);
    private static final String VOIP_TOKEN = "fedcba9876543210".repeat(4);
    private static final String GARBAGE_VOIP = "00".repeat(32);
    private static final Pattern NODE = Pattern.compile("var=[\"']node[\"'][^>]*>\\s*<value>([^<]+)</value>");

    private FakeApnsServer apns;
    private PushProvider provider;
    private DeviceRegistrationStore store;
    private PushAppServer appServer;

    @BeforeEach
    void start() {
        apns = FakeApnsServer.startValidating().addDeviceToken(BUNDLE, TOKEN)
                .addDeviceToken(BUNDLE + ".voip", VOIP_TOKEN);
        FakeApnsServer.ClientCertificate certificate = apns.clientCertificate(BUNDLE);
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("cert-file", certificate.file().toString());
        block.put("cert-password", certificate.password());
        block.put("topic", BUNDLE);
        block.put("pool-size", 1);
        block.put("apns-host", apns.host());
        block.put("apns-port", apns.port());
        block.put("apns-sandbox-host", apns.host());
        block.put("apns-sandbox-port", apns.port());
        block.put("trusted-ca-file", apns.caCertificateFile().toString());
        ProviderRegistry registry = ProviderRegistry.discover();
        provider = registry.factory("apns").create(ProviderSettings.of("apns", block));
        store = Stores.inMemoryDeviceStore();
        appServer = PushAppServer.builder().jid(PUSH).store(store)
                .providers(Map.of("apns", provider), registry.idsAndAliases())
                .notificationMapper(new TigaseNotificationMapper())
                .build();
    }

    @AfterEach
    void stop() {
        appServer.close();
        provider.close();
        store.close();
        apns.close();
    }

    private List<String> handle(String xml) {
        try {
            return appServer.handleXml(xml).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the app server did not answer in time", e);
        }
    }

    /** Siskin's one-step registration with a PushKit token. */
    private String register(String from, String voipToken) {
        String reply = handle("<iq type='set' to='" + PUSH + "' from='" + from + "' id='r'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='provider'><value>tigase:messenger:apns:1</value></field>"
                + "<field var='device-token'><value>" + TOKEN + "</value></field>"
                + "<field var='device-second-token'><value>" + voipToken + "</value></field>"
                + "</x></command></iq>").get(0);
        Matcher node = NODE.matcher(reply);
        assertThat(node.find()).as("registered: %s", reply).isTrue();
        return node.group(1);
    }

    /** A Tigase call proposal as the user's server publishes it. */
    private static String callPublish(String node, String from) {
        return "<iq type='set' to='" + PUSH + "' from='" + from + "' id='p'>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + node + "'><item>"
                + "<notification xmlns='urn:xmpp:push:0'>"
                + "<jingle xmlns='tigase:push:jingle:0' sid='ca3cf894'><media>audio</media></jingle>"
                + "</notification></item></publish></pubsub></iq>";
    }

    @Test
    void theSecondTokenTrickRemovesNothingOfTheVictims() {
        String juliets = register("juliet@example.net/iphone", VOIP_TOKEN);
        String mallorys = register("mallory@evil.example/x", GARBAGE_VOIP);
        apns.rejectNext(1, FakeApnsServer.Rejection.of("BadDeviceToken"));

        List<String> replies = handle(callPublish(mallorys, "evil.example"));

        assertThat(apns.takeRejection(WAIT).reason()).isEqualTo("BadDeviceToken");
        assertThat(replies).as("only the answer: no remote-disabling message to anyone").hasSize(1);
        assertThat(replies.get(0)).as("a wait error, the device is fine").containsPattern("type=[\"']wait[\"']")
                .doesNotContain("item-not-found");
        DeviceRegistration juliet = store.findByNode(juliets).orElseThrow();
        assertThat(juliet.device().token()).isEqualTo(TOKEN);
        assertThat(juliet.device().secondToken()).as("Juliet keeps both tokens").isEqualTo(VOIP_TOKEN);
        assertThat(store.findByNode(mallorys).orElseThrow().device().secondToken())
                .as("Mallory's registration loses its refused second token, nothing else").isNull();

        List<String> julietsCall = handle(callPublish(juliets, "example.net"));

        assertThat(julietsCall.get(0)).as("Juliet still gets calls").containsPattern("type=[\"']result[\"']");
        FakeApnsServer.ReceivedNotification call = apns.takeNotification(WAIT);
        assertThat(call.token()).as("on her VoIP token").isEqualTo(VOIP_TOKEN);
        assertThat(call.pushType()).isEqualTo("voip");
    }
}
