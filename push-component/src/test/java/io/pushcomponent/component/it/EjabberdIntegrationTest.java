package io.pushcomponent.component.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.component.PushComponent;
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

/**
 * The whole flow against a real ejabberd with {@code mod_push}, the second server the component is run next to: a
 * real client registers a device at the component through the server, enables push, goes offline; a message to it
 * makes ejabberd publish, and the component delivers to the provider.
 */
@Timeout(180)
class EjabberdIntegrationTest {
    private static final String PUSH_JID = ItComponent.PUSH_JID;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Map<String, String> USERS = Map.of("alice", "alice-pw", "bob", "bob-pw");

    @TempDir
    Path dir;
    private EjabberdProcess ejabberd;
    private PushComponent component;
    private String providerName;

    @BeforeEach
    void startEjabberd() throws Exception {
        ProsodyIntegrationTest.requirePrerequisite(EjabberdProcess.libraries().isPresent(),
                "ejabberd is not installed", EjabberdProcess.installAdvice(), System.getenv("CI"));
        ejabberd = EjabberdProcess.start(Files.createDirectories(dir.resolve("ejabberd")), PUSH_JID,
                ItComponent.COMPONENT_SECRET, USERS);
        providerName = "it-" + UUID.randomUUID();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (component != null) {
            component.close();
        }
        if (ejabberd != null) {
            ejabberd.close();
        }
    }

    private PushComponent startComponent() throws Exception {
        return ItComponent.start(dir, ejabberd.componentPort(), providerName, ejabberd.log());
    }

    private void registerAndEnable(String token) throws Exception {
        try (XmppUser alice = XmppUser.login(ejabberd.c2sPort(), "alice", USERS.get("alice"))) {
            XmppUser.Registration registration = alice.registerDevice(PUSH_JID, "fake", token);
            assertThat(registration.node()).as("register-device through ejabberd returns a node").isNotBlank();
            alice.enablePush(PUSH_JID, registration);
        }
    }

    private void bobWritesToAlice(String body) throws Exception {
        XmppUser.sendAs(ejabberd.c2sPort(), "bob", USERS.get("bob"), "alice@" + ProsodyProcess.DOMAIN, body);
    }

    @Test
    void messageToAnOfflineUserReachesTheProviderThroughEjabberdAndTheComponent() throws Exception {
        component = startComponent();
        String token = "device-token-" + UUID.randomUUID();
        registerAndEnable(token);

        bobWritesToAlice("Hello Alice");

        PushRequest push = FakePushProvider.named(providerName).takeRequest(WAIT);
        assertThat(push).as("ejabberd's mod_push published, and the component delivered; see " + ejabberd.log())
                .isNotNull();
        assertThat(push.device().token()).as("the push goes to the device registered by alice").isEqualTo(token);
        assertThat(push.account()).as("the push names the account it is for (the user's bare JID)")
                .isEqualTo("alice@localhost");
        assertThat(push.summary().lastMessageBody()).as("ejabberd's summary form (its include_body text, 'New "
                + "message' by default) reaches the provider").isEqualTo("New message");
        assertThat(push.kind()).as("a summary with a body is a message push, not a background wake-up")
                .isEqualTo(PushKind.MESSAGE);
    }

    @Test
    void afterEjabberdRestartsTheComponentReconnectsAndPushesFlowAgain() throws Exception {
        component = startComponent();
        String token = "device-token-" + UUID.randomUUID();
        registerAndEnable(token);

        ejabberd.restart();
        assertThat(component.awaitConnected(WAIT)).as("ejabberd's shutdown ends the stream; the component reconnects"
                + " with back-off once it listens again; see " + ejabberd.log()).isTrue();
        bobWritesToAlice("Back again?");

        PushRequest push = FakePushProvider.named(providerName).takeRequest(WAIT);
        assertThat(push).as("ejabberd kept alice's push session in its spool and published to the new stream")
                .isNotNull();
        assertThat(push.device().token()).isEqualTo(token);
    }
}
