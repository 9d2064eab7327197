package io.pushcomponent.component.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.PushComponent;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.testkit.apns.FakeApnsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smackx.commands.packet.AdHocCommandData;
import org.jivesoftware.smackx.xdata.packet.DataForm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * mod_push_appserver's v1 dialect end to end over a real Prosody with {@code mod_cloud_notify}: a client sends exactly
 * what Monal sent before fpush to register and to enable push (fixtures {@code clients/monal-*.xml}); a message to the
 * offline account makes Prosody publish, and the component delivers to APNs ({@link FakeApnsServer}). Then
 * {@code v1-unregister-push}, and a token APNs reports unregistered: the registration goes and Prosody's publishes are
 * answered {@code cancel/item-not-found}, as mod_push_appserver answers a node it does not know.
 */
@Timeout(180)
class MonalLegacyProsodyTest {
    private static final String PUSH_JID = "push.localhost";
    private static final String COMPONENT_SECRET = "it-component-secret";
    private static final String BUNDLE = "im.monal.example";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Map<String, String> USERS = Map.of("alice", "alice-pw", "bob", "bob-pw");
    private static final String ITEM_NOT_FOUND = "Got error <cancel:item-not-found:";

    @TempDir
    Path dir;
    private final ProsodyLog log = new ProsodyLog();
    private final String node = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    private final String token = randomHexToken();
    private ProsodyProcess prosody;
    private FakeApnsServer apns;
    private PushComponent component;

    private static String randomHexToken() {
        byte[] token = new byte[32];
        ThreadLocalRandom.current().nextBytes(token);
        return HexFormat.of().formatHex(token);
    }

    @BeforeEach
    void start() throws Exception {
        ProsodyIntegrationTest.requirePrerequisite(ProsodyProcess.installed(), "Prosody is not installed",
                ProsodyProcess.installAdvice(), System.getenv("CI"));
        ProsodyIntegrationTest.requirePrerequisite(ProsodyProcess.cloudNotify().isPresent(),
                "mod_cloud_notify is not installed", ProsodyProcess.installAdvice(), System.getenv("CI"));
        apns = FakeApnsServer.start();
        prosody = ProsodyProcess.start(Files.createDirectories(dir.resolve("prosody")), PUSH_JID, COMPONENT_SECRET,
                USERS, log);
        FakeApnsServer.ClientCertificate certificate = apns.clientCertificate(BUNDLE);
        Path config = dir.resolve("push.tdsl");
        Files.writeString(config, String.join("\n",
                "'component-jid' = '" + PUSH_JID + "'",
                "'remote-host' = '127.0.0.1'",
                "'remote-port' = " + prosody.componentPort(),
                "'secret' = '" + COMPONENT_SECRET + "'",
                "'data-dir' = 'data'",
                "push () {",
                "    'apns' () {",
                "        'cert-file' = '" + certificate.file() + "'",
                "        'cert-password' = '" + certificate.password() + "'",
                "        'topic' = '" + BUNDLE + "'",
                "        'pool-size' = 1",
                "        'apns-host' = '" + apns.host() + "'",
                "        'apns-port' = " + apns.port(),
                "        'trusted-ca-file' = '" + apns.caCertificateFile() + "'",
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
        if (apns != null) {
            apns.close();
        }
    }

    /** Registers as Monal did and enables push with the answer. */
    private void registerAndEnable() throws Exception {
        try (XmppUser alice = XmppUser.login(prosody.c2sPort(), "alice", USERS.get("alice"))) {
            IQ answer = alice.sendAsWritten("reg1", ClientStanzas.fill("monal-v1-register-push",
                    Map.of("id", "reg1", "to", PUSH_JID, "node", node, "token", token)));
            assertThat(answer.getType()).as("v1-register-push: %s", answer.toXML()).isEqualTo(IQ.Type.result);
            DataForm form = ((AdHocCommandData) answer).getForm();
            assertThat(form.getField("jid").getFirstValue()).isEqualTo(PUSH_JID);
            assertThat(form.getField("node").getFirstValue()).as("the node Monal chose").isEqualTo(node);
            String secret = form.getField("secret").getFirstValue();
            assertThat(secret).isNotBlank();
            IQ enabled = alice.sendAsWritten("en1", ClientStanzas.fill("monal-enable",
                    Map.of("id", "en1", "jid", PUSH_JID, "node", node, "secret", secret)));
            assertThat(enabled.getType()).as("enable: %s", enabled.toXML()).isEqualTo(IQ.Type.result);
        }
    }

    private void bobWritesToAlice(String body) throws Exception {
        try (XmppUser bob = XmppUser.login(prosody.c2sPort(), "bob", USERS.get("bob"))) {
            bob.sendMessage("alice@" + ProsodyProcess.DOMAIN, body);
        }
    }

    @Test
    void aMessageReachesApnsForTheNodeMonalChose() throws Exception {
        registerAndEnable();

        bobWritesToAlice("Hello Alice");

        FakeApnsServer.ReceivedNotification push = apns.takeNotification(WAIT);
        assertThat(push).as("APNs got the push; Prosody's log: " + prosody.log()).isNotNull();
        assertThat(push.token()).isEqualTo(token);
        assertThat(push.topic()).isEqualTo(BUNDLE);
    }

    @Test
    void afterV1UnregisterPushPublishesAreItemNotFoundAndNothingReachesApns() throws Exception {
        registerAndEnable();
        try (XmppUser alice = XmppUser.login(prosody.c2sPort(), "alice", USERS.get("alice"))) {
            IQ answer = alice.sendAsWritten("unreg1", ClientStanzas.fill("monal-v1-unregister-push",
                    Map.of("id", "unreg1", "to", PUSH_JID, "node", node)));
            assertThat(answer.getType()).as("v1-unregister-push: %s", answer.toXML()).isEqualTo(IQ.Type.result);
            DataForm form = ((AdHocCommandData) answer).getForm();
            assertThat(form.getField("node").getFirstValue()).isEqualTo(node);
        }

        bobWritesToAlice("Still there?");

        assertThat(log.await(WAIT, ITEM_NOT_FOUND)).as("Prosody's publish is answered item-not-found; see "
                + prosody.log()).isNotNull();
        assertThat(apns.acceptedCount() + apns.rejectedCount()).as("nothing was sent to APNs").isZero();
    }

    @Test
    void anUnregisteredTokenRemovesTheRegistrationAndTheNextPublishIsItemNotFoundWithoutApns() throws Exception {
        registerAndEnable();
        apns.rejectNext(1, FakeApnsServer.Rejection.unregistered(Instant.now()));

        bobWritesToAlice("First");
        assertThat(apns.takeRejection(WAIT).notification().token()).as("the push was tried").isEqualTo(token);
        assertThat(log.await(WAIT, ITEM_NOT_FOUND, "now at 1")).as("APNs' Unregistered becomes item-not-found;"
                + " see " + prosody.log()).isNotNull();

        bobWritesToAlice("Second");
        assertThat(log.await(WAIT, ITEM_NOT_FOUND, "now at 2")).as("the next publish finds no registration;"
                + " see " + prosody.log()).isNotNull();
        assertThat(apns.acceptedCount() + apns.rejectedCount()).as("and is answered without APNs").isEqualTo(1);
    }
}
