package io.pushcomponent.component.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.PushComponent;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smackx.commands.packet.AdHocCommandData;
import org.jivesoftware.smackx.xdata.packet.DataForm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conversations' p2 dialect end to end over a real Prosody with {@code mod_cloud_notify}: a client sends exactly what
 * Conversations sends to register with p2 and to enable push (fixtures {@code clients/conversations-*.xml}); a message
 * to the offline account makes Prosody publish, and the component delivers to FCM ({@link FakeFcmServer}) with the
 * hash of account and device as {@code account}, as p2 does. Then unregistration, and a token FCM reports dead: the
 * registration goes and Prosody's publishes are answered {@code cancel/item-not-found}, as p2 answers them.
 */
@Timeout(180)
class ConversationsProsodyTest {
    private static final String PUSH_JID = "p2.localhost";
    private static final String COMPONENT_SECRET = "it-component-secret";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Map<String, String> USERS = Map.of("alice", "alice-pw", "bob", "bob-pw");
    private static final String ANDROID_ID = "92afd7a91cdba9a0";
    /** Prosody's log line for a publish answered with an error that counts against the registration. */
    private static final String ITEM_NOT_FOUND = "Got error <cancel:item-not-found:";

    @TempDir
    Path dir;
    private final ProsodyLog log = new ProsodyLog();
    private ProsodyProcess prosody;
    private FakeFcmServer fcm;
    private PushComponent component;

    @BeforeEach
    void start() throws Exception {
        ProsodyIntegrationTest.requirePrerequisite(ProsodyProcess.installed(), "Prosody is not installed",
                ProsodyProcess.installAdvice(), System.getenv("CI"));
        ProsodyIntegrationTest.requirePrerequisite(ProsodyProcess.cloudNotify().isPresent(),
                "mod_cloud_notify is not installed", ProsodyProcess.installAdvice(), System.getenv("CI"));
        fcm = FakeFcmServer.start();
        prosody = ProsodyProcess.start(Files.createDirectories(dir.resolve("prosody")), PUSH_JID, COMPONENT_SECRET,
                USERS, log);
        Path config = dir.resolve("push.tdsl");
        Files.writeString(config, String.join("\n",
                "'component-jid' = '" + PUSH_JID + "'",
                "'remote-host' = '127.0.0.1'",
                "'remote-port' = " + prosody.componentPort(),
                "'secret' = '" + COMPONENT_SECRET + "'",
                "'data-dir' = 'data'",
                "push () {",
                "    'fcm-http-v1' () {",
                "        'service-account-file' = '" + fcm.writeServiceAccountJson(dir) + "'",
                "        'base-url' = '" + fcm.baseUrl() + "'",
                "    }",
                "}",
                ""), StandardCharsets.UTF_8);
        ProviderRegistry registry = PushComponent.providerRegistry(PushComponent.class.getClassLoader());
        component = PushComponent.start(ComponentConfig.load(config, registry), registry);
        assertThat(component.awaitConnected(WAIT)).as("the component authenticates with Prosody; see "
                + prosody.log()).isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        if (component != null) {
            component.close();
        }
        if (prosody != null) {
            prosody.close();
        }
        if (fcm != null) {
            fcm.close();
        }
    }

    /** Registers as Conversations does and enables push with the answer; returns the FCM token. */
    private String registerAndEnable() throws Exception {
        String token = "fcm:" + UUID.randomUUID();
        try (XmppUser alice = XmppUser.login(prosody.c2sPort(), "alice", USERS.get("alice"))) {
            IQ answer = alice.sendAsWritten("reg1", ClientStanzas.fill("conversations-register-push-fcm",
                    Map.of("id", "reg1", "to", PUSH_JID, "token", token, "android-id", ANDROID_ID)));
            assertThat(answer.getType()).as("register-push-fcm: %s", answer.toXML()).isEqualTo(IQ.Type.result);
            DataForm form = ((AdHocCommandData) answer).getForm();
            assertThat(form.getField("jid").getFirstValue()).isEqualTo(PUSH_JID);
            String node = form.getField("node").getFirstValue();
            String secret = form.getField("secret").getFirstValue();
            assertThat(node).isNotBlank();
            assertThat(secret).as("Conversations needs node and secret").isNotBlank();
            IQ enabled = alice.sendAsWritten("en1", ClientStanzas.fill("conversations-enable",
                    Map.of("id", "en1", "jid", PUSH_JID, "node", node, "secret", secret)));
            assertThat(enabled.getType()).as("enable: %s", enabled.toXML()).isEqualTo(IQ.Type.result);
        }
        return token;
    }

    private void bobWritesToAlice(String body) throws Exception {
        try (XmppUser bob = XmppUser.login(prosody.c2sPort(), "bob", USERS.get("bob"))) {
            bob.sendMessage("alice@" + ProsodyProcess.DOMAIN, body);
        }
    }

    private static String deviceHash(String account, String deviceId) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest((account + "\0" + deviceId).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aMessageReachesFcmWithTheHashOfAccountAndDeviceAsP2SendsIt() throws Exception {
        String token = registerAndEnable();

        bobWritesToAlice("Hello Alice");

        FakeFcmServer.ReceivedMessage message = fcm.takeMessage(WAIT);
        assertThat(message).as("FCM got the push; Prosody's log: " + prosody.log()).isNotNull();
        assertThat(message.token()).isEqualTo(token);
        assertThat(message.data()).as("the account as Conversations finds it: SHA-1 of JID, NUL, android-id")
                .containsEntry("account", deviceHash("alice@localhost", ANDROID_ID));
        assertThat(message.json().toString()).as("Google sees no JID of the account").doesNotContain("alice");
    }

    @Test
    void afterUnregistrationPublishesAreItemNotFoundAndNothingReachesFcm() throws Exception {
        registerAndEnable();
        try (XmppUser alice = XmppUser.login(prosody.c2sPort(), "alice", USERS.get("alice"))) {
            IQ answer = alice.sendAsWritten("unreg1", ClientStanzas.fill("conversations-unregister-push-fcm",
                    Map.of("id", "unreg1", "to", PUSH_JID, "android-id", ANDROID_ID)));
            assertThat(answer.getType()).as("unregister-push-fcm: %s", answer.toXML()).isEqualTo(IQ.Type.result);
        }

        bobWritesToAlice("Still there?");

        assertThat(log.await(WAIT, ITEM_NOT_FOUND)).as("Prosody's publish is answered item-not-found; see "
                + prosody.log()).isNotNull();
        assertThat(fcm.messageCount()).as("nothing was sent to FCM").isZero();
    }

    @Test
    void aDeadTokenRemovesTheRegistrationAndTheNextPublishIsItemNotFoundWithoutFcm() throws Exception {
        String token = registerAndEnable();
        fcm.enqueue(FakeFcmServer.Reply.unregistered());

        bobWritesToAlice("First");
        assertThat(fcm.takeMessage(WAIT).token()).as("the push was tried").isEqualTo(token);
        assertThat(log.await(WAIT, ITEM_NOT_FOUND, "now at 1")).as("FCM's UNREGISTERED becomes item-not-found;"
                + " see " + prosody.log()).isNotNull();

        bobWritesToAlice("Second");
        assertThat(log.await(WAIT, ITEM_NOT_FOUND, "now at 2")).as("the next publish finds no registration;"
                + " see " + prosody.log()).isNotNull();
        assertThat(fcm.messageCount()).as("and is answered without FCM").isEqualTo(1);
    }
}
