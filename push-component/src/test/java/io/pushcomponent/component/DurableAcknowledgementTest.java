package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule: a {@code register-device} or {@code unregister-device} answered {@code completed} survives a killed process.
 * The real component ({@link Main} with a configuration file) runs in a child JVM connected to a
 * {@link FakeXmppServer}, which sends it one-step {@code register-device} commands (64 in flight, as Siskin sends
 * them) and {@code unregister-device} for some devices it registered. The child is killed with
 * {@link Process#destroyForcibly()} (SIGKILL: no shutdown hook, no clean close of the database) while it is
 * registering, and restarted on the same store; then every registration whose {@code completed} answer arrived is
 * registered again by its account and must get its node back (same node for the same provider, token and account),
 * and every acknowledged unregistration must answer {@code item-not-found}. Three kills, each after at least 1,000
 * acknowledgements, for the embedded default store (SQLite), the embedded H2 store and PostgreSQL.
 */
@Timeout(300)
class DurableAcknowledgementTest {
    private static final String JID = "push.localhost";
    private static final String SECRET = "durable-acknowledgement-secret";
    private static final int ROUNDS = 3;
    private static final int ACKNOWLEDGEMENTS_PER_ROUND = 1_000;
    private static final int IN_FLIGHT = 64;
    /** Every {@code UNREGISTER_EVERY}th command unregisters a device acknowledged earlier. */
    private static final int UNREGISTER_EVERY = 10;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern ID = Pattern.compile("\\sid=['\"]([^'\"]+)['\"]");
    private static final Pattern NODE = Pattern.compile("var=['\"]node['\"][^>]*><value>([^<]+)</value>");
    private static final String POSTGRES_URL = "PUSH_TEST_POSTGRES_URL";

    @TempDir
    Path dir;

    private final String run = Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final HexFormat hex = HexFormat.of();
    /** Acknowledged registrations still expected: account number -> [token, node]. */
    private final Map<Integer, String[]> registered = new LinkedHashMap<>();
    /** Acknowledged unregistrations: account number -> token. */
    private final Map<Integer, String> unregistered = new LinkedHashMap<>();
    private int nextAccount;

    @Test
    void everyAcknowledgedChangeSurvivesAKillOfTheEmbeddedDefaultStore() throws Exception {
        killAndRestart("");
    }

    @Test
    void everyAcknowledgedChangeSurvivesAKillOfTheEmbeddedH2Store() throws Exception {
        killAndRestart("'store' = 'h2'");
    }

    @Test
    @EnabledIfEnvironmentVariable(named = POSTGRES_URL, matches = ".+")
    void everyAcknowledgedChangeSurvivesAKillWithPostgreSql() throws Exception {
        try {
            killAndRestart("dataSource () { default () { uri = '" + System.getenv(POSTGRES_URL) + "' } }");
        } finally {
            try (Connection c = DriverManager.getConnection(System.getenv(POSTGRES_URL));
                 PreparedStatement delete = c.prepareStatement(
                         "DELETE FROM push_registration WHERE owner_jid LIKE ?")) {
                delete.setString(1, "%-" + run + "@localhost");
                delete.executeUpdate();
            } catch (SQLException e) {
                throw new AssertionError("cannot remove this run's registrations from PostgreSQL", e);
            }
        }
    }

    private void killAndRestart(String storeConfig) throws Exception {
        try (FakeXmppServer server = FakeXmppServer.start(JID, SECRET)) {
            Path config = Files.writeString(dir.resolve("push.tdsl"), String.join("\n",
                    "'component-jid' = '" + JID + "'",
                    "'remote-host' = '" + server.host() + "'",
                    "'remote-port' = " + server.port(),
                    "'secret' = '" + SECRET + "'",
                    "'data-dir' = 'data'",
                    "push () { 'log' () { } }",
                    storeConfig, ""), StandardCharsets.UTF_8);
            for (int round = 1; round <= ROUNDS + 1; round++) {
                Process component = start(config, round);
                try {
                    FakeXmppServer.Connection connection = server.awaitConnection(WAIT);
                    if (round > 1) {
                        verify(server, connection, round);
                    }
                    if (round <= ROUNDS) {
                        registerUntilKilled(server, connection, component, round);
                    }
                } finally {
                    component.destroyForcibly();
                    assertThat(component.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the child JVM ended")
                            .isTrue();
                }
            }
        }
    }

    private Process start(Path config, int round) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dpush.log.level=WARN",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("component-" + round + ".log").toFile())
                .start();
    }

    /**
     * Sends register-device (and now and then unregister-device) commands, at most {@link #IN_FLIGHT} unanswered,
     * and kills the component after a random number of acknowledgements from {@link #ACKNOWLEDGEMENTS_PER_ROUND}
     * on, with commands still in flight. Then reads every answer the component wrote before it died.
     */
    private void registerUntilKilled(FakeXmppServer server, FakeXmppServer.Connection connection, Process component,
                                     int round) {
        int killAfter = ACKNOWLEDGEMENTS_PER_ROUND + ThreadLocalRandom.current().nextInt(500);
        Map<String, Sent> inFlight = new HashMap<>();
        List<Integer> unregisterable = new ArrayList<>(registered.keySet());
        int acknowledged = 0;
        int sent = 0;
        while (acknowledged < killAfter) {
            while (inFlight.size() < IN_FLIGHT) {
                String id = "r" + round + "-" + sent++;
                Sent command;
                if (sent % UNREGISTER_EVERY == 0 && !unregisterable.isEmpty()) {
                    int account = unregisterable.remove(unregisterable.size() - 1);
                    command = new Sent(account, registered.remove(account)[0], false);
                } else {
                    command = new Sent(nextAccount++, hex.formatHex(randomBytes()), true);
                }
                inFlight.put(id, command);
                connection.send(command(id, command));
            }
            String answer = server.takeStanza(WAIT);
            acknowledge(inFlight.remove(id(answer)), answer, unregisterable);
            acknowledged++;
        }
        component.destroyForcibly();
        long deadline = System.nanoTime() + WAIT.toNanos();
        String answer;
        while ((answer = server.pollStanza(Duration.ofMillis(100))) != null || connection.isOpen()) {
            assertThat(System.nanoTime()).as("the connection closes after the kill").isLessThan(deadline);
            if (answer != null) {
                acknowledge(inFlight.remove(id(answer)), answer, unregisterable);
            }
        }
    }

    /** Records the change a completed answer acknowledged. */
    private void acknowledge(Sent command, String answer, List<Integer> unregisterable) {
        assertThat(command).as("an answer to a command in flight: %s", answer).isNotNull();
        assertThat(answer).as("the command is answered, not refused: %s", answer).contains("type='result'")
                .contains("status='completed'");
        if (command.register()) {
            Matcher node = NODE.matcher(answer);
            assertThat(node.find()).as("the completed register-device names the node: %s", answer).isTrue();
            registered.put(command.account(), new String[] {command.token(), node.group(1)});
            unregisterable.add(command.account());
        } else {
            unregistered.put(command.account(), command.token());
        }
    }

    /**
     * After a restart, registers every acknowledged device again (the same account, provider and token get their
     * stored node back; a lost one would get a new node) and unregisters every acknowledged unregistration again
     * (a lost one would still be found).
     */
    private void verify(FakeXmppServer server, FakeXmppServer.Connection connection, int round) {
        Map<String, Integer> expectations = new HashMap<>();
        List<String> commands = new ArrayList<>();
        int n = 0;
        for (Map.Entry<Integer, String[]> e : registered.entrySet()) {
            String id = "v" + round + "-" + n++;
            expectations.put(id, e.getKey());
            commands.add(command(id, new Sent(e.getKey(), e.getValue()[0], true)));
        }
        for (Map.Entry<Integer, String> e : unregistered.entrySet()) {
            String id = "v" + round + "-" + n++;
            expectations.put(id, -e.getKey() - 1);
            commands.add(command(id, new Sent(e.getKey(), e.getValue(), false)));
        }
        int lost = 0;
        int answered = 0;
        List<String> examples = new ArrayList<>();
        for (int next = 0; answered < commands.size(); answered++) {
            while (next < commands.size() && next - answered < IN_FLIGHT) {
                connection.send(commands.get(next++));
            }
            String answer = server.takeStanza(WAIT);
            int expectation = expectations.get(id(answer));
            boolean kept;
            if (expectation >= 0) {
                Matcher node = NODE.matcher(answer);
                kept = node.find() && node.group(1).equals(registered.get(expectation)[1]);
            } else {
                kept = answer.contains("type='error'") && answer.contains("item-not-found");
            }
            if (!kept) {
                lost++;
                if (examples.size() < 3) {
                    examples.add(answer);
                }
            }
        }
        assertThat(lost).as("acknowledged changes lost after the kill before round %d: %d of %d registrations and"
                + " %d unregistrations (e.g. %s)", round, lost, registered.size(), unregistered.size(), examples)
                .isZero();
    }

    private String command(String id, Sent command) {
        return "<iq type='set' id='" + id + "' from='" + account(command.account()) + "/phone' to='" + JID + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='"
                + (command.register() ? "register-device" : "unregister-device") + "' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='provider'><value>log</value></field>"
                + "<field var='device-token'><value>" + command.token() + "</value></field></x></command></iq>";
    }

    /** One account per device, so that no per-account limit is involved. */
    private String account(int number) {
        return "u" + number + "-" + run + "@localhost";
    }

    private static String id(String answer) {
        Matcher id = ID.matcher(answer);
        assertThat(id.find()).as("an answer with an id: %s", answer).isTrue();
        return id.group(1);
    }

    private static byte[] randomBytes() {
        byte[] token = new byte[32];
        ThreadLocalRandom.current().nextBytes(token);
        return token;
    }

    private record Sent(int account, String token, boolean register) {
    }
}
