package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.component.internal.LogLevel;
import io.pushcomponent.testkit.FakePushProvider;
import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration reload (SIGHUP) applies provider and log-level changes without dropping the XMPP connection, and
 * says what it could not apply; a file with problems changes nothing; the signal no longer ends the process.
 */
@Timeout(120)
class ReloadTest {
    private static final String JID = "push.localhost";
    private static final String SECRET = "component-secret-reload";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static String config(FakeXmppServer server, String secret, String... more) {
        return String.join("\n", List.of("'component-jid' = '" + JID + "'", "'remote-host' = '" + server.host() + "'",
                "'remote-port' = " + server.port(), "'secret' = '" + secret + "'", String.join("\n", more), ""));
    }

    @Test
    void reloadRecreatesTheProvidersSetsTheLogLevelAndReportsWhatNeedsARestart() throws Exception {
        try (FakeXmppServer server = FakeXmppServer.start(JID, SECRET)) {
            Path file = dir.resolve("push.tdsl");
            Files.writeString(file, config(server, SECRET, "push () { 'fake' () { name = 'reload-before' } }"));
            ProviderRegistry registry = ProviderRegistry.discover();
            try (PushComponent component = PushComponent.start(ComponentConfig.load(file, registry), registry)) {
                assertThat(component.awaitConnected(WAIT)).isTrue();
                FakePushProvider before = FakePushProvider.named("reload-before");

                Files.writeString(file, config(server, "another-secret", "'log-level' = 'debug'",
                        "'keep-alive' = 'PT20S'", "push () { 'fake' () { name = 'reload-after' } }"));
                PushComponent.Reload reload = component.reload(ComponentConfig.load(file, registry));

                assertThat(reload.applied()).containsExactly("provider 'fake' created again from its settings",
                        "log-level DEBUG");
                assertThat(reload.notApplied()).containsExactlyInAnyOrder("'secret' changed: needs a restart",
                        "'keep-alive' changed: needs a restart");
                assertThat(String.join(" ", reload.notApplied())).doesNotContain("another-secret");
                assertThat(FakePushProvider.named("reload-after").isClosed()).as("the new provider runs").isFalse();
                assertThat(before.isClosed()).as("the replaced one finishes its pushes first").isFalse();
                assertThat(component.connectedCount()).isEqualTo(1);
                assertThat(server.streamsOpened()).as("the connection was not made again").isEqualTo(1);
            } finally {
                LogLevel.set("INFO");
            }
        }
    }

    @Test
    void addingAProviderNeedsARestartAndTheRunningOnesAreKept() throws Exception {
        try (FakeXmppServer server = FakeXmppServer.start(JID, SECRET)) {
            Path file = dir.resolve("push.tdsl");
            Files.writeString(file, config(server, SECRET, "push () { 'fake' () { name = 'kept' } }"));
            ProviderRegistry registry = ProviderRegistry.discover();
            try (PushComponent component = PushComponent.start(ComponentConfig.load(file, registry), registry)) {
                Files.writeString(file, config(server, SECRET,
                        "push () { 'fake' () { name = 'kept-2' }\n 'log' () { } }"));
                PushComponent.Reload reload = component.reload(ComponentConfig.load(file, registry));

                assertThat(reload.notApplied()).singleElement().asString()
                        .contains("adding or removing a provider needs a restart");
                assertThat(reload.applied()).containsExactly("provider 'fake' created again from its settings");
            }
        }
    }

    /** The real process: SIGHUP reloads instead of ending the JVM (its default: exit status 129). */
    @Test
    void sighupReloadsTheRunningProcessWithoutDroppingItsConnection() throws Exception {
        try (FakeXmppServer server = FakeXmppServer.start(JID, SECRET)) {
            Path file = dir.resolve("push.tdsl");
            Files.writeString(file, config(server, SECRET, "push () { 'log' () { } }"));
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Process process = launch(file, lines);
            try {
                server.awaitConnection(WAIT);
                awaitLine(lines, "connected to");

                Files.writeString(file, config(server, "changed-secret", "'log-level' = 'DEBUG'",
                        "push () { 'log' () { } }"));
                hangup(process);
                String reloaded = awaitLine(lines, "configuration reloaded");
                assertThat(reloaded).contains("log-level DEBUG").contains("'secret' changed: needs a restart")
                        .doesNotContain("changed-secret");

                Files.writeString(file, "'component-jid' = \n");
                hangup(process);
                awaitLine(lines, "nothing was applied, the component runs on as before");

                assertThat(process.isAlive()).as("SIGHUP did not end the process").isTrue();
                assertThat(server.streamsOpened()).as("the connection was never made again").isEqualTo(1);
                assertThat(server.openConnections()).hasSize(1);
            } finally {
                process.destroy();
                assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            }
            assertThat(process.exitValue()).as("SIGTERM still ends it gracefully").isEqualTo(143);
        }
    }

    /**
     * A SIGHUP while the component starts (a service manager reloading right after starting it) neither ends the
     * process (the JVM's default for SIGHUP) nor is lost: it is applied once the component runs.
     */
    @Test
    void sighupWhileStartingIsAppliedOnceStartedAndDoesNotEndTheProcess() throws Exception {
        try (FakeXmppServer server = FakeXmppServer.start(JID, SECRET)) {
            Path file = dir.resolve("push.tdsl");
            Files.writeString(file, config(server, SECRET, "push () { 'log' () { } }"));
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Process process = launch(file, lines);
            try {
                awaitLine(lines, " starting: ");
                hangup(process);
                awaitLine(lines, "configuration reloaded");
                assertThat(process.isAlive()).as("a SIGHUP during start-up did not end the process").isTrue();
                server.awaitConnection(WAIT);
                assertThat(server.streamsOpened()).as("the component connected once").isEqualTo(1);
            } finally {
                process.destroy();
                assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            }
            assertThat(process.exitValue()).as("SIGTERM still ends it gracefully").isEqualTo(143);
        }
    }

    /** Runs {@link Main} on {@code file} in its own JVM; its output lines go to {@code lines}. */
    private static Process launch(Path file, BlockingQueue<String> lines) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "--config", file.toString())
                .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("read failed: " + e);
            }
        }, "reload-test-output");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private static void hangup(Process process) throws Exception {
        Process kill = new ProcessBuilder("sh", "-c", "kill -HUP " + process.pid()).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static String awaitLine(BlockingQueue<String> lines, String text) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            seen.append(line).append('\n');
            if (line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("no line with '" + text + "' within " + WAIT + "; output:\n" + seen);
    }
}
