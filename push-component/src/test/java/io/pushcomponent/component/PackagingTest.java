package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code packaging/} folder as an operator installs it: the launcher in
 * {@code /opt/push-component/bin}, the jar in {@code ../lib}, provider jars in {@code ../plugins}; the example
 * configuration passes {@code --check-config}; the systemd unit has what the README promises and passes
 * {@code systemd-analyze verify} where systemd is installed.
 */
@Timeout(180)
class PackagingTest {
    private static final Path PACKAGING = Path.of("").toAbsolutePath().getParent().resolve("packaging");
    private static final Path UNIT = PACKAGING.resolve("systemd/push-component.service");
    /** What the runnable jar adds to the classes: its logging configuration. */
    private static final Path RUNNABLE = Path.of("src/runnable").toAbsolutePath();
    /** push-test-kit itself (not push-test-kit-xmpp and the like): its classes in the reactor, or its jar. */
    private static final Pattern TEST_KIT = Pattern.compile(".*[/\\\\]push-test-kit([/\\\\]target[/\\\\]classes[/\\\\]?"
            + "|-[0-9][^/\\\\]*\\.jar)");

    @TempDir
    Path dir;

    /** The layout of the systemd unit: {@code opt/bin/push-component}, {@code opt/lib/...jar}, {@code opt/plugins}. */
    private Path install() throws IOException {
        Path opt = dir.resolve("opt");
        Files.createDirectories(opt.resolve("bin"));
        Files.createDirectories(opt.resolve("lib"));
        Files.createDirectories(opt.resolve("plugins"));
        Path launcher = Files.copy(PACKAGING.resolve("bin/push-component"), opt.resolve("bin/push-component"));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        componentJar(opt.resolve("lib/push-component.jar"));
        return opt;
    }

    /**
     * The component without any provider beyond its own: a jar whose manifest {@code Class-Path} is this test's class
     * path without the test kits (push-test-kit holds the {@code fake} provider) and without test classes, plus the
     * logging configuration only the runnable jar has ({@code src/runnable}).
     */
    private static void componentJar(Path jar) throws IOException {
        List<String> urls = new ArrayList<>(List.of(RUNNABLE.toUri().toString()));
        for (String entry : classPath()) {
            if (!entry.contains("push-test-kit") && !entry.contains("test-classes")) {
                urls.add(Path.of(entry).toUri().toString());
            }
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out,
                manifest)) {
            // the manifest is the whole jar
        }
    }

    /** push-test-kit as a provider jar: it lists {@code FakePushProviderFactory} (id {@code fake}) as a service. */
    private static void testKitJar(Path jar) throws IOException {
        Path kit = Path.of(classPath().stream().filter(e -> TEST_KIT.matcher(e).matches()).findFirst().orElseThrow());
        if (!Files.isDirectory(kit)) {
            Files.copy(kit, jar);
            return;
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files =
                Files.walk(kit)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(kit.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }

    private static List<String> classPath() {
        return Arrays.asList(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
    }

    private record Run(int status, String output) {
    }

    private Run run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("PUSH_COMPONENT_JAR");
        builder.environment().remove("PUSH_COMPONENT_PLUGINS");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the process ends").isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private Run launch(Path opt, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(opt.resolve("bin/push-component").toString()));
        command.addAll(List.of(args));
        return run(command, env);
    }

    @Test
    void theExampleConfigurationPassesCheckConfig() throws Exception {
        Path opt = install();
        Path state = dir.resolve("state");

        Run check = launch(opt, Map.of("PUSH_COMPONENT_SECRET", "example-secret", "STATE_DIRECTORY", state.toString()),
                "--config", PACKAGING.resolve("push-component.tdsl").toString(), "--check-config");

        assertThat(check.status()).as(check.output()).isZero();
        assertThat(check.output()).contains("push-component.tdsl: OK").contains("probe written and removed")
                .contains(state.toString()).doesNotContain("example-secret");
    }

    @Test
    void aProviderJarDroppedIntoPluginsIsDiscovered() throws Exception {
        Path opt = install();
        Path config = Files.writeString(dir.resolve("push.tdsl"), """
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                push () { 'fake' () { name = 'from-plugins' } }
                """);

        Run without = launch(opt, Map.of(), "--config", config.toString(), "--check-config");
        assertThat(without.status()).as("without the jar the provider is unknown").isEqualTo(Main.USAGE);
        assertThat(without.output()).contains("no push provider 'fake' is available");

        Path jar = opt.resolve("plugins/fake-provider.jar");
        testKitJar(jar);
        Run with = launch(opt, Map.of(), "--config", config.toString(), "--check-config");
        assertThat(with.status()).as(with.output()).isZero();
        assertThat(with.output()).as("discovery names the jar the provider came from")
                .containsPattern("push provider fake .*" + jar.getFileName());
    }

    @Test
    void jsonLogLinesAreOneJsonObjectPerLine() throws Exception {
        Path opt = install();
        Path config = Files.writeString(dir.resolve("push.tdsl"), """
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                push () { 'log' () { } }
                """);

        Run check = launch(opt, Map.of("PUSH_LOG_FORMAT", "json"), "--config", config.toString(), "--check-config");

        assertThat(check.status()).as(check.output()).isZero();
        List<String> logLines = check.output().lines().filter(l -> l.startsWith("{")).toList();
        assertThat(logLines).as("provider discovery logs, as JSON").isNotEmpty();
        ObjectMapper json = new ObjectMapper();
        for (String line : logLines) {
            JsonNode event = json.readTree(line);
            assertThat(event.path("level").asText()).isNotEmpty();
            assertThat(event.path("loggerName").asText()).isNotEmpty();
            assertThat(event.has("formattedMessage")).as(line).isTrue();
        }
        assertThat(logLines).anySatisfy(l -> assertThat(json.readTree(l).path("formattedMessage").asText())
                .startsWith("push provider log"));

        Run wrong = launch(opt, Map.of("PUSH_LOG_FORMAT", "xml"), "--config", config.toString(), "--check-config");
        assertThat(wrong.status()).as("an unknown format would silence the log: refused").isEqualTo(Main.USAGE);
        assertThat(wrong.output()).contains("must be 'text' or 'json'");
    }

    /** {@code [Section]} → key → values; repeated keys keep every value. */
    private static Map<String, Map<String, List<String>>> unit() throws IOException {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        for (String line : Files.readAllLines(UNIT)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            if (l.startsWith("[") && l.endsWith("]")) {
                current = sections.computeIfAbsent(l.substring(1, l.length() - 1), s -> new LinkedHashMap<>());
            } else {
                assertThat(current).as("a key outside a section: " + l).isNotNull();
                assertThat(l).as("key=value").contains("=");
                current.computeIfAbsent(l.substring(0, l.indexOf('=')), k -> new ArrayList<>())
                        .add(l.substring(l.indexOf('=') + 1));
            }
        }
        return sections;
    }

    @Test
    void theSystemdUnitRunsTheLauncherReloadsOnSighupAndStopsCleanly() throws IOException {
        Map<String, Map<String, List<String>>> unit = unit();
        assertThat(unit).containsOnlyKeys("Unit", "Service", "Install");
        Map<String, List<String>> service = unit.get("Service");

        assertThat(service.get("ExecStart")).containsExactly("/opt/push-component/bin/push-component --config"
                + " /etc/push-component/push-component.tdsl");
        assertThat(service.get("ExecReload")).as("reload is SIGHUP").singleElement().asString().contains("-HUP");
        assertThat(service.get("SuccessExitStatus")).as("a JVM ended by SIGTERM exits 143").containsExactly("143");
        assertThat(service.get("RestartPreventExitStatus")).as("a bad configuration is not restarted in a loop")
                .containsExactly("2");
        assertThat(service.get("Restart")).containsExactly("on-failure");
        assertThat(service.get("StateDirectory")).as("the example configuration's data-dir is STATE_DIRECTORY")
                .containsExactly("push-component");
        assertThat(service.get("User")).containsExactly("push-component");
        assertThat(service.get("EnvironmentFile")).containsExactly("/etc/push-component/environment");
        assertThat(unit.get("Install").get("WantedBy")).containsExactly("multi-user.target");
        assertThat(Files.readString(PACKAGING.resolve("push-component.tdsl"))).contains("env('STATE_DIRECTORY'");
    }

    @Test
    void theSystemdUnitPassesSystemdAnalyzeVerify() throws Exception {
        Path units = Stream.of(Path.of("/usr/lib/systemd/system"), Path.of("/lib/systemd/system"))
                .filter(p -> Files.isRegularFile(p.resolve("multi-user.target"))).findFirst().orElse(null);
        assumeTrue(units != null && onPath("systemd-analyze"), "systemd is not installed here");
        // an image of the installed system: systemd's own units, the unit, and the programs it names
        Path root = dir.resolve("root");
        Path rootUnits = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        try (Stream<Path> files = Files.list(units)) {
            files.filter(Files::isRegularFile).forEach(f -> copy(f, rootUnits.resolve(f.getFileName())));
        }
        Path installed = Files.createDirectories(root.resolve("etc/systemd/system")).resolve(UNIT.getFileName());
        Files.copy(UNIT, installed);
        Files.createDirectories(root.resolve("opt/push-component/bin"));
        Files.createDirectories(root.resolve("bin"));
        for (Path program : List.of(root.resolve("opt/push-component/bin/push-component"), root.resolve("bin/kill"))) {
            Files.copy(PACKAGING.resolve("bin/push-component"), program);
            Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        Run verify = run(List.of("systemd-analyze", "verify", "--root=" + root,
                "/etc/systemd/system/" + UNIT.getFileName()), Map.of("SYSTEMD_LOG_COLOR", "0"));

        assertThat(verify.status()).as(verify.output()).isZero();
        assertThat(verify.output()).as("no warning either (an unknown key is only a warning)").isBlank();
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
