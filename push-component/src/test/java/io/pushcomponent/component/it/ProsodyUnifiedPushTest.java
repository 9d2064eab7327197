package io.pushcomponent.component.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.ComponentHttp;
import io.pushcomponent.component.PushComponent;
import io.pushcomponent.component.config.ComponentConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * UnifiedPush through a real Prosody: a client (playing Conversations) registers at the component through its server
 * and gets an endpoint; an HTTP POST to the endpoint on the component's public listener arrives at the client as a
 * {@code <push/>} IQ with the body in base64; once the client answers {@code item-not-found} (it forgot the
 * instance) or unregisters, posts get 410; an endpoint issued before a restart of the component works after it.
 */
@Timeout(180)
class ProsodyUnifiedPushTest {
    private static final String PUSH_JID = "push.localhost";
    private static final String COMPONENT_SECRET = "it-component-secret";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Map<String, String> USERS = Map.of("juliet", "juliet-pw");
    private static final String PUBLIC_URL = "https://push.example.net/up";
    /** Conversations' attributes: base64 of SHA-256 hashes (the 'up' protocol description's example). */
    private static final String APPLICATION = "bK3sdmrbtj3bf6XA2S12b8jJUA5TT1dhPEyeoZfVSRM=";
    private static final String INSTANCE = "EtD/1XPLmoIph7W73CZ/uyv6FAnhEAXY1GySHX17vAw=";
    private static final String OTHER_INSTANCE = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=";

    @TempDir
    Path dir;
    private ProsodyProcess prosody;
    private PushComponent component;
    private UnifiedPushClient client;

    /** An HTTP answer: status, headers (lower-case names), body. */
    private record Answer(int statusCode, Map<String, String> headers, String body) {
    }

    @BeforeEach
    void startProsody() throws Exception {
        ProsodyIntegrationTest.requirePrerequisite(ProsodyProcess.installed(), "Prosody is not installed",
                ProsodyProcess.installAdvice(), System.getenv("CI"));
        prosody = ProsodyProcess.start(Files.createDirectories(dir.resolve("prosody")), PUSH_JID, COMPONENT_SECRET,
                USERS, line -> { });
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (client != null) {
            client.close();
        }
        if (component != null) {
            component.close();
        }
        if (prosody != null) {
            prosody.close();
        }
    }

    private PushComponent startComponent() throws Exception {
        Path config = dir.resolve("push.tdsl");
        Files.writeString(config, String.join("\n",
                "'component-jid' = '" + PUSH_JID + "'",
                "'remote-host' = '127.0.0.1'",
                "'remote-port' = " + prosody.componentPort(),
                "'secret' = '" + COMPONENT_SECRET + "'",
                "'data-dir' = 'data'",
                "push () {",
                "    'log' () { }",
                "}",
                "http () {",
                "    public () { port = 0 }",
                "}",
                "'unified-push' () {",
                "    'endpoint-url' = '" + PUBLIC_URL + "'",
                "}",
                ""), StandardCharsets.UTF_8);
        ProviderRegistry registry = PushComponent.providerRegistry(PushComponent.class.getClassLoader());
        PushComponent started = PushComponent.start(ComponentConfig.load(config, registry), registry);
        assertThat(started.awaitConnected(WAIT)).as("the component authenticates with Prosody; see "
                + prosody.log()).isTrue();
        return started;
    }

    /** The endpoint as the public listener serves it: the reverse proxy's URL mapped to the loopback listener. */
    private URI local(String endpoint) {
        assertThat(endpoint).startsWith(PUBLIC_URL + "/");
        InetSocketAddress address = component.http().address(ComponentHttp.Exposure.PUBLIC).orElseThrow();
        return URI.create("http://127.0.0.1:" + address.getPort() + endpoint.substring("https://push.example.net"
                .length()));
    }

    private Answer post(String endpoint, byte[] body) throws IOException {
        return send("POST", local(endpoint), body);
    }

    private static Answer send(String method, URI uri, byte[] body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            connection.setConnectTimeout((int) WAIT.toMillis());
            connection.setReadTimeout((int) WAIT.toMillis());
            connection.setRequestMethod(method);
            if (body != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("TTL", "60");
                connection.setRequestProperty("Urgency", "high");
                connection.setFixedLengthStreamingMode(body.length);
                connection.getOutputStream().write(body);
            }
            int status = connection.getResponseCode();
            Map<String, String> headers = new java.util.HashMap<>();
            connection.getHeaderFields().forEach((name, values) -> {
                if (name != null && !values.isEmpty()) {
                    headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0));
                }
            });
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(status, headers, text);
        } finally {
            connection.disconnect();
        }
    }

    private UnifiedPushClient conversations() throws Exception {
        client = UnifiedPushClient.login(prosody.c2sPort(), "juliet", USERS.get("juliet"), "Conversations.r4nD");
        return client;
    }

    @Test
    void aPostToTheEndpointArrivesAtTheClientAsPush() throws Exception {
        component = startComponent();
        UnifiedPushClient juliet = conversations();
        UnifiedPushClient.Endpoint endpoint = juliet.register(PUSH_JID, APPLICATION, INSTANCE);
        assertThat(Instant.parse(endpoint.expiration())).as("valid for the default 7 days")
                .isBetween(Instant.now().plus(Duration.ofDays(7)).minusSeconds(120),
                        Instant.now().plus(Duration.ofDays(7)).plusSeconds(5));
        byte[] body = "{\"notification\":\"hello\"}".getBytes(StandardCharsets.UTF_8);

        Answer answer = post(endpoint.url(), body);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        assertThat(answer.headers().get("location")).as("RFC 8030: the message's URL").isNotNull();
        UnifiedPushClient.Push push = juliet.takePush(WAIT);
        assertThat(push).as("the push arrived at the client").isNotNull();
        assertThat(push.from()).as("from the push component").isEqualTo(PUSH_JID);
        assertThat(push.application()).isEqualTo(APPLICATION);
        assertThat(push.instance()).isEqualTo(INSTANCE);
        assertThat(push.body()).as("the body, exactly").isEqualTo(body);

        Answer discovery = send("GET", local(endpoint.url()), null);
        assertThat(discovery.body()).as("UnifiedPush discovery").isEqualTo("{\"unifiedpush\":{\"version\":1}}");
        assertThat(post(endpoint.url(), new byte[4097]).statusCode()).as("over 4 KB").isEqualTo(413);
    }

    @Test
    void aRevokedEndpointAnswers410() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        root.setLevel(Level.DEBUG);
        root.addAppender(logs);
        try {
            revokedEndpointsAnswer410();
        } finally {
            root.detachAppender(logs);
            root.setLevel(level);
        }
        assertThat(logs.list).as("logged at DEBUG").isNotEmpty();
        for (ILoggingEvent event : logs.list) {
            assertThat(event.getFormattedMessage()).as("no endpoint token in the logs, even at DEBUG")
                    .doesNotContain(PUBLIC_URL + "/");
        }
    }

    private void revokedEndpointsAnswer410() throws Exception {
        component = startComponent();
        UnifiedPushClient juliet = conversations();
        UnifiedPushClient.Endpoint forgotten = juliet.register(PUSH_JID, APPLICATION, INSTANCE);
        UnifiedPushClient.Endpoint unregistered = juliet.register(PUSH_JID, APPLICATION, OTHER_INSTANCE);

        juliet.forget();
        assertThat(post(forgotten.url(), new byte[] {1}).statusCode()).as("the client answered item-not-found")
                .isEqualTo(410);
        assertThat(juliet.takePush(WAIT)).as("it was asked").isNotNull();
        assertThat(post(forgotten.url(), new byte[] {2}).statusCode()).as("revoked").isEqualTo(410);

        juliet.unregister(PUSH_JID, APPLICATION, OTHER_INSTANCE);
        assertThat(post(unregistered.url(), new byte[] {3}).statusCode()).as("unregistered").isEqualTo(410);
        assertThat(juliet.takePush(Duration.ofSeconds(1))).as("nothing relayed to revoked endpoints").isNull();
    }

    @Test
    void anOfflineClientIsATemporaryFailure() throws Exception {
        component = startComponent();
        UnifiedPushClient juliet = conversations();
        UnifiedPushClient.Endpoint endpoint = juliet.register(PUSH_JID, APPLICATION, INSTANCE);
        juliet.close();
        client = null;

        Answer answer = post(endpoint.url(), new byte[] {1});

        assertThat(answer.statusCode()).as("Prosody answers for the offline resource: " + answer.body())
                .isEqualTo(503);
        assertThat(answer.headers()).containsKey("retry-after");
        assertThat(answer.body()).contains("temporary");
    }

    @Test
    void anEndpointIssuedBeforeARestartWorksAfterIt() throws Exception {
        component = startComponent();
        UnifiedPushClient juliet = conversations();
        UnifiedPushClient.Endpoint endpoint = juliet.register(PUSH_JID, APPLICATION, INSTANCE);
        component.close();

        component = startComponent();
        Answer answer = post(endpoint.url(), "after the restart".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        assertThat(new String(juliet.takePush(WAIT).body(), StandardCharsets.UTF_8)).isEqualTo("after the restart");
    }
}
