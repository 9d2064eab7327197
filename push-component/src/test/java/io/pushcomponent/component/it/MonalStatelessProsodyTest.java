package io.pushcomponent.component.it;

import static io.pushcomponent.component.it.ProsodyIntegrationTest.requirePrerequisite;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.PushComponent;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.testkit.apns.FakeApnsServer;
import io.pushcomponent.testkit.apns.FakeApnsServer.ReceivedNotification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Monal's stateless push end to end: a client enables and disables push on a real Prosody with exactly the elements
 * Monal builds (its {@code setPushEnableWithNode} and {@code setPushDisable}: the APNs device token as the node, the
 * app named by {@code pushModule}); Prosody's {@code mod_cloud_notify} publishes to the component, which has no
 * registration and sends through the push module's app to {@link FakeApnsServer}.
 */
@Timeout(180)
class MonalStatelessProsodyTest {
    private static final String PUSH_JID = "push.localhost";
    private static final String COMPONENT_SECRET = "it-component-secret";
    private static final String BUNDLE = "im.monal.monal";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Map<String, String> USERS = Map.of("alice", "alice-pw", "bob", "bob-pw");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private ProsodyProcess prosody;
    private FakeApnsServer apns;
    private final BlockingQueue<String> prosodyLog = new LinkedBlockingQueue<>();
    private PushComponent component;

    @BeforeEach
    void start() throws Exception {
        String ci = System.getenv("CI");
        requirePrerequisite(ProsodyProcess.installed(), "Prosody is not installed", ProsodyProcess.installAdvice(), ci);
        requirePrerequisite(ProsodyProcess.cloudNotify().isPresent(), "mod_cloud_notify is not installed",
                ProsodyProcess.installAdvice(), ci);
        prosody = ProsodyProcess.start(Files.createDirectories(dir.resolve("prosody")), PUSH_JID, COMPONENT_SECRET,
                USERS, prosodyLog::add);
        apns = FakeApnsServer.startValidating();
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

    private void startComponent(String rateLimit) throws Exception {
        FakeApnsServer.SigningKey key = apns.signingKey();
        Path config = dir.resolve("push.tdsl");
        Files.writeString(config, String.join("\n",
                "'component-jid' = '" + PUSH_JID + "'",
                "'remote-host' = '127.0.0.1'",
                "'remote-port' = " + prosody.componentPort(),
                "'secret' = '" + COMPONENT_SECRET + "'",
                "'data-dir' = 'data'",
                "push () {",
                "    'apns' () {",
                "        'key-file' = '" + key.file() + "'",
                "        'team-id' = '" + key.teamId() + "'",
                "        'key-id' = '" + key.keyId() + "'",
                "        'topic' = 'im.example.siskin'",
                "        'apps' () { '" + BUNDLE + "' () { } }",
                "        'apns-host' = '" + apns.host() + "'",
                "        'apns-port' = " + apns.port(),
                "        'apns-sandbox-host' = '" + apns.host() + "'",
                "        'apns-sandbox-port' = " + apns.port(),
                "        'trusted-ca-file' = '" + apns.caCertificateFile() + "'",
                "    }",
                "}",
                "stateless () {",
                "    'rate-limit' = '" + rateLimit + "'",
                "    'monalProdiOS' () {",
                "        provider = 'apns'",
                "        app = '" + BUNDLE + "'",
                "    }",
                "}",
                ""), StandardCharsets.UTF_8);
        ProviderRegistry registry = PushComponent.providerRegistry(PushComponent.class.getClassLoader());
        component = PushComponent.start(ComponentConfig.load(config, registry), registry);
        assertThat(component.awaitConnected(WAIT)).as("the component authenticates with Prosody; see "
                + prosody.log()).isTrue();
    }

    private static String token(int n) {
        return String.format("%064x", n);
    }

    /** Alice enables push the way Monal does for each token, then goes offline. */
    private void aliceEnables(String... tokens) throws Exception {
        try (XmppUser alice = XmppUser.login(prosody.c2sPort(), "alice", USERS.get("alice"))) {
            for (String token : tokens) {
                monalEnables(alice, token);
            }
        }
    }

    private static void monalEnables(XmppUser user, String token) throws Exception {
        sendsAsMonal(user, "monal-fpush-enable", Map.of("jid", PUSH_JID, "node", token, "pushModule", "monalProdiOS"));
    }

    /** Sends the Monal fixture {@code clients/<fixture>.xml} as written; Prosody must accept it. */
    private static void sendsAsMonal(XmppUser user, String fixture, Map<String, String> values) throws Exception {
        String id = fixture + "-" + values.get("node").substring(0, 8) + "-" + System.nanoTime();
        Map<String, String> all = new HashMap<>(values);
        all.put("id", id);
        IQ answer = user.sendAsWritten(id, ClientStanzas.fill(fixture, all));
        assertThat(answer.getType()).as("Prosody accepts Monal's " + fixture + ": " + answer.toXML())
                .isEqualTo(IQ.Type.result);
    }

    private void bobWritesToAlice(int messages) throws Exception {
        try (XmppUser bob = XmppUser.login(prosody.c2sPort(), "bob", USERS.get("bob"))) {
            for (int i = 0; i < messages; i++) {
                bob.sendMessage("alice@" + ProsodyProcess.DOMAIN, "message " + i);
            }
        }
    }

    @Test
    void monalsEnableMakesEveryMessageAMutableAlertToItsPushModulesApp() throws Exception {
        startComponent("PT1S");
        String token = token(1);
        apns.addDeviceToken(BUNDLE, token);
        aliceEnables(token);

        bobWritesToAlice(1);

        ReceivedNotification push = apns.takeNotification(WAIT);
        assertThat(push.token()).as("the node Monal enabled is its device token").isEqualTo(token);
        assertThat(push.topic()).as("pushModule monalProdiOS names the app").isEqualTo(BUNDLE);
        assertThat(push.pushType()).as("Monal's notification service extension needs an alert").isEqualTo("alert");
        assertThat(push.priority()).isEqualTo(10);
        JsonNode aps = JSON.readTree(push.payload()).get("aps");
        assertThat(aps.get("mutable-content").asInt()).isEqualTo(1);
        assertThat(aps.at("/alert/body").asText()).as("mod_cloud_notify's stand-in body for an important message,"
                + " which the extension replaces").isEqualTo("New Message!");
    }

    @Test
    void afterMonalDisablesPushItsTokenGetsNoMorePushes() throws Exception {
        startComponent("PT1S");
        String disabled = token(2);
        String enabled = token(3);
        apns.addDeviceToken(BUNDLE, disabled).addDeviceToken(BUNDLE, enabled);
        try (XmppUser alice = XmppUser.login(prosody.c2sPort(), "alice", USERS.get("alice"))) {
            monalEnables(alice, disabled);
            sendsAsMonal(alice, "monal-fpush-disable", Map.of("jid", PUSH_JID, "node", disabled));
            monalEnables(alice, enabled);
        }

        bobWritesToAlice(1);

        assertThat(apns.takeNotification(WAIT).token()).isEqualTo(enabled);
        assertThat(apns.pollNotification(Duration.ofSeconds(2))).as("nothing for the disabled token").isNull();
        assertThat(apns.rejectedCount()).isZero();
    }

    /** The first line Prosody logs that contains {@code text}, waiting up to {@link #WAIT}. */
    private String prosodyLogs(String text) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (long left = WAIT.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            String line = prosodyLog.poll(left, TimeUnit.NANOSECONDS);
            if (line != null && line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("Prosody logged no line containing '" + text + "' within " + WAIT);
    }

    /**
     * APNs says the token is unregistered: Prosody gets {@code cancel/item-not-found}, and while Prosody (which
     * disables a device only after 16 errors) goes on publishing, the component refuses the token with the same
     * error without asking APNs again.
     */
    @Test
    void aTokenApnsSaidIsDeadIsRefusedAfterwardsWithoutAskingApns() throws Exception {
        startComponent("PT0S");
        String dead = token(4);
        String alive = token(5);
        apns.addDeviceToken(BUNDLE, dead).addDeviceToken(BUNDLE, alive)
                .unregisterDeviceToken(dead, Instant.now().minusSeconds(60));
        aliceEnables(dead, alive);

        bobWritesToAlice(1);
        assertThat(apns.takeRejection(WAIT).notification().token()).isEqualTo(dead);
        assertThat(apns.takeNotification(WAIT).token()).isEqualTo(alive);
        assertThat(prosodyLogs("Got error <cancel:item-not-found:")).as("APNs' word reaches Prosody")
                .contains("no longer accepts this device");
        bobWritesToAlice(1);

        assertThat(apns.takeNotification(WAIT).token()).as("the next message reaches the live token")
                .isEqualTo(alive);
        assertThat(prosodyLogs("Got error <cancel:item-not-found:")).as("refused by the component")
                .contains("no longer valid");
        assertThat(apns.rejectedCount()).as("the dead token was not sent to APNs again").isEqualTo(1);
    }

    /**
     * fpush's rate limit: of three messages in a row, the first push goes at once, the second when the limit is
     * over, the third is dropped (Prosody gets a result for each).
     */
    @Test
    void theRateLimitHoldsOnePushBackAndDropsTheRest() throws Exception {
        startComponent("PT3S");
        String token = token(6);
        apns.addDeviceToken(BUNDLE, token);
        aliceEnables(token);

        long start = System.nanoTime();
        bobWritesToAlice(3);

        apns.takeNotification(WAIT);
        apns.takeNotification(WAIT);
        Duration sinceTheMessages = Duration.ofNanos(System.nanoTime() - start);
        assertThat(sinceTheMessages).as("the second push waits for the rate limit after the first")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(apns.pollNotification(Duration.ofSeconds(4))).as("the third is dropped").isNull();
        assertThat(apns.acceptedCount()).isEqualTo(2);
    }
}
