package io.pushcomponent.component.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An ejabberd server for tests, run as a child process from a configuration generated in its own directory: Debian's
 * ejabberd started with {@code erl} directly (not {@code ejabberdctl}, which runs it as the {@code ejabberd} user and
 * as a distributed Erlang node), so it needs neither root nor the system-wide configuration, spool or log paths,
 * starts no {@code epmd} and runs as whoever runs the tests. Loopback only, free ports, no TLS, accounts in its own
 * Mnesia spool, created by in-band registration (XEP-0077, open to loopback only); {@code mod_push} and
 * {@code mod_offline} enabled, and one external component ({@code ejabberd_service}).
 *
 * <p>Not thread-safe. {@link #close()} stops it (SIGTERM, which Erlang turns into an orderly stop, then a kill).
 */
public final class EjabberdProcess implements AutoCloseable {
    /** Erlang's runtime, as Debian installs it. */
    static final Path ERL = Path.of("/usr/bin/erl");
    /** Where Debian puts Erlang applications: {@code /usr/lib/<multiarch>/ejabberd-<version>/ebin}. */
    private static final Path USR_LIB = Path.of("/usr/lib");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 5;

    private final Path dir;
    private final Path erlLibs;
    private final Path log;
    private final int c2sPort;
    private final int componentPort;
    private Process process;

    private EjabberdProcess(Path dir, Path erlLibs, int c2sPort, int componentPort) {
        this.dir = dir;
        this.erlLibs = erlLibs;
        this.log = dir.resolve("ejabberd-console.log");
        this.c2sPort = c2sPort;
        this.componentPort = componentPort;
    }

    /**
     * The directory holding Debian's {@code ejabberd-<version>} application directory (what {@code ERL_LIBS}
     * names), when ejabberd and Erlang are installed.
     */
    static Optional<Path> libraries() {
        if (!Files.isExecutable(ERL) || !Files.isDirectory(USR_LIB)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> arches = Files.newDirectoryStream(USR_LIB)) {
            for (Path arch : arches) {
                if (Files.isDirectory(arch)) {
                    try (DirectoryStream<Path> apps = Files.newDirectoryStream(arch, "ejabberd-*")) {
                        for (Path app : apps) {
                            if (Files.isRegularFile(app.resolve("ebin/ejabberd.app"))) {
                                return Optional.of(arch);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** What to install for the ejabberd integration tests. */
    static String installAdvice() {
        return "install ejabberd: apt-get install --no-install-recommends ejabberd";
    }

    /**
     * Writes the configuration, starts ejabberd and returns once it accepts clients and components; then creates
     * the accounts.
     *
     * @param dir             a fresh directory for configuration, spool and log
     * @param componentJid    the external component's domain
     * @param componentSecret its secret
     * @param users           user name to password, on {@value ProsodyProcess#DOMAIN}
     */
    public static EjabberdProcess start(Path dir, String componentJid, String componentSecret,
                                        Map<String, String> users) throws Exception {
        Path libs = libraries().orElseThrow(() -> new IOException("ejabberd is not installed: " + installAdvice()));
        for (int attempt = 1; ; attempt++) {
            int[] ports = ProsodyProcess.freePorts(2);
            EjabberdProcess p = new EjabberdProcess(dir, libs, ports[0], ports[1]);
            p.writeConfig(componentJid, componentSecret);
            if (p.launch()) {
                try {
                    for (Map.Entry<String, String> user : users.entrySet()) {
                        XmppUser.createAccount(p.c2sPort, user.getKey(), user.getValue());
                    }
                } catch (Exception e) {
                    p.close(); // the caller never gets it to close
                    throw e;
                }
                return p;
            }
            if (attempt == START_ATTEMPTS) {
                throw new IOException("ejabberd could not bind its ports in " + START_ATTEMPTS
                        + " attempts (another process took them); see " + p.log);
            }
        }
    }

    /** The client port on 127.0.0.1. */
    public int c2sPort() {
        return c2sPort;
    }

    /** The component port on 127.0.0.1. */
    public int componentPort() {
        return componentPort;
    }

    /** ejabberd's console output (its log, as it ran). */
    public Path log() {
        return log;
    }

    private void writeConfig(String componentJid, String componentSecret) throws IOException {
        Files.createDirectories(dir.resolve("spool"));
        String yaml = String.join("\n",
                "# generated for a test; see EjabberdProcess",
                "hosts:",
                "  - " + yaml(ProsodyProcess.DOMAIN),
                "loglevel: info",
                "certfiles: []",
                "listen:",
                "  - port: " + c2sPort,
                "    ip: \"127.0.0.1\"",
                "    module: ejabberd_c2s",
                "    starttls: false",
                "  - port: " + componentPort,
                "    ip: \"127.0.0.1\"",
                "    module: ejabberd_service",
                "    hosts:",
                "      " + yaml(componentJid) + ":",
                "        password: " + yaml(componentSecret),
                "auth_method: internal",
                "registration_timeout: infinity",
                "auth_password_format: plain",
                "acl:",
                "  local:",
                "    user_regexp: \"\"",
                "  loopback:",
                "    ip:",
                "      - 127.0.0.0/8",
                "access_rules:",
                "  local:",
                "    allow: local",
                "  c2s:",
                "    allow: all",
                "  register:",
                "    allow: all",
                "  register_from:",
                "    allow: loopback",
                "modules:",
                "  mod_disco: {}",
                "  mod_offline: {}",
                "  mod_ping: {}",
                "  mod_push: {}",
                "  mod_register:",
                "    ip_access: register_from",
                "    access: register",
                "  mod_roster: {}",
                "");
        Files.writeString(dir.resolve("ejabberd.yml"), yaml, StandardCharsets.UTF_8);
    }

    private static String yaml(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Starts ejabberd and waits until it reports that both listeners accept connections; returns whether both bound
     * their ports, after stopping it if one did not.
     */
    private boolean launch() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(ERL.toString(), "-noinput", "-noshell",
                "-mnesia", "dir", "\"" + dir.resolve("spool") + "\"", "-s", "ejabberd")
                .directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("HOME", dir.toString()); // erl reads $HOME/.erlang; this one has none
        env.put("ERL_LIBS", erlLibs.toString());
        env.put("EJABBERD_CONFIG_PATH", dir.resolve("ejabberd.yml").toString());
        env.put("EJABBERD_LOG_PATH", dir.resolve("ejabberd.log").toString());
        process = builder.start();
        Set<String> listening = ConcurrentHashMap.newKeySet();
        CountDownLatch outcome = new CountDownLatch(1);
        boolean[] failed = {false};
        ChildProcesses.pumpLines(process, log, "ejabberd-output", line -> {
            if (line.contains("Start accepting TCP connections at 127.0.0.1:" + c2sPort)) {
                listening.add("c2s");
            } else if (line.contains("Start accepting TCP connections at 127.0.0.1:" + componentPort)) {
                listening.add("component");
            } else if (line.contains("Failed to open socket") || line.contains("eaddrinuse")) {
                failed[0] = true;
                outcome.countDown();
            }
            if (listening.size() == 2) {
                outcome.countDown();
            }
        }, outcome::countDown);
        if (!outcome.await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            close();
            throw new IOException("ejabberd did not start listening within " + START_TIMEOUT + "; see " + log);
        }
        if (listening.size() == 2 && !failed[0]) {
            return true;
        }
        close();
        if (!failed[0]) {
            throw new IOException("ejabberd exited before it listened; see " + log);
        }
        return false;
    }

    /**
     * Stops ejabberd and starts it again on the same ports with the same configuration and spool (accounts and
     * push sessions included), and returns once it listens again.
     */
    public void restart() throws IOException, InterruptedException {
        close();
        if (!launch()) {
            throw new IOException("ejabberd could not bind its ports again (another process took them); see " + log);
        }
    }

    /** Stops ejabberd: SIGTERM, then a kill after 10 s. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process);
    }
}
