package io.pushcomponent.benchmark.remote;

import io.pushcomponent.benchmark.Fixtures;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One component under test: a {@link ComponentListener} playing the XMPP server, the component started in its own
 * JVM through the shipped launcher ({@link ComponentProcess}) with a configuration file pointing at that listener,
 * and a {@link RemoteLoad} over its connections. Closing stops the component and the listener.
 *
 * <p>Not thread-safe.
 */
final class ComponentRig implements AutoCloseable {
    static final String SECRET = "bench-component-secret";
    /** Raised so the log provider's one line per push costs nothing; warnings and errors still show. */
    static final String LOG_LEVEL = "-Dpush.log.level=WARN";
    /** Further JVM flags for the component (a flight recording, say), split on white space. */
    static final String EXTRA_OPTS_VARIABLE = "PUSH_BENCHMARK_COMPONENT_OPTS";
    /** Further lines for the component's configuration file (a setting's effect, say), appended as they are. */
    static final String EXTRA_CONFIG_VARIABLE = "PUSH_BENCHMARK_COMPONENT_CONFIG";
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(60);

    private final ComponentListener listener;
    private final ComponentProcess process;
    private final RemoteLoad load;

    /**
     * What the component's configuration file says beyond the connection.
     *
     * @param connections    XEP-0114 connections it opens
     * @param dataDirectory  its embedded store's directory, or {@code null} when {@code jdbcUrl} is set
     * @param jdbcUrl        a JDBC URL for its store, or {@code null} for the embedded one
     * @param providerBeans  the lines inside {@code push () { ... }}
     * @param extraLines     further lines of the file (an {@code http} bean, say)
     */
    record Config(int connections, Path dataDirectory, String jdbcUrl, List<String> providerBeans,
                  List<String> extraLines) {
        Config {
            Objects.requireNonNull(providerBeans, "providerBeans");
            extraLines = List.copyOf(extraLines);
            if ((dataDirectory == null) == (jdbcUrl == null)) {
                throw new IllegalArgumentException("exactly one of dataDirectory and jdbcUrl");
            }
        }

        /** No further lines. */
        Config(int connections, Path dataDirectory, String jdbcUrl, List<String> providerBeans) {
            this(connections, dataDirectory, jdbcUrl, providerBeans, List.of());
        }

        /** The {@code log} provider (one log line per push, below the WARN level the rig sets: free). */
        static List<String> logProvider() {
            return List.of("'log' () { }");
        }

        String render(String host, int port) {
            List<String> lines = new ArrayList<>(List.of(
                    "'component-jid' = '" + Fixtures.COMPONENT_JID + "'",
                    "'remote-host' = '" + host + "'",
                    "'remote-port' = " + port,
                    "'secret' = '" + SECRET + "'",
                    "'connections' = " + connections));
            if (dataDirectory != null) {
                lines.add("'data-dir' = '" + dataDirectory.toAbsolutePath().toString().replace("\\", "/") + "'");
            } else {
                lines.add("dataSource () { default () { uri = '" + jdbcUrl.replace("'", "\\'") + "' } }");
            }
            lines.add("push () {");
            providerBeans.forEach(b -> lines.add("    " + b));
            lines.add("}");
            lines.addAll(extraLines);
            String more = System.getenv(EXTRA_CONFIG_VARIABLE);
            if (more != null && !more.isBlank()) {
                lines.add(more);
            }
            return String.join("\n", lines) + "\n";
        }
    }

    private ComponentRig(ComponentListener listener, ComponentProcess process, RemoteLoad load) {
        this.listener = listener;
        this.process = process;
        this.load = load;
    }

    /**
     * Starts the listener, writes the configuration to {@code directory}, starts the component and waits for its
     * connections.
     *
     * @param nodes which node each publish goes to
     */
    static ComponentRig start(Config config, Path directory, RemoteLoad.Nodes nodes) throws IOException {
        return start(config.connections(), nodes, (host, port) -> {
            Path file = Files.writeString(directory.resolve("push.tdsl"), config.render(host, port),
                    StandardCharsets.UTF_8);
            return ComponentProcess.start(launcher(), componentJar(), file, javaOpts());
        });
    }

    /**
     * Starts the listener and {@link BareComponent}, the floor, in a JVM of its own (a 64 MB heap; the serial
     * collector, the launcher's choice), and waits for its connection.
     *
     * @param nodes which node each publish goes to
     */
    static ComponentRig startBare(RemoteLoad.Nodes nodes) throws IOException {
        return start(1, nodes, (host, port) -> ComponentProcess.startJava(BareComponent.class,
                List.of("-Xms64m", "-Xmx64m", "-XX:+UseSerialGC"),
                List.of(host, String.valueOf(port), Fixtures.COMPONENT_JID),
                Map.of(BareComponent.SECRET_VARIABLE, SECRET)));
    }

    /** Starts a process that connects to a listener on {@code host:port}. */
    private interface Starter {
        ComponentProcess start(String host, int port) throws IOException;
    }

    private static ComponentRig start(int connectionCount, RemoteLoad.Nodes nodes, Starter starter)
            throws IOException {
        RemoteLoad[] load = new RemoteLoad[1];
        ComponentListener listener = ComponentListener.start(Fixtures.COMPONENT_JID, SECRET,
                new ComponentListener.ReplySink() {
                    @Override
                    public void onReply(long k, String errorStanza) {
                        load[0].onReply(k, errorStanza);
                    }

                    @Override
                    public void onOther(String what) {
                        if (load[0] != null) {
                            load[0].onOther(what);
                        }
                    }
                });
        ComponentProcess process = null;
        try {
            process = starter.start(listener.host(), listener.port());
            List<ComponentListener.Connection> connections;
            try {
                connections = listener.accept(connectionCount, CONNECT_WAIT);
            } catch (IOException e) {
                throw new IOException("the component did not connect: " + e.getMessage() + "; its last lines: "
                        + process.lastLines(), e);
            }
            load[0] = new RemoteLoad(connections, nodes);
            return new ComponentRig(listener, process, load[0]);
        } catch (IOException | RuntimeException e) {
            if (process != null) {
                process.close();
            }
            listener.close();
            throw e;
        }
    }

    private static List<String> javaOpts() {
        List<String> opts = new ArrayList<>(List.of(LOG_LEVEL));
        String extra = System.getenv(EXTRA_OPTS_VARIABLE);
        if (extra != null && !extra.isBlank()) {
            opts.addAll(List.of(extra.trim().split("\\s+")));
        }
        return opts;
    }

    RemoteLoad load() {
        return load;
    }

    ComponentProcess process() {
        return process;
    }

    @Override
    public void close() {
        try {
            process.close();
        } finally {
            listener.close();
        }
    }

    /** {@code packaging/bin/push-component} of this build (system property {@code push.benchmark.launcher}). */
    static Path launcher() {
        return located("push.benchmark.launcher", Path.of("packaging", "bin", "push-component"));
    }

    /** The shaded {@code push-component.jar} (system property {@code push.benchmark.component-jar}). */
    static Path componentJar() {
        return located("push.benchmark.component-jar", Path.of("push-component", "target", "push-component.jar"));
    }

    private static Path located(String property, Path inRepository) {
        String set = System.getProperty(property);
        if (set != null) {
            return Path.of(set);
        }
        Path root = repositoryRoot();
        Path path = root.resolve(inRepository);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing: build it with `mvn -B -ntp -q package -pl "
                    + "push-benchmark -am -DskipTests` from the repository root, or set -D" + property);
        }
        return path;
    }

    /** The repository root: three levels above {@code push-benchmark/target/push-benchmark.jar} (or classes/). */
    private static Path repositoryRoot() {
        try {
            Path here = Path.of(ComponentRig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = here.toAbsolutePath().getParent().getParent().getParent();
            return root == null ? Path.of("") : root;
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("");
        }
    }
}
