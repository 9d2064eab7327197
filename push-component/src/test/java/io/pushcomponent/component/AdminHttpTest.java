package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.ComponentHttp.Exposure;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.testkit.FakePushProvider;
import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The administrators' operations on the admin HTTP listener, behind its bearer token: list an account's
 * registrations with their diagnostics, counts per provider, a test push, removal; device tokens only in request
 * bodies.
 */
@Timeout(60)
class AdminHttpTest {
    private static final String JID = "push.localhost";
    private static final String SECRET = "component-secret";
    private static final String TOKEN = "admin-token-7";
    private static final String DEVICE = "device-token-" + UUID.randomUUID();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ProviderRegistry REGISTRY = PushComponent.providerRegistry(PushComponent.class.getClassLoader());

    @TempDir
    Path dir;
    private FakeXmppServer server;
    private PushComponent component;
    private final String providerName = "admin-http-" + UUID.randomUUID();

    @AfterEach
    void stop() {
        if (component != null) {
            component.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private record Answer(int status, String body) {
    }

    private Answer call(String method, String path, String form, boolean withToken) throws IOException {
        InetSocketAddress admin = component.http().address(Exposure.ADMIN).orElseThrow();
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + admin.getPort() + path).toURL()
                .openConnection();
        c.setConnectTimeout((int) WAIT.toMillis());
        c.setReadTimeout((int) WAIT.toMillis());
        c.setRequestMethod(method);
        if (withToken) {
            c.setRequestProperty("Authorization", "Bearer " + TOKEN);
        }
        if (form != null) {
            byte[] body = form.getBytes(StandardCharsets.UTF_8);
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
        }
        try {
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            c.disconnect();
        }
    }

    private String register() throws Exception {
        FakeXmppServer.Connection connection = server.awaitConnection(WAIT);
        connection.send("<iq type='set' id='r1' from='alice@localhost/phone' to='" + JID + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='provider'><value>fake</value></field>"
                + "<field var='device-token'><value>" + DEVICE + "</value></field></x></command></iq>");
        String answer = server.takeStanza(WAIT);
        assertThat(answer).contains("type='result'").contains("var='node'");
        int start = answer.indexOf("<value>", answer.indexOf("var='node'")) + "<value>".length();
        return answer.substring(start, answer.indexOf("</value>", start));
    }

    @Test
    void theAdministratorsOperationsAreServedWithTheTokenOnly() throws Exception {
        server = FakeXmppServer.start(JID, SECRET);
        component = PushComponent.start(ComponentConfig.parse(dir.resolve("push.tdsl"), String.join("\n",
                "'component-jid' = '" + JID + "'",
                "'remote-host' = '" + server.host() + "'",
                "'remote-port' = " + server.port(),
                "'secret' = '" + SECRET + "'",
                "'data-dir' = 'data'",
                "push () { 'fake' () { name = '" + providerName + "' } }",
                "http () { admin () { port = 0", "token = '" + TOKEN + "' } }", ""), REGISTRY, name -> null),
                REGISTRY);
        assertThat(component.awaitConnected(WAIT)).isTrue();
        String node = register();

        assertThat(call("GET", "/admin/provider-counts", null, false).status()).as("no token").isEqualTo(401);
        assertThat(call("GET", "/admin/provider-counts", null, true).body()).isEqualTo("{\"fake\":1}");

        Answer pushed = call("POST", "/admin/test-push", "node=" + node, true);
        assertThat(pushed.body()).isEqualTo("{\"delivered\":true}");
        assertThat(FakePushProvider.named(providerName).takeRequest(WAIT).device().token()).isEqualTo(DEVICE);

        Answer listed = call("GET", "/admin/registrations?owner=alice%40localhost", null, true);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).startsWith("{\"owner\":\"alice@localhost\",\"registrations\":[{\"node\":\""
                + node + "\",\"provider\":\"fake\"").contains("\"successes\":1,\"failures\":0")
                .doesNotContain(DEVICE);

        assertThat(call("GET", "/admin/test-push", null, true).status()).as("a wrong method").isEqualTo(405);
        assertThat(call("POST", "/admin/registrations/remove", "node=" + node + "&owner=alice%40localhost", true)
                .status()).as("two ways at once").isEqualTo(400);
        assertThat(call("POST", "/admin/registrations/remove", "provider=fake&token=" + DEVICE, true).body())
                .isEqualTo("{\"removed\":1}");
        assertThat(call("POST", "/admin/test-push", "node=" + node, true).status()).as("gone").isEqualTo(404);
        assertThat(call("GET", "/admin/provider-counts", null, true).body()).isEqualTo("{}");
    }
}
