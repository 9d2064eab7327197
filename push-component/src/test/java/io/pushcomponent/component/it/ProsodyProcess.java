package io.pushcomponent.component.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A Prosody server for tests and the try-it client, run as a child process from a configuration generated in its
 * own directory: loopback only, free ports, no TLS, accounts in files under the directory,
 * {@code mod_cloud_notify} and {@code mod_offline} enabled, and one external component. It needs neither root nor the
 * system-wide configuration, pid or log paths ({@code run_as_root} lets it run where the tests run as root).
 *
 * <p>Not thread-safe. {@link #close()} stops it (SIGTERM, then a kill).
 */
public final class ProsodyProcess implements AutoCloseable {
    /**
     * The environment variable naming another Prosody to run than Debian's {@code /usr/bin/prosody}, e.g. a Prosody
     * 13 unpacked into a directory of its own by {@code .ci/prosody-13}.
     */
    public static final String PROSODY_VARIABLE = "PUSH_TEST_PROSODY";
    /** The Prosody executable: {@value #PROSODY_VARIABLE}, or where Debian installs it. */
    public static final Path PROSODY = Path.of(Objects.requireNonNullElse(System.getenv(PROSODY_VARIABLE),
            "/usr/bin/prosody"));
    /** prosodyctl beside it. */
    public static final Path PROSODYCTL = PROSODY.resolveSibling("prosodyctl");
    /** Prosody's own modules, as Debian lays them out: {@code <prefix>/lib/prosody/modules} beside {@code bin}. */
    public static final Path MODULES = PROSODY.toAbsolutePath().getParent().resolveSibling("lib")
            .resolve("prosody/modules");
    /** The XMPP domain of the users. */
    public static final String DOMAIN = "localhost";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** How many sets of free ports a start tries before it gives up. */
    private static final int START_ATTEMPTS = 5;

    private final Path dir;
    private final Path config;
    private final Path log;
    private final int c2sPort;
    private final int componentPort;
    private final int directTlsPort;
    private Process process;

    private ProsodyProcess(Path dir, int c2sPort, int componentPort, int directTlsPort) {
        this.dir = dir;
        this.config = dir.resolve("prosody.cfg.lua");
        this.log = dir.resolve("prosody.log");
        this.c2sPort = c2sPort;
        this.componentPort = componentPort;
        this.directTlsPort = directTlsPort;
    }

    /** {@code true} when Prosody is installed where Debian puts it (or where {@value #PROSODY_VARIABLE} says). */
    public static boolean installed() {
        return Files.isExecutable(PROSODY) && Files.isExecutable(PROSODYCTL);
    }

    /**
     * Where this Prosody finds {@code mod_cloud_notify}: Prosody 13 ships it itself as
     * {@code modules/mod_cloud_notify.lua} (Debian 13, bookworm-backports), Prosody 0.12 gets it from Debian's
     * {@code prosody-modules} as {@code modules/mod_cloud_notify/mod_cloud_notify.lua}; empty when neither is there.
     */
    public static Optional<Path> cloudNotify() {
        return Stream.of(MODULES.resolve("mod_cloud_notify.lua"),
                        MODULES.resolve("mod_cloud_notify/mod_cloud_notify.lua"))
                .filter(Files::isRegularFile).findFirst();
    }

    /** The installed Prosody's version ({@code lib/prosody/prosody.version}, e.g. {@code 0.12.3}); empty if unknown. */
    public static Optional<String> version() {
        try {
            return Optional.of(Files.readString(MODULES.resolveSibling("prosody.version")).strip())
                    .filter(v -> !v.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * What to install for the Prosody integration tests, by what is missing: Prosody itself, or for Prosody 0.12
     * and older Debian's {@code prosody-modules}; Prosody 13 and newer ship {@code mod_cloud_notify} themselves, so
     * there the advice is to reinstall {@code prosody}, never a package that does not help.
     */
    public static String installAdvice() {
        return installAdvice(installed(), version().orElse(""));
    }

    /** {@link #installAdvice()} for a Prosody that is {@code installed} or not, of {@code version} (or ""). */
    static String installAdvice(boolean installed, String version) {
        if (!installed) {
            return "install Prosody: apt-get install prosody (on Debian 12 also prosody-modules, which has"
                    + " mod_cloud_notify; Prosody 13 ships it itself)";
        }
        if (shipsCloudNotify(version)) {
            return "Prosody " + version + " ships mod_cloud_notify itself, but " + MODULES.resolve("mod_cloud_notify.lua")
                    + " is missing: reinstall it (apt-get install --reinstall prosody)";
        }
        return "Prosody " + (version.isEmpty() ? "" : version + " ") + "needs mod_cloud_notify from the community"
                + " modules: apt-get install prosody-modules";
    }

    /** Prosody 13 and later have {@code mod_cloud_notify} among their own modules. */
    static boolean shipsCloudNotify(String version) {
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot)) >= 13;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Writes the configuration, creates the users and starts Prosody; returns once it listens for clients and components.
     *
     * @param dir             a fresh directory for configuration, data and log
     * @param componentJid    the external component's domain
     * @param componentSecret its secret
     * @param users           user name to password, on {@value #DOMAIN}
     * @param output          receives each line Prosody logs
     */
    public static ProsodyProcess start(Path dir, String componentJid, String componentSecret,
                                       Map<String, String> users, Consumer<String> output)
            throws IOException, InterruptedException {
        // Ready once both the client port and the component port listen: a component that connects before the
        // latter is refused and has to reconnect, which tests about an unbroken stream would take for a drop.
        return startOnFreePorts(dir, false, output, (p, first) -> {
            p.writeConfig(componentJid, componentSecret, "");
            if (first) {
                for (Map.Entry<String, String> user : users.entrySet()) {
                    p.prosodyctl("register", user.getKey(), DOMAIN, user.getValue());
                }
            }
        });
    }

    /**
     * Like {@link #start} without users, and with a direct-TLS port as well ({@link #directTlsPort()}):
     * {@code mod_net_multiplex} on {@code ssl_ports} with {@code certificate} and {@code key}, which hands a
     * component stream arriving over TLS to the component service.
     */
    public static ProsodyProcess startWithDirectTls(Path dir, String componentJid, String componentSecret,
                                                    Path certificate, Path key, Consumer<String> output)
            throws IOException, InterruptedException {
        return startOnFreePorts(dir, true, output, (p, first) -> p.writeConfig(componentJid, componentSecret,
                String.join("\n",
                        "ssl_interfaces = { \"127.0.0.1\" }",
                        "ssl_ports = { " + p.directTlsPort + " }",
                        "ssl = { certificate = " + lua(certificate) + ", key = " + lua(key) + " }",
                        "")));
    }

    /** What a start does before it launches Prosody: write the configuration, on the first attempt create users. */
    private interface Preparation {
        void prepare(ProsodyProcess prosody, boolean firstAttempt) throws IOException, InterruptedException;
    }

    /**
     * Prepares and launches Prosody on fresh free ports until each service has bound its own, at most
     * {@value #START_ATTEMPTS} times.
     */
    private static ProsodyProcess startOnFreePorts(Path dir, boolean directTls, Consumer<String> output,
                                                   Preparation preparation)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            int[] ports = freePorts(directTls ? 3 : 2);
            ProsodyProcess p = new ProsodyProcess(dir, ports[0], ports[1], directTls ? ports[2] : 0);
            preparation.prepare(p, attempt == 1);
            if (p.launch(output) || attempt == START_ATTEMPTS) {
                return p.started();
            }
        }
    }

    /** The direct-TLS port on 127.0.0.1 ({@link #startWithDirectTls} only). */
    public int directTlsPort() {
        return directTlsPort;
    }

    /** The client port on 127.0.0.1. */
    public int c2sPort() {
        return c2sPort;
    }

    /** The component port on 127.0.0.1. */
    public int componentPort() {
        return componentPort;
    }

    /** Prosody's log file. */
    public Path log() {
        return log;
    }

    private void writeConfig(String componentJid, String componentSecret, String directTls) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path certs = Files.createDirectories(dir.resolve("certs"));
        String lua = String.join("\n",
                "-- generated for a test; see ProsodyProcess",
                "run_as_root = true",
                "pidfile = " + lua(dir.resolve("prosody.pid")),
                "data_path = " + lua(data),
                "certificates = " + lua(certs),
                "log = { { levels = { min = \"info\" }, to = \"console\" } }",
                "interfaces = { \"127.0.0.1\" }",
                "c2s_interfaces = { \"127.0.0.1\" }",
                "c2s_ports = { " + c2sPort + " }",
                "c2s_direct_tls_ports = { }",
                "legacy_ssl_ports = { }",
                "component_interfaces = { \"127.0.0.1\" }",
                "component_ports = { " + componentPort + " }",
                "c2s_require_encryption = false",
                "allow_unencrypted_plain_auth = true",
                "authentication = \"internal_plain\"",
                "modules_enabled = { \"roster\", \"saslauth\", \"disco\", \"offline\", \"ping\", \"cloud_notify\""
                        + (directTls.isEmpty() ? "" : ", \"net_multiplex\"") + " }",
                directTls,
                "modules_disabled = { \"s2s\", \"tls\" }",
                "plugin_paths = { " + lua(MODULES) + " }",
                "VirtualHost " + lua(DOMAIN),
                "Component " + lua(componentJid),
                "    component_secret = " + lua(componentSecret),
                "");
        Files.writeString(config, lua, StandardCharsets.UTF_8);
    }

    private static String lua(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void prosodyctl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PROSODYCTL.toString(), "--config",
                config.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("prosodyctl.log").toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("prosodyctl " + args[0] + " did not finish within 30 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("prosodyctl " + args[0] + " failed with status " + p.exitValue() + ": "
                    + Files.readString(dir.resolve("prosodyctl.log")));
        }
    }

    /**
     * The services Prosody must activate, each with the port it must bind: its log line
     * {@code Activated service 'c2s' on [127.0.0.1]:5222} names the ports it did bind, {@code ... on no ports} when
     * another process took the port between {@link #freePorts} and the start.
     */
    private Map<String, Integer> services() {
        Map<String, Integer> services = new LinkedHashMap<>();
        services.put("c2s", c2sPort);
        services.put("component", componentPort);
        if (directTlsPort != 0) {
            services.put("multiplex_ssl", directTlsPort);
        }
        return services;
    }

    /**
     * Starts Prosody and waits until it has reported each of its {@link #services()}; returns whether each bound its
     * own port, after stopping Prosody if one did not.
     */
    private boolean launch(Consumer<String> output) throws IOException, InterruptedException {
        Map<String, Integer> services = services();
        Map<String, Boolean> activated = new ConcurrentHashMap<>();
        process = new ProcessBuilder(PROSODY.toString(), "--config", config.toString(), "-F")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        CountDownLatch ready = new CountDownLatch(1);
        ChildProcesses.pumpLines(process, log, "prosody-output", line -> {
            output.accept(line);
            for (Map.Entry<String, Integer> service : services.entrySet()) {
                if (line.contains("Activated service '" + service.getKey() + "' on")) {
                    activated.put(service.getKey(), line.contains("[127.0.0.1]:" + service.getValue()));
                }
            }
            if (activated.size() == services.size()) {
                ready.countDown();
            }
        }, () -> { });
        if (!ready.await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            close();
            throw new IOException("Prosody did not start listening within " + START_TIMEOUT + "; see " + log);
        }
        if (activated.containsValue(false)) {
            close();
            return false;
        }
        return true;
    }

    /** This Prosody if it listens on its own ports; otherwise why not. */
    private ProsodyProcess started() throws IOException {
        if (process.isAlive()) {
            return this;
        }
        throw new IOException("Prosody could not bind its ports " + services() + " in " + START_ATTEMPTS
                + " attempts (another process took them); see " + log);
    }

    /** {@code count} distinct free loopback ports, all held open together while they are chosen. */
    static int[] freePorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    /**
     * Starts Prosody again after {@link #close()}, on the same ports with the same configuration and data (users
     * included), and returns once it listens again.
     */
    public void restart(Consumer<String> output) throws IOException, InterruptedException {
        close();
        if (!launch(output)) {
            throw new IOException("Prosody could not bind its ports " + services() + " again (another process took"
                    + " them); see " + log);
        }
    }

    /** Stops Prosody: SIGTERM, then a kill after 10 s. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process);
    }
}
