package io.pushcomponent.component.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The README's try-it path ({@code ./try-it.sh}): starts a local Prosody with {@code mod_cloud_notify} from a
 * generated configuration in a temporary directory, runs the component jar with the {@code log} provider, registers a
 * device and enables push as a real client would, sends a message to the offline user, shows the {@code log}
 * provider printing the notification, and cleans up.
 *
 * <p>Usage: {@code TryIt path/to/push-component.jar}. Exit status 0 when the notification arrived.
 */
public final class TryIt {
    private static final String PUSH_JID = "push.localhost";
    private static final long WAIT_SECONDS = 30;
    /** Smack logs through java.util.logging; its warnings about closing connections are noise here. */
    private static final java.util.logging.Logger SMACK_LOG = java.util.logging.Logger.getLogger("org.jivesoftware");

    private TryIt() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: TryIt path/to/push-component.jar");
            System.exit(2);
        }
        SMACK_LOG.setLevel(java.util.logging.Level.OFF);
        Path dir = Files.createTempDirectory("push-try-it-");
        int status;
        try {
            status = run(Path.of(args[0]).toAbsolutePath(), dir);
        } finally {
            deleteTree(dir);
        }
        System.exit(status);
    }

    private static int run(Path jar, Path dir) throws Exception {
        String secret = "try-it-" + Long.toHexString(System.nanoTime());
        Map<String, String> users = Map.of("alice", "alice-pw", "bob", "bob-pw");
        say("starting Prosody (own configuration in " + dir + ", loopback ports)");
        try (ProsodyProcess prosody = ProsodyProcess.start(Files.createDirectories(dir.resolve("prosody")), PUSH_JID,
                secret, users, line -> {
                    if (line.contains("\terror\t") || line.contains("\twarn\t")) {
                        System.out.println("  prosody   | " + line);
                    }
                })) {
            say("Prosody listens for clients on 127.0.0.1:" + prosody.c2sPort() + " and for components on 127.0.0.1:"
                    + prosody.componentPort());
            Path config = Files.writeString(dir.resolve("push.tdsl"), String.join("\n",
                    "'component-jid' = '" + PUSH_JID + "'",
                    "'remote-host' = '127.0.0.1'",
                    "'remote-port' = " + prosody.componentPort(),
                    "'secret' = env('PUSH_COMPONENT_SECRET')",
                    "'data-dir' = 'data'",
                    "push () {",
                    "    'log' () { }",
                    "}",
                    ""), StandardCharsets.UTF_8);
            say("starting the component: java -jar " + jar + " --config " + config);
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString(), "--config", config.toString()).redirectErrorStream(true);
            pb.environment().put("PUSH_COMPONENT_SECRET", secret);
            Process component = pb.start();
            CountDownLatch connected = new CountDownLatch(1);
            CountDownLatch pushed = new CountDownLatch(1);
            Thread pump = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(component.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        System.out.println("  component | " + line);
                        if (line.contains(": connected to ")) {
                            connected.countDown();
                        }
                        if (line.contains("LogPushProvider") && line.contains("push #")) {
                            pushed.countDown();
                        }
                    }
                } catch (IOException e) {
                    // the component has exited; its output is complete
                }
            }, "component-output");
            pump.start();
            try {
                if (!connected.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    say("FAILED: the component did not connect to Prosody within " + WAIT_SECONDS + " s");
                    return 1;
                }
                XmppUser.Registration registration;
                try (XmppUser alice = XmppUser.login(prosody.c2sPort(), "alice", users.get("alice"))) {
                    registration = alice.registerDevice(PUSH_JID, "log", "try-it-device-token-0123456789abcdef");
                    say("alice@localhost ran register-device at " + PUSH_JID + ": got node " + registration.node());
                    alice.enablePush(PUSH_JID, registration);
                    say("alice@localhost enabled push (XEP-0357) at her server, and now goes offline");
                }
                try (XmppUser bob = XmppUser.login(prosody.c2sPort(), "bob", users.get("bob"))) {
                    bob.sendMessage("alice@localhost", "Hi Alice, this is Bob");
                    say("bob@localhost sent alice a message; Prosody's mod_cloud_notify publishes to the component");
                }
                if (!pushed.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    say("FAILED: no notification within " + WAIT_SECONDS + " s; Prosody's log: " + prosody.log());
                    return 1;
                }
                say("SUCCESS: the log provider printed the notification (above, 'push #1')");
                return 0;
            } finally {
                // SIGTERM through the handle: Process.destroy() would also close the pipe and lose the last lines
                component.toHandle().destroy();
                if (!component.waitFor(20, TimeUnit.SECONDS)) {
                    component.destroyForcibly();
                }
                pump.join(5000);
                say("stopped the component and Prosody; removed " + dir);
            }
        }
    }

    private static void say(String text) {
        System.out.println("try-it: " + text);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
