package io.pushcomponent.component.it;

import static io.pushcomponent.component.it.ProsodyIntegrationTest.requirePrerequisite;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.component.PushComponent;
import io.pushcomponent.testkit.FakePushProvider;
import io.pushcomponent.testkit.FakePushProvider.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Push is not arriving", answered over a real Prosody: the device owner runs the component's
 * {@code push-diagnostics} ad-hoc command from their own client, through Prosody, and sees the last success of their
 * registration and, after the provider rejected a push, the last failure with the provider's reason and the XMPP
 * condition Prosody was answered with; the diagnostics survive a restart of the component.
 */
@Timeout(180)
class ProsodyDiagnosticsTest {
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

    @AfterEach
    void stopEverything() throws Exception {
        if (component != null) {
            component.close();
        }
        if (prosody != null) {
            prosody.close();
        }
    }

    private PushComponent startComponent() throws Exception {
        return ItComponent.start(dir, prosody.componentPort(), providerName, prosody.log());
    }

    private void bobWritesToAlice(String body) throws Exception {
        XmppUser.sendAs(prosody.c2sPort(), "bob", USERS.get("bob"), "alice@" + ProsodyProcess.DOMAIN, body);
    }

    /**
     * Alice's registrations as {@code push-diagnostics} shows them to her, asked again (one round trip through
     * Prosody each, no pause) until {@code expected} holds or {@link #WAIT} has passed: the component records a
     * delivery's outcome just after the provider answers.
     */
    private List<Map<String, String>> aliceDiagnostics(Predicate<List<Map<String, String>>> expected)
            throws Exception {
        try (XmppUser alice = XmppUser.login(prosody.c2sPort(), "alice", USERS.get("alice"))) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<Map<String, String>> rows = alice.executeForItems(PUSH_JID, "push-diagnostics");
            while (!expected.test(rows) && System.nanoTime() < deadline) {
                rows = alice.executeForItems(PUSH_JID, "push-diagnostics");
            }
            return rows;
        }
    }

    @Test
    void theOwnersDiagnosticsCommandShowsTheLastSuccessAndAfterARejectionTheLastFailure() throws Exception {
        component = startComponent();
        Instant start = Instant.now();
        String token = "device-token-" + UUID.randomUUID();
        XmppUser.Registration registration;
        try (XmppUser alice = XmppUser.login(prosody.c2sPort(), "alice", USERS.get("alice"))) {
            registration = alice.registerDevice(PUSH_JID, "fake", token);
            alice.enablePush(PUSH_JID, registration);
        }
        FakePushProvider provider = FakePushProvider.named(providerName);

        bobWritesToAlice("Hello Alice");
        assertThat(provider.takeRequest(WAIT).device().token()).isEqualTo(token);

        Map<String, String> afterSuccess = aliceDiagnostics(rows -> rows.size() == 1
                && "1".equals(rows.get(0).get("successes"))).get(0);
        assertThat(afterSuccess).as("alice's one registration, delivered once, never failed")
                .containsEntry("node", registration.node()).containsEntry("provider", "fake")
                .containsEntry("successes", "1").containsEntry("failures", "0")
                .containsEntry("last-failure", "").containsEntry("failure-reason", "");
        assertThat(afterSuccess.get("token")).as("the token only shortened").doesNotContain(token);
        Instant lastSuccess = Instant.parse(afterSuccess.get("last-success"));
        assertThat(lastSuccess).isAfterOrEqualTo(start);

        provider.enqueue(Outcome.rejected(RejectionReason.PAYLOAD_TOO_LARGE));
        bobWritesToAlice("A message the provider refuses");
        assertThat(provider.takeRequest(WAIT).device().token()).isEqualTo(token);

        Map<String, String> afterFailure = aliceDiagnostics(rows -> rows.size() == 1
                && "1".equals(rows.get(0).get("failures"))).get(0);
        assertThat(afterFailure).as("the provider's rejection and what Prosody was answered")
                .containsEntry("successes", "1").containsEntry("failures", "1")
                .containsEntry("failure-reason", "PAYLOAD_TOO_LARGE")
                .containsEntry("failure-condition", "wait/not-acceptable")
                .containsEntry("last-success", afterSuccess.get("last-success"));
        assertThat(Instant.parse(afterFailure.get("last-failure"))).isAfterOrEqualTo(lastSuccess);

        component.close();
        component = startComponent();
        assertThat(aliceDiagnostics(rows -> true)).as("written to the store at shutdown, read after the restart")
                .containsExactly(afterFailure);
    }
}
