package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.ComponentHttp.Exposure;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.component.config.ConfigException;
import io.pushcomponent.http.HttpListenerSettings;
import io.pushcomponent.http.HttpResponse;
import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import java.net.InetSocketAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The component's HTTP listeners from the {@code http} bean, the routes on them and the health checks. */
@Timeout(60)
class ComponentHttpTest {
    private static final String JID = "push.localhost";
    private static final String SECRET = "component-secret";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ProviderRegistry REGISTRY = PushComponent.providerRegistry(PushComponent.class.getClassLoader());

    @TempDir
    Path dir;
    private FakeXmppServer server;
    private PushComponent component;

    @AfterEach
    void stop() {
        if (component != null) {
            component.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private ComponentConfig parse(String http) throws ConfigException {
        return ComponentConfig.parse(dir.resolve("push.tdsl"), String.join("\n",
                "'component-jid' = '" + JID + "'",
                "'remote-host' = '" + (server == null ? "localhost" : server.host()) + "'",
                "'remote-port' = " + (server == null ? 5347 : server.port()),
                "'secret' = '" + SECRET + "'",
                "'data-dir' = 'data-" + UUID.randomUUID() + "'",
                "push () { 'fake' () { name = 'http-" + UUID.randomUUID() + "' } }",
                http, ""), REGISTRY, name -> "env-" + name);
    }

    /** A status and a body. */
    private record Answer(int statusCode, String body) {
    }

    private static Answer get(InetSocketAddress address, String path, String... headers) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + address.getPort() + path).toURL()
                .openConnection();
        c.setConnectTimeout((int) WAIT.toMillis());
        c.setReadTimeout((int) WAIT.toMillis());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            c.setRequestProperty(headers[i], headers[i + 1]);
        }
        try {
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            c.disconnect();
        }
    }

    @Test
    void everyListenerIsOffUnlessConfiguredAndOnLoopbackByDefault() throws Exception {
        assertThat(parse("").http()).as("no http bean: no listener").isEqualTo(ComponentConfig.Http.OFF);
        ComponentConfig.Http http = parse("http () { admin () { port = 9090 } }").http();
        assertThat(http.admin()).isEqualTo(HttpListenerSettings.loopback(9090));
        assertThat(http.adminToken()).as("no admin token unless configured").isNull();
        assertThat(http.external()).as("the public listener stays off").isNull();
        assertThat(http.metrics()).as("metrics on with the admin listener").isTrue();
        assertThat(parse("http () { admin () { port = 9090\nmetrics = false } }").http().metrics()).isFalse();

        ComponentConfig.Http both = parse(String.join("\n", "http () {",
                "admin () { port = 9090", "token = env('PUSH_ADMIN_TOKEN')", "threads = 2 }",
                "public () { port = 8080", "'bind-address' = '0.0.0.0'", "'read-timeout' = 'PT2S' }", "}")).http();
        assertThat(both.admin().threads()).isEqualTo(2);
        assertThat(both.adminToken()).isEqualTo("env-PUSH_ADMIN_TOKEN");
        assertThat(both.external().bindAddress()).isEqualTo("0.0.0.0");
        assertThat(both.external().readTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(both.toString()).as("the admin token is never shown").doesNotContain("env-PUSH_ADMIN_TOKEN");
        assertThat(parse("http () { admin (active: false) { port = 9090 } }").http().admin())
                .as("a switched-off listener is off").isNull();
    }

    @Test
    void mistakesInTheHttpBeanAreReportedWithTheirLine() {
        assertThatThrownBy(() -> parse("http () { admin () { } }")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'admin' in 'http' needs a 'port'");
        assertThatThrownBy(() -> parse("http () { admin () { port = 1\nprot = 2 } }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'prot' in 'admin'");
        assertThatThrownBy(() -> parse("http () { public () { port = 1\ntoken = 'x' } }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'token' in 'public'");
        assertThatThrownBy(() -> parse("http () { other () { port = 1 } }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'other' in 'http'");
        assertThatThrownBy(() -> parse("http () { admin () { port = 1\ntoken = '' } }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'token' in 'admin' must not be empty");
    }

    @Test
    void healthIsServedOnTheAdminListenerAndReadinessFollowsTheXmppConnection() throws Exception {
        server = FakeXmppServer.start(JID, SECRET);
        component = PushComponent.start(parse("http () { admin () { port = 0 } }"), REGISTRY);
        InetSocketAddress admin = component.http().address(Exposure.ADMIN).orElseThrow();
        assertThat(admin.getAddress().isLoopbackAddress()).isTrue();
        assertThat(component.http().address(Exposure.PUBLIC)).isEmpty();
        assertThat(get(admin, "/health/live").statusCode()).isEqualTo(200);

        assertThat(component.awaitConnected(WAIT)).isTrue();
        Answer ready = get(admin, "/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("xmpp: ok").contains("store: ok").contains("providers: ok");

        server.close();
        Answer notReady = get(admin, "/health/ready");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (notReady.statusCode() == 200 && System.nanoTime() < deadline) {
            notReady = get(admin, "/health/ready");
        }
        assertThat(notReady.statusCode()).as("the XMPP server is gone: not ready").isEqualTo(503);
        assertThat(notReady.body()).contains("xmpp: FAILED");
    }

    @Test
    void metricsAreServedInPrometheusTextUnlessSwitchedOff() throws Exception {
        component = PushComponent.start(parse("http () { admin () { port = 0 } }"), REGISTRY);
        Answer metrics = get(component.http().address(Exposure.ADMIN).orElseThrow(), "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("push_connection_up{connection=\"xmpp-1\"}")
                .contains("push_connection_in_flight{connection=\"xmpp-1\"}").contains("jvm_memory_used_bytes");
        component.close();

        component = PushComponent.start(parse("http () { admin () { port = 0\nmetrics = false } }"), REGISTRY);
        assertThat(get(component.http().address(Exposure.ADMIN).orElseThrow(), "/metrics").statusCode())
                .as("metrics = false: nothing recorded, nothing served").isEqualTo(404);
    }

    @Test
    void aConfiguredMetricsTokenIsRequiredByMetricsAndOnlyByMetrics() throws Exception {
        ComponentConfig config = parse("http () { admin () { port = 0\n'metrics-token' = env('PUSH_METRICS_TOKEN')\n"
                + "token = 'admin-token-1' } }");
        assertThat(config.http().metricsToken()).isEqualTo("env-PUSH_METRICS_TOKEN");
        assertThat(config.http().toString()).as("the metrics token is never shown")
                .doesNotContain("env-PUSH_METRICS_TOKEN");
        component = PushComponent.start(config, REGISTRY);
        InetSocketAddress admin = component.http().address(Exposure.ADMIN).orElseThrow();

        Answer without = get(admin, "/metrics");
        assertThat(without.statusCode()).as("no token: 401").isEqualTo(401);
        assertThat(without.body()).doesNotContain("push_connection_up");
        assertThat(get(admin, "/metrics", "Authorization", "Bearer admin-token-1").statusCode())
                .as("the admin token is not the metrics token").isEqualTo(401);
        assertThat(get(admin, "/metrics", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        Answer with = get(admin, "/metrics", "Authorization", "Bearer env-PUSH_METRICS_TOKEN");
        assertThat(with.statusCode()).isEqualTo(200);
        assertThat(with.body()).contains("push_connection_up{connection=\"xmpp-1\"}");
        assertThat(get(admin, "/health/live").statusCode()).as("health needs no token").isEqualTo(200);

        assertThatThrownBy(() -> parse("http () { admin () { port = 1\n'metrics-token' = '' } }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'metrics-token' in 'admin' must not be empty");
        assertThat(parse("http () { admin () { port = 0 } }").http().metricsToken())
                .as("none by default: metrics served on the (loopback) listener without a token").isNull();
    }

    @Test
    void adminRoutesNeedTheTokenAndAreNotServedWithoutOne() throws Exception {
        component = PushComponent.start(parse("http () { admin () { port = 0\ntoken = 'admin-token-1' }\n"
                + "public () { port = 0 } }"), REGISTRY);
        assertThat(component.http().mountAdmin("/ops/", request -> HttpResponse.text(200, "admin")))
                .isTrue();
        assertThat(component.http().mount(Exposure.PUBLIC, "/up/", request -> HttpResponse.text(200, "up")))
                .isTrue();
        InetSocketAddress admin = component.http().address(Exposure.ADMIN).orElseThrow();
        InetSocketAddress external = component.http().address(Exposure.PUBLIC).orElseThrow();
        assertThat(admin.getPort()).isNotEqualTo(external.getPort());
        assertThat(get(admin, "/ops/x").statusCode()).isEqualTo(401);
        assertThat(get(admin, "/ops/x", "Authorization", "Bearer env-admin-token-1").statusCode())
                .isEqualTo(401);
        assertThat(get(admin, "/ops/x", "Authorization", "Bearer admin-token-1").body()).isEqualTo("admin");
        assertThat(get(external, "/up/x").body()).isEqualTo("up");
        assertThat(get(external, "/ops/x", "Authorization", "Bearer admin-token-1").statusCode())
                .as("admin routes are not on the public listener").isEqualTo(404);
        assertThat(get(external, "/health/ready").statusCode()).as("nor is health").isEqualTo(404);
        component.close();

        component = PushComponent.start(parse("http () { admin () { port = 0 } }"), REGISTRY);
        assertThat(component.http().mountAdmin("/ops/", request -> HttpResponse.text(200, "admin")))
                .as("no token: admin routes are not mounted").isFalse();
        assertThat(get(component.http().address(Exposure.ADMIN).orElseThrow(), "/ops/x").statusCode())
                .isEqualTo(404);
        assertThat(component.http().mount(Exposure.PUBLIC, "/up/", request -> HttpResponse.text(200, "up")))
                .as("the public listener is off").isFalse();
    }
}
