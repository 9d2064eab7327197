package io.pushcomponent.component.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.component.ComponentHttp;
import io.pushcomponent.component.PushComponent;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.testkit.FakePushProvider;
import io.pushcomponent.testkit.FakePushProvider.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Observation against a real Prosody with {@code mod_cloud_notify}: after publishes Prosody makes, {@code /metrics}
 * counts them by outcome, and the provider's sends by outcome; {@code /health/ready} turns 503 when Prosody stops and
 * 200 again once the component has reconnected to the restarted Prosody.
 */
@Timeout(240)
class ProsodyObservabilityTest {
    private static final String PUSH_JID = "push.localhost";
    private static final String COMPONENT_SECRET = "it-component-secret";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Map<String, String> USERS = Map.of("alice", "alice-pw", "bob", "bob-pw");

    @TempDir
    Path dir;
    private ProsodyProcess prosody;
    private PushComponent component;
    private String providerName;

    @BeforeEach
    void startProsodyAndTheComponent() throws Exception {
        ProsodyIntegrationTest.requirePrerequisite(ProsodyProcess.installed(), "Prosody is not installed",
                ProsodyProcess.installAdvice(), System.getenv("CI"));
        ProsodyIntegrationTest.requirePrerequisite(ProsodyProcess.cloudNotify().isPresent(),
                "mod_cloud_notify is not installed", ProsodyProcess.installAdvice(), System.getenv("CI"));
        prosody = ProsodyProcess.start(Files.createDirectories(dir.resolve("prosody")), PUSH_JID, COMPONENT_SECRET,
                USERS, line -> { });
        providerName = "obs-" + UUID.randomUUID();
        Path config = dir.resolve("push.tdsl");
        Files.writeString(config, String.join("\n",
                "'component-jid' = '" + PUSH_JID + "'",
                "'remote-host' = '127.0.0.1'",
                "'remote-port' = " + prosody.componentPort(),
                "'secret' = '" + COMPONENT_SECRET + "'",
                "'data-dir' = 'data'",
                "'reconnect-max-delay' = 'PT2S'",
                "push () { 'fake' () { name = '" + providerName + "' } }",
                "http () { admin () { port = 0 } }",
                ""), StandardCharsets.UTF_8);
        ProviderRegistry registry = PushComponent.providerRegistry(PushComponent.class.getClassLoader());
        component = PushComponent.start(ComponentConfig.load(config, registry), registry);
        assertThat(component.awaitConnected(WAIT)).as("the component authenticates with Prosody; see "
                + prosody.log()).isTrue();
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

    private InetSocketAddress admin() {
        return component.http().address(ComponentHttp.Exposure.ADMIN).orElseThrow();
    }

    /** A status and a body. */
    private record Answer(int status, String body) {
    }

    private Answer get(String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + admin().getPort() + path).toURL()
                .openConnection();
        c.setConnectTimeout((int) WAIT.toMillis());
        c.setReadTimeout((int) WAIT.toMillis());
        try {
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            c.disconnect();
        }
    }

    /** Asks {@code path} until its answer satisfies {@code until} or {@link #WAIT} has passed; the last answer. */
    private Answer getUntil(String path, Predicate<Answer> until) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Answer answer = get(path);
        while (!until.test(answer) && System.nanoTime() < deadline) {
            answer = get(path);
        }
        return answer;
    }

    @Test
    void metricsCountProsodysPublishesAndTheProvidersSendsByOutcome() throws Exception {
        FakePushProvider provider = FakePushProvider.named(providerName);
        try (XmppUser alice = XmppUser.login(prosody.c2sPort(), "alice", USERS.get("alice"))) {
            XmppUser.Registration registration = alice.registerDevice(PUSH_JID, "fake", "token-" + UUID.randomUUID());
            alice.enablePush(PUSH_JID, registration);
        }
        try (XmppUser bob = XmppUser.login(prosody.c2sPort(), "bob", USERS.get("bob"))) {
            bob.sendMessage("alice@" + ProsodyProcess.DOMAIN, "first");
            assertThat(provider.takeRequest(WAIT)).as("Prosody published the first message").isNotNull();
            provider.enqueue(Outcome.rejected(RejectionReason.QUOTA_EXCEEDED));
            bob.sendMessage("alice@" + ProsodyProcess.DOMAIN, "second");
            assertThat(provider.takeRequest(WAIT)).as("Prosody published the second message").isNotNull();
        }

        String rejected = "push_publishes_total{condition=\"resource-constraint\",outcome=\"rejected\","
                + "provider=\"fake\",reason=\"quota_exceeded\"} 1.0";
        Answer metrics = getUntil("/metrics", a -> a.body().contains(rejected));
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).as("Prometheus text: publishes by outcome, condition, provider and reason")
                .contains("push_publishes_total{condition=\"none\",outcome=\"delivered\",provider=\"fake\","
                        + "reason=\"none\"} 1.0")
                .contains(rejected)
                .as("provider sends by outcome")
                .contains("push_provider_sends_total{outcome=\"delivered\",provider=\"fake\",reason=\"none\"} 1.0")
                .contains("push_provider_sends_total{outcome=\"rejected\",provider=\"fake\","
                        + "reason=\"quota_exceeded\"} 1.0")
                .as("the registration, the connection and its queue")
                .contains("push_registration_changes_total{change=\"registered\",provider=\"fake\"} 1.0")
                .contains("push_connection_up{connection=\"xmpp-1\"} 1.0")
                .contains("push_connection_in_flight{connection=\"xmpp-1\"}")
                .contains("push_publish_latency_seconds_count{outcome=\"delivered\"} 1")
                .as("no JID, node or token in any label")
                .doesNotContain("alice").doesNotContain("localhost").doesNotContain("token-");
    }

    @Test
    void readinessIs503WhileProsodyIsDownAnd200AfterTheReconnect() throws Exception {
        Answer ready = get("/health/ready");
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);

        prosody.close();
        Answer down = getUntil("/health/ready", a -> a.status() != 200);
        assertThat(down.status()).as("Prosody stopped: not ready").isEqualTo(503);
        assertThat(down.body()).contains("not ready").contains("xmpp: FAILED").contains("store: ok");
        assertThat(get("/health/live").status()).as("the process still answers").isEqualTo(200);
        assertThat(getUntil("/metrics", a -> a.body().contains("push_connection_up{connection=\"xmpp-1\"} 0.0"))
                .body()).contains("push_connection_up{connection=\"xmpp-1\"} 0.0");

        prosody.restart(line -> { });
        assertThat(component.awaitConnected(WAIT)).as("the component reconnects to the restarted Prosody").isTrue();
        Answer back = getUntil("/health/ready", a -> a.status() == 200);
        assertThat(back.status()).as(back.body()).isEqualTo(200);
        assertThat(back.body()).contains("xmpp: ok");
    }
}
