package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.component.config.ConfigException;
import io.pushcomponent.testkit.CapturedStanza;
import io.pushcomponent.testkit.FakePushProvider;
import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import io.pushcomponent.tigase.rest.RestEndpointSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tigase's REST {@code unregister-device} call served by the component when its {@code rest} bean is present. */
@Timeout(120)
class RestUnregisterComponentTest {
    private static final String JID = "push.localhost";
    private static final String SECRET = "component-secret";
    private static final String TOKEN = "token-of-alices-phone-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern NODE = Pattern.compile("var='node'[^>]*><value>([^<]+)</value>");
    private static final Pattern SECRET_FIELD = Pattern.compile("var='secret'[^>]*><value>([^<]+)</value>");
    /** Prosody 0.12 + mod_cloud_notify, account offline (the captured stanza), id, node and secret replaced. */
    private static final String PROSODY_PUBLISH = CapturedStanza.PROSODY_OFFLINE.xml()
            .replace("8c3a9a75b7b4f9d001f2aa74921d0a28dc99b3a8b8f4cf02674bb4270ff3b0a5", "ID")
            .replace("harness-node-1", "NODE").replace("harness-secret-1", "SECRET");
    private static final ProviderRegistry REGISTRY = PushComponent.providerRegistry(PushComponent.class.getClassLoader());

    @TempDir
    Path dir;
    private FakeXmppServer server;
    private PushComponent component;
    private FakeXmppServer.Connection connection;
    private final String providerName = "rest-" + UUID.randomUUID();

    @AfterEach
    void stop() {
        if (component != null) {
            component.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private ComponentConfig parse(String rest) throws ConfigException {
        return ComponentConfig.parse(dir.resolve("push.tdsl"), String.join("\n",
                "'component-jid' = '" + JID + "'",
                "'remote-host' = '" + (server == null ? "localhost" : server.host()) + "'",
                "'remote-port' = " + (server == null ? 5347 : server.port()),
                "'secret' = '" + SECRET + "'",
                "'data-dir' = 'data-" + UUID.randomUUID() + "'",
                "push () { 'fake' () { name = '" + providerName + "' } }",
                rest, ""), REGISTRY, name -> null);
    }

    @Test
    void theRestBeanIsOffUnlessPresentAndLoopbackByDefault() throws Exception {
        assertThat(parse("").rest()).as("no rest bean, no endpoint").isNull();
        assertThat(parse("rest () { port = 8080 }").rest()).as("defaults: loopback, 4096 bytes")
                .isEqualTo(new RestEndpointSettings("127.0.0.1", 8080, 4096));
        assertThat(parse("rest () {\n'bind-address' = '0.0.0.0'\nport = 0\n'max-request-bytes' = 1024\n}").rest())
                .isEqualTo(new RestEndpointSettings("0.0.0.0", 0, 1024));
        assertThat(parse("rest (active: false) { port = 8080 }").rest()).as("a switched-off bean is off").isNull();
    }

    @Test
    void aRestBeanWithoutPortOrWithUnknownKeysIsRefused() {
        assertThatThrownBy(() -> parse("rest () { }")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'rest' needs a 'port'");
        assertThatThrownBy(() -> parse("rest () {\nport = 8080\n'prot' = 1\n}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'prot' in 'rest'");
    }

    @Test
    void theSharedSecretAndTheTimeoutsAreConfiguredInTheRestBeanAndTheSecretMayComeFromTheEnvironment()
            throws Exception {
        ComponentConfig config = ComponentConfig.parse(dir.resolve("push.tdsl"), String.join("\n",
                "'component-jid' = '" + JID + "'",
                "'secret' = '" + SECRET + "'",
                "push () { 'fake' () { name = '" + providerName + "' } }",
                "rest () {", "port = 8080", "secret = env('PUSH_REST_SECRET')", "'read-timeout' = 'PT2S'",
                "'request-timeout' = 'PT4S'", "threads = 8", "}", ""), REGISTRY,
                name -> "PUSH_REST_SECRET".equals(name) ? "from-the-environment" : null);

        assertThat(config.rest()).isEqualTo(new RestEndpointSettings("127.0.0.1", 8080, 4096,
                "from-the-environment", Duration.ofSeconds(2), Duration.ofSeconds(4), 8));
        assertThat(config.rest().toString()).as("the REST secret is never shown")
                .doesNotContain("from-the-environment");
        assertThat(parse("rest () { port = 8080 }").rest().secret()).as("no secret unless configured").isNull();
        assertThatThrownBy(() -> parse("rest () {\nport = 8080\nsecret = ''\n}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'secret' in 'rest' must not be empty");
    }

    @Test
    void anotherAccountsCallRemovesNothingAndIsAnsweredLikeEveryOther() throws Exception {
        String registered = startWithRestAndRegisterAlice();
        InetSocketAddress address = component.restAddress().orElseThrow();
        assertThat(address.getAddress().isLoopbackAddress()).as("bound to loopback by default").isTrue();

        String bob = post(address, "bob@localhost");
        connection.send(publishTo(registered).replace("'ID'", "'pub-1'"));
        assertThat(server.takeStanza(WAIT)).as("Bob's call left Alice's registration in place: a publish to her"
                + " node is still delivered").contains("id='pub-1'").contains("type='result'");
        String alice = post(address, "alice@localhost");
        String again = post(address, "alice@localhost");

        assertThat(alice).as("Alice's own registration is removed").isEqualTo("{\"result\":\"success\"}");
        assertThat(List.of(bob, again)).as("another account's call and a call for a registration already gone are"
                + " answered exactly alike, so the answer never tells whether an account has a token")
                .containsOnly(alice);
    }

    @Test
    void aPublishRightAfterTheRestCallIsRefusedWithoutReachingTheProvider() throws Exception {
        String publish = publishTo(startWithRestAndRegisterAlice());
        FakePushProvider provider = FakePushProvider.named(providerName);

        connection.send(publish.replace("'ID'", "'pub-1'"));
        assertThat(server.takeStanza(WAIT)).as("a publish to a registered node is delivered and answered with a"
                + " result (it also puts the node in the app server's cache)").contains("id='pub-1'")
                .contains("type='result'");
        assertThat(provider.takeRequest(WAIT)).as("the first publish reaches the provider").isNotNull();

        assertThat(post(component.restAddress().orElseThrow(), "alice@localhost"))
                .as("Alice unregisters her device over REST").isEqualTo("{\"result\":\"success\"}");

        connection.send(publish.replace("'ID'", "'pub-2'"));
        String answer = server.takeStanza(WAIT);
        assertThat(answer).as("after the REST unregister the node is gone at once, not after the node"
                + " cache's TTL; XEP-0357: cancel/item-not-found tells the user's server to drop it")
                .contains("id='pub-2'").contains("type='error'").contains("type='cancel'")
                .contains("<item-not-found");
        assertThat(provider.requestCount()).as("the publish to the removed node never reaches the provider")
                .isEqualTo(1);
    }

    @Test
    void aRegistrationRemovedOverRestIsCountedInTheMetricsAsUnregistered() throws Exception {
        startWithRestAndRegisterAlice("http () { admin () { port = 0 } }");
        InetSocketAddress admin = component.http().address(ComponentHttp.Exposure.ADMIN).orElseThrow();
        assertThat(metrics(admin))
                .contains("push_registration_changes_total{change=\"registered\",provider=\"fake\"} 1.0")
                .doesNotContain("change=\"unregistered\"");

        post(component.restAddress().orElseThrow(), "bob@localhost");
        post(component.restAddress().orElseThrow(), "alice@localhost");

        assertThat(metrics(admin)).as("Bob's call removed nothing, Alice's one registration")
                .contains("push_registration_changes_total{change=\"unregistered\",provider=\"fake\"} 1.0");
    }

    private static String metrics(InetSocketAddress admin) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + admin.getPort() + "/metrics")
                .toURL().openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        try (InputStream in = c.getInputStream()) {
            assertThat(c.getResponseCode()).isEqualTo(200);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    /** Prosody's publish to the node in {@code registered}, with its publish secret; the id is {@code 'ID'}. */
    private static String publishTo(String registered) {
        Matcher node = NODE.matcher(registered);
        assertThat(node.find()).isTrue();
        Matcher secretField = SECRET_FIELD.matcher(registered);
        return PROSODY_PUBLISH.replace("NODE", node.group(1))
                .replace("SECRET", secretField.find() ? secretField.group(1) : "");
    }

    private static String post(InetSocketAddress address, String account) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + address.getPort()
                + "/rest/push/unregister-device/" + JID).toURL().openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(("{\"account\":\"" + account + "\",\"provider\":\"fake\",\"device-token\":\"" + TOKEN + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        try (InputStream in = c.getInputStream()) {
            assertThat(c.getResponseCode()).isEqualTo(200);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    /** Starts the component with the REST endpoint on and registers Alice's device; returns the command's answer. */
    private String startWithRestAndRegisterAlice() throws Exception {
        return startWithRestAndRegisterAlice("");
    }

    /** The same with {@code more} configuration. */
    private String startWithRestAndRegisterAlice(String more) throws Exception {
        server = FakeXmppServer.start(JID, SECRET);
        component = PushComponent.start(parse("rest () { port = 0 }\n" + more), REGISTRY);
        connection = server.awaitConnection(WAIT);
        connection.send("<iq type='set' id='reg-1' from='alice@localhost/phone' to='" + JID + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='provider'><value>fake</value></field>"
                + "<field var='device-token'><value>" + TOKEN + "</value></field></x></command></iq>");
        String registered = server.takeStanza(WAIT);
        assertThat(NODE.matcher(registered).find()).as("registered: " + registered).isTrue();
        return registered;
    }

}
