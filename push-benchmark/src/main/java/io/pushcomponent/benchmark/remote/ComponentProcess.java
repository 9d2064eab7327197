package io.pushcomponent.benchmark.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The component in a JVM of its own, started the way an operator starts it: the shipped launcher
 * {@code packaging/bin/push-component} (its default JVM flags, plus {@code JAVA_OPTS}) running
 * {@code push-component/target/push-component.jar} with a configuration file; or, for the floor the component is
 * measured against, a class of the suite's own ({@link #startJava}).
 *
 * <p>The launcher runs under a small {@code sh} guard that stops the component when this process's pipe to it
 * closes: when the suite ends, fails or is killed, the component gets SIGTERM, then SIGKILL 15 s later. {@link #close()}
 * does the same at once and waits; a shutdown hook closes whatever is still running.
 *
 * <p>Thread-safe.
 */
final class ComponentProcess implements AutoCloseable {
    /** Runs "$@" in the background, waits for stdin to close, then stops it: TERM, and KILL after 15 s. */
    private static final String GUARD = "\"$@\" </dev/null & c=$!\n"
            + "read _ || true\n"
            + "kill $c 2>/dev/null\n"
            + "i=0; while kill -0 $c 2>/dev/null && [ $i -lt 15 ]; do sleep 1; i=$((i+1)); done\n"
            + "kill -9 $c 2>/dev/null\n"
            + "wait $c 2>/dev/null\n";
    /** USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux the suite runs on. */
    private static final long TICK_NANOS = 10_000_000;
    private static final Set<ComponentProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ComponentProcess::close),
                "component-process-reaper"));
    }

    private final Process guard;
    private final ProcessHandle component;
    private final Thread output;
    private final List<String> lastLines = new ArrayList<>();

    private ComponentProcess(Process guard, ProcessHandle component) {
        this.guard = guard;
        this.component = component;
        this.output = new Thread(this::forwardOutput, "component-output");
        output.setDaemon(true);
        output.start();
    }

    /**
     * Starts the launcher with {@code --config config}.
     *
     * @param launcher  {@code packaging/bin/push-component}
     * @param jar       {@code push-component/target/push-component.jar}
     * @param javaOpts  further JVM flags ({@code JAVA_OPTS}), after the launcher's defaults
     * @throws IOException when the process does not start
     */
    static ComponentProcess start(Path launcher, Path jar, Path config, List<String> javaOpts) throws IOException {
        return start(List.of("sh", launcher.toAbsolutePath().toString(), "--config",
                config.toAbsolutePath().toString()), Map.of("PUSH_COMPONENT_JAR", jar.toAbsolutePath().toString(),
                "JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", String.join(" ", javaOpts)));
    }

    /**
     * Starts {@code mainClass} of this suite's own class path in a JVM of its own (this JVM's {@code java}) with
     * {@code javaOpts} and {@code args}, and {@code environment} added to this process's.
     *
     * @throws IOException when the process does not start
     */
    static ComponentProcess startJava(Class<?> mainClass, List<String> javaOpts, List<String> args,
                                      Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(javaOpts);
        command.addAll(List.of("-cp", codeSource(mainClass), mainClass.getName()));
        command.addAll(args);
        return start(command, environment);
    }

    private static ComponentProcess start(List<String> command, Map<String, String> environment)
            throws IOException {
        List<String> guarded = new ArrayList<>(List.of("sh", "-c", GUARD, "guard"));
        guarded.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(guarded).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process guard = builder.start();
        ProcessHandle component = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (component == null && System.nanoTime() < deadline && guard.isAlive()) {
            component = guard.toHandle().children().findFirst().orElse(null);
            if (component == null) {
                sleep(10);
            }
        }
        if (component == null) {
            guard.destroyForcibly();
            throw new IOException("no JVM started within 10 s (guard alive: " + guard.isAlive()
                    + ")");
        }
        ComponentProcess process = new ComponentProcess(guard, component);
        RUNNING.add(process);
        return process;
    }

    /** The jar or class directory {@code type} was loaded from. */
    private static String codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no path for the code source of " + type, e);
        }
    }

    /** The component JVM's process id. */
    long pid() {
        return component.pid();
    }

    /** Whether the component JVM is still running. */
    boolean isAlive() {
        return component.isAlive();
    }

    /**
     * Values of {@code /proc/<pid>/status} in their units (kB for memory), from one read of the file: element
     * {@code i} is {@code keys[i]}'s, or -1 when absent or unreadable.
     */
    long[] status(String... keys) {
        long[] values = new long[keys.length];
        Arrays.fill(values, -1);
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                for (int i = 0; i < keys.length; i++) {
                    if (line.startsWith(keys[i] + ":")) {
                        values[i] = Long.parseLong(line.substring(keys[i].length() + 1).trim().split("\\s+")[0]);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            Arrays.fill(values, -1);
        }
        return values;
    }

    /**
     * CPU time the component JVM has used so far (user + system, from {@code /proc/<pid>/stat}, in clock ticks of
     * 10 ms), in nanoseconds; -1 when unreadable.
     */
    long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NANOS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The last lines the component wrote (at most 20), for a failure message. */
    synchronized List<String> lastLines() {
        return List.copyOf(lastLines);
    }

    private void forwardOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(guard.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.startsWith("\t") && !line.startsWith("Caused by:")) {
                    // one line per event; stack traces stay in lastLines()
                    System.err.println("[component " + component.pid() + "] " + line);
                }
                synchronized (this) {
                    if (lastLines.size() == 20) {
                        lastLines.remove(0);
                    }
                    lastLines.add(line);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Stops the component (SIGTERM, SIGKILL after 15 s) and waits for it, at most 20 s. */
    @Override
    public void close() {
        RUNNING.remove(this);
        try {
            guard.getOutputStream().close();
        } catch (IOException ignored) {
            // the guard is gone already
        }
        try {
            if (!guard.waitFor(20, TimeUnit.SECONDS)) {
                component.destroyForcibly();
                guard.destroyForcibly();
            }
        } catch (InterruptedException e) {
            component.destroyForcibly();
            guard.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        component.destroyForcibly();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "component pid %d (%s)", component.pid(),
                component.isAlive() ? "running" : "ended");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
