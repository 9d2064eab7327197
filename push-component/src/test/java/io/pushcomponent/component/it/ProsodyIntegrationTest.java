package io.pushcomponent.component.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.pushcomponent.api.PushRequest;
import io.pushcomponent.component.PushComponent;
import io.pushcomponent.component.internal.ComponentConnection;
import io.pushcomponent.testkit.FakePushProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The whole flow against a real Prosody with {@code mod_cloud_notify}: a real client registers a device at the
 * component through the server, enables push, goes offline; a message to it makes Prosody publish, and the component
 * delivers to the provider.
 */
@Timeout(180)
class ProsodyIntegrationTest {
    private static final String PUSH_JID = ItComponent.PUSH_JID;
    private static final String COMPONENT_SECRET = ItComponent.COMPONENT_SECRET;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Map<String, String> USERS = Map.of("alice", "alice-pw", "bob", "bob-pw");

    @TempDir
    Path dir;
    private ProsodyProcess prosody;
    private PushComponent component;
    private String providerName;

    @BeforeEach
    void startProsody() throws Exception {
        String ci = System.getenv("CI");
        requirePrerequisite(ProsodyProcess.installed(), "Prosody is not installed", ProsodyProcess.installAdvice(), ci);
        requirePrerequisite(ProsodyProcess.cloudNotify().isPresent(), "mod_cloud_notify is not installed",
                ProsodyProcess.installAdvice(), ci);
        prosody = ProsodyProcess.start(Files.createDirectories(dir.resolve("prosody")), PUSH_JID, COMPONENT_SECRET,
                USERS, line -> { });
        providerName = "it-" + UUID.randomUUID();
    }

    /**
     * A missing Prosody or mod_cloud_notify skips the test on a developer machine, but fails it on CI (environment
     * variable {@code CI} is {@code true}), where a skip would hide that the whole flow was never tested. The message
     * says what to install for the Prosody at hand ({@link ProsodyProcess#installAdvice()}).
     */
    static void requirePrerequisite(boolean present, String missing, String advice, String ciVariable) {
        String message = missing + ": " + advice + "; or run .ci/run, which installs what is missing";
        if (!present && "true".equalsIgnoreCase(ciVariable)) {
            fail("CI=true and " + message);
        }
        assumeTrue(present, message);
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (component != null) {
            component.close();
        }
        if (prosody != null) {
            prosody.close();
        }
    }

    private PushComponent startComponent(String... extra) throws Exception {
        return ItComponent.start(dir, prosody.componentPort(), providerName, prosody.log(), extra);
    }

    private XmppUser.Registration registerAndEnable(String token) throws Exception {
        try (XmppUser alice = XmppUser.login(prosody.c2sPort(), "alice", USERS.get("alice"))) {
            XmppUser.Registration registration = alice.registerDevice(PUSH_JID, "fake", token);
            assertThat(registration.node()).as("register-device returns a node").isNotBlank();
            alice.enablePush(PUSH_JID, registration);
            return registration;
        }
    }

    private void bobWritesToAlice(String body) throws Exception {
        XmppUser.sendAs(prosody.c2sPort(), "bob", USERS.get("bob"), "alice@" + ProsodyProcess.DOMAIN, body);
    }

    @Test
    void messageToAnOfflineUserReachesTheProviderThroughProsodyAndTheComponent() throws Exception {
        component = startComponent();
        String token = "device-token-" + UUID.randomUUID();
        registerAndEnable(token);

        bobWritesToAlice("Hello Alice");

        PushRequest push = FakePushProvider.named(providerName).takeRequest(WAIT);
        assertThat(push.device().token()).as("the push goes to the device registered by alice").isEqualTo(token);
        assertThat(push.account()).as("the push names the account it is for (the user's bare JID)")
                .isEqualTo("alice@localhost");
        assertThat(push.summary().messageCount()).as("Prosody's summary form reaches the provider").isEqualTo(1);
    }

    @Test
    void registrationSurvivesARestartOfTheComponent() throws Exception {
        component = startComponent();
        String token = "device-token-" + UUID.randomUUID();
        registerAndEnable(token);
        component.close();

        component = startComponent();
        bobWritesToAlice("Are you there?");

        PushRequest push = FakePushProvider.named(providerName).takeRequest(WAIT);
        assertThat(push.device().token()).as("the embedded H2 store kept the registration across the restart")
                .isEqualTo(token);
    }

    @Test
    void prosodyAnswersTheLivenessPingSoAnIdleStreamStaysUp() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger connectionLog = (Logger) LoggerFactory.getLogger(ComponentConnection.class);
        connectionLog.addAppender(logs);
        try {
            component = startComponent("'keep-alive' = 'PT0.1S'", "'ping-timeout' = 'PT1S'");
            long idleUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < idleUntil) {
                assertThat(component.connectedCount()).as("XEP-0199: Prosody answers the ping to its domain, so the"
                        + " idle stream is never taken for a dead one").isEqualTo(1);
                Thread.sleep(50);
            }
            String token = "device-token-" + UUID.randomUUID();
            registerAndEnable(token);
            bobWritesToAlice("Still there?");
            assertThat(FakePushProvider.named(providerName).takeRequest(WAIT).device().token()).isEqualTo(token);
        } finally {
            connectionLog.detachAppender(logs);
        }
        synchronized (logs) {
            assertThat(logs.list).as("no connection was dropped or made again")
                    .noneMatch(e -> e.getFormattedMessage().contains("dropped")
                            || e.getFormattedMessage().contains("reconnecting"));
        }
    }
}
