package io.pushcomponent.component.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pushcomponent.component.Main;
import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two component instances, each the real component ({@link Main}) in a JVM of its own, sharing one PostgreSQL store,
 * in the two shapes servers offer:
 *
 * <ul>
 *   <li>Prosody accepts one connection per component and answers a second one, after a correct handshake, with the
 *   stream error {@code <conflict/>} ("Component already connected"). The second instance stands by: it logs so
 *   once, keeps trying every {@code standby-retry}, and when the active instance is killed ({@code kill -9}) takes
 *   over within {@code standby-retry} plus one handshake (at most the connect timeout, 10 s), with every
 *   registration the first instance acknowledged.</li>
 *   <li>ejabberd and Tigase accept several connections for one component (played by {@link FakeXmppServer}): both
 *   instances serve at once, and an unregistration, or a re-registration that changes the registration, through one
 *   of them reaches the other's node cache within 1 s (PostgreSQL {@code LISTEN}/{@code NOTIFY}), where its
 *   60 s time to live alone would keep delivering.</li>
 * </ul>
 *
 * <p>Needs {@code PUSH_TEST_POSTGRES_URL} and, for the first, Prosody with {@code mod_cloud_notify}: skipped without
 * them, failed without them when {@code CI=true}.
 */
@Timeout(300)
class SeveralInstancesTest {
    private static final String PUSH_JID = "push.localhost";
    private static final String SECRET = "several-instances-secret";
    private static final String POSTGRES_URL = "PUSH_TEST_POSTGRES_URL";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration STANDBY_RETRY = Duration.ofMillis(500);
    /** The component's timeout of the TCP connect and of the handshake ({@code PushComponent.CONNECT_TIMEOUT}). */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CROSS_INSTANCE_BOUND = Duration.ofSeconds(1);
    private static final Pattern NODE = Pattern.compile("var=['\"]node['\"][^>]*><value>([^<]+)</value>");
    private static final Pattern SECRET_FIELD = Pattern.compile("var=['\"]secret['\"][^>]*><value>([^<]+)</value>");
    private static final Pattern ID = Pattern.compile("\\sid=['\"]([^'\"]+)['\"]");

    @TempDir
    Path dir;

    private final String run = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    private final List<Process> components = new ArrayList<>();
    private String postgresUrl;

    @BeforeEach
    void requirePostgres() {
        postgresUrl = System.getenv(POSTGRES_URL);
        boolean present = postgresUrl != null && !postgresUrl.isBlank();
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true and " + POSTGRES_URL + " is not set");
        }
        assumeTrue(present, POSTGRES_URL + " is not set");
    }

    @AfterEach
    void stopAndClean(TestInfo test) throws Exception {
        for (Process p : components) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        // The instances' and Prosody's logs outlive the temporary directory, to read after a failure.
        Path keep = Files.createDirectories(Path.of("target", "several-instances",
                test.getTestMethod().orElseThrow().getName()));
        try (Stream<Path> logs = Files.walk(dir)) {
            for (Path log : logs.filter(f -> f.toString().endsWith(".log")).toList()) {
                Files.copy(log, keep.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (postgresUrl == null || postgresUrl.isBlank()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(postgresUrl);
             PreparedStatement delete = c.prepareStatement("DELETE FROM push_registration WHERE owner_jid LIKE ?")) {
            delete.setString(1, "%-" + run + "@localhost");
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError("cannot remove this run's registrations from PostgreSQL", e);
        }
    }

    @Test
    void withProsodyTheStandbyTakesOverWhenTheActiveInstanceIsKilledAndNoRegistrationIsLost() throws Exception {
        String ci = System.getenv("CI");
        ProsodyIntegrationTest.requirePrerequisite(ProsodyProcess.installed(), "Prosody is not installed",
                ProsodyProcess.installAdvice(), ci);
        ProsodyIntegrationTest.requirePrerequisite(ProsodyProcess.cloudNotify().isPresent(),
                "mod_cloud_notify is not installed", ProsodyProcess.installAdvice(), ci);
        Map<String, String> users = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            users.put("owner" + i + "-" + run, "pw-" + i);
        }
        String alice = "alice-" + run;
        String bob = "bob-" + run;
        users.put(alice, "pw-alice");
        users.put(bob, "pw-bob");
        try (ProsodyProcess prosody = ProsodyProcess.start(Files.createDirectories(dir.resolve("prosody")), PUSH_JID,
                SECRET, users, line -> { })) {
            Path config = config("'remote-host' = '127.0.0.1'", "'remote-port' = " + prosody.componentPort());
            Path logA = dir.resolve("component-a.log");
            Path logB = dir.resolve("component-b.log");
            Process active = start(config, logA);
            awaitLine(logA, "connected to 127.0.0.1:" + prosody.componentPort());
            start(config, logB);
            awaitLine(logB, "standby:");
            // Three refused attempts at least, to show the standby is logged once and not per attempt.
            awaitCount(prosody.log(), "Second component attempted to connect", 3);
            String standbyLog = Files.readString(logB);
            assertThat(count(standbyLog, "standby:")).as("the standby is logged once: %s", standbyLog).isEqualTo(1);
            assertThat(standbyLog).as("Prosody's answer to a second connection, as the standby logged it")
                    .contains("<conflict/>").contains("Component already connected")
                    .doesNotContain("ERROR").doesNotContain("reconnecting");

            // Registrations acknowledged by the active instance, through Prosody; alice also enables push.
            Map<String, String> nodes = new LinkedHashMap<>();
            List<String> owners = new ArrayList<>(users.keySet()).subList(0, 3);
            for (String owner : owners) {
                try (XmppUser user = XmppUser.login(prosody.c2sPort(), owner, users.get(owner))) {
                    for (int d = 0; d < 5; d++) {
                        String token = "token-" + owner + "-" + d;
                        nodes.put(owner + " " + token, user.registerDevice(PUSH_JID, "log", token).node());
                    }
                }
            }
            try (XmppUser user = XmppUser.login(prosody.c2sPort(), alice, users.get(alice))) {
                user.enablePush(PUSH_JID, user.registerDevice(PUSH_JID, "log", "token-" + alice));
            }

            try (XmppUser probe = XmppUser.login(prosody.c2sPort(), bob, users.get(bob))) {
                long killed = System.nanoTime();
                active.destroyForcibly();
                assertThat(active.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                // Nothing is sent until the standby says it took over: a request Prosody bounces while no component
                // is connected (wait/remote-server-timeout with Prosody's <not-connected/>) left this Smack client
                // without an answer and its connection closed, which would end the test rather than measure.
                awaitLine(logB, "took over as the active connection");
                probe.registerDevice(PUSH_JID, "log", "token-" + bob);
                long served = System.nanoTime();
                Duration takeover = Duration.ofNanos(served - killed);
                System.out.printf("SeveralInstancesTest: after kill -9 of the active instance the standby served a"
                        + " register-device through Prosody after %d ms (standby-retry %d ms)%n", takeover.toMillis(),
                        STANDBY_RETRY.toMillis());
                assertThat(takeover).as("the standby serves within standby-retry plus one handshake (connect"
                        + " timeout)").isLessThanOrEqualTo(STANDBY_RETRY.plus(CONNECT_TIMEOUT));

                probe.sendMessage(alice + "@" + ProsodyProcess.DOMAIN, "are you there?");
                awaitLine(logB, "account=" + alice + "@" + ProsodyProcess.DOMAIN);
            }
            for (String owner : owners) {
                try (XmppUser user = XmppUser.login(prosody.c2sPort(), owner, users.get(owner))) {
                    for (int d = 0; d < 5; d++) {
                        String token = "token-" + owner + "-" + d;
                        assertThat(user.registerDevice(PUSH_JID, "log", token).node())
                                .as("the registration acknowledged before the kill is kept (same node)")
                                .isEqualTo(nodes.get(owner + " " + token));
                    }
                }
            }
        }
    }

    @Test
    void withSeveralConnectionsAnUnregistrationThroughOneInstanceEndsDeliveriesThroughTheOtherWithinASecond()
            throws Exception {
        try (FakeXmppServer server = FakeXmppServer.start(PUSH_JID, SECRET)) {
            Path config = config("'remote-host' = '" + server.host() + "'", "'remote-port' = " + server.port());
            start(config, dir.resolve("component-a.log"));
            FakeXmppServer.Connection a = server.awaitConnection(WAIT);
            start(config, dir.resolve("component-b.log"));
            FakeXmppServer.Connection b = server.awaitConnection(WAIT);
            assertThat(server.openConnections()).as("both instances are connected at once").hasSize(2);
            String owner = "juliet-" + run + "@localhost";

            String registered = ask(server, a, command("r1", owner, "register-device", "token-1"));
            String node = match(NODE, registered);
            String secret = match(SECRET_FIELD, registered);
            assertThat(ask(server, b, publish("p0", node, secret))).as("delivered by the other instance, which"
                    + " now caches the node").contains("type='result'");

            // A re-registration through A replaces the secret; B must not go on checking the old one.
            String again = ask(server, a, command("r2", owner, "register-device", "token-1"));
            assertThat(match(NODE, again)).as("the same device keeps its node").isEqualTo(node);
            String newSecret = match(SECRET_FIELD, again);
            Duration seen = until(server, b, "p1-", id -> publish(id, node, newSecret), "type='result'");
            System.out.printf("SeveralInstancesTest: a re-registration through one instance reached the other in"
                    + " %d ms%n", seen.toMillis());
            assertThat(seen).as("the other instance checks the new secret within 1 s")
                    .isLessThanOrEqualTo(CROSS_INSTANCE_BOUND);

            assertThat(ask(server, a, command("u1", owner, "unregister-device", "token-1")))
                    .contains("status='completed'");
            Duration gone = until(server, b, "p2-", id -> publish(id, node, newSecret), "item-not-found");
            System.out.printf("SeveralInstancesTest: an unregistration through one instance reached the other in"
                    + " %d ms%n", gone.toMillis());
            assertThat(gone).as("the other instance answers item-not-found within 1 s")
                    .isLessThanOrEqualTo(CROSS_INSTANCE_BOUND);
        }
    }

    private Path config(String... server) throws IOException {
        return Files.writeString(dir.resolve("push.tdsl"), String.join("\n",
                "'component-jid' = '" + PUSH_JID + "'",
                String.join("\n", server),
                "'secret' = '" + SECRET + "'",
                "'standby-retry' = '" + STANDBY_RETRY + "'",
                "'registrations-per-minute' = 0",
                "push () { 'log' () { } }",
                "dataSource () { default () { uri = '" + postgresUrl + "' } }",
                ""), StandardCharsets.UTF_8);
    }

    private Process start(Path config, Path log) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dpush.log.level=INFO", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        components.add(p);
        return p;
    }

    /**
     * Sends publishes (ids {@code prefix0}, {@code prefix1}, ...) one at a time until an answer contains
     * {@code expected}; the time from the first send to that answer.
     */
    private static Duration until(FakeXmppServer server, FakeXmppServer.Connection c, String prefix,
                                  Function<String, String> publish, String expected) {
        long start = System.nanoTime();
        for (int i = 0; ; i++) {
            String answer = ask(server, c, publish.apply(prefix + i));
            if (answer.contains(expected)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            assertThat(System.nanoTime() - start).as("waiting for %s; last answer %s", expected, answer)
                    .isLessThan(WAIT.toNanos());
        }
    }

    /** Sends a stanza on one connection and returns the answer to it. */
    private static String ask(FakeXmppServer server, FakeXmppServer.Connection c, String stanza) {
        String id = match(ID, stanza);
        c.send(stanza);
        String answer = server.takeStanza(WAIT);
        assertThat(answer).as("the answer to %s", id).isNotNull();
        assertThat(match(ID, answer)).as("one request at a time: %s", answer).isEqualTo(id);
        return answer;
    }

    private static String command(String id, String owner, String node, String token) {
        return "<iq type='set' id='" + id + "' from='" + owner + "/phone' to='" + PUSH_JID + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='" + node + "' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='provider'><value>log</value></field>"
                + "<field var='device-token'><value>" + token + "</value></field></x></command></iq>";
    }

    private static String publish(String id, String node, String secret) {
        return "<iq type='set' id='" + id + "' from='localhost' to='" + PUSH_JID + "'>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + node + "'><item>"
                + "<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE'><value>urn:xmpp:push:summary</value></field>"
                + "<field var='message-count'><value>1</value></field></x></notification></item></publish>"
                + "<publish-options><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
                + "<field var='secret'><value>" + secret + "</value></field></x></publish-options></pubsub></iq>";
    }

    private static String match(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in %s", pattern, text).isTrue();
        return m.group(1);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    private static void awaitLine(Path log, String part) throws IOException, InterruptedException {
        awaitCount(log, part, 1);
    }

    /** Waits (bounded) until a log file holds {@code part} at least {@code times} times. */
    private static void awaitCount(Path log, String part, int times) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(log) || count(Files.readString(log), part) < times) {
            assertThat(System.nanoTime()).as("%s shows '%s' %d times", log, part, times).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
