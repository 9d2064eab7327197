package io.pushcomponent.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The rules between the modules, checked on what the build made: the reactor's poms, each published module's jar (or
 * classes directory) on this test's class path, and its module descriptor.
 *
 * <ul>
 *   <li>push-api and push-core name no Tigase namespace ({@code tigase:}) and no module above them: neither a
 *       package of push-tigase-adapter, the providers, push-component or the test kits, nor their artifact ids.</li>
 *   <li>Every published module has a module descriptor, and no package named {@code internal} is exported to
 *       everyone.</li>
 *   <li>No library module uses or brings a logging backend: no class refers to logback, no jar carries a logback
 *       configuration, and a pom names logback only for tests or as optional (push-component's runnable jar). The
 *       root pom's enforcer execution {@code no-logging-backend-in-libraries} checks the transitive graph.</li>
 *   <li>push-bom manages every published artifact at the project's version.</li>
 * </ul>
 *
 * <p>Code is checked by the names in its class files (every class a class refers to, and every string constant,
 * is in its constant pool), so a rule also holds for what javadoc does not show.
 */
class ModuleBoundariesTest {

    /** The modules that must not know what is built on them. */
    private static final Set<String> FOUNDATION = Set.of("push-api", "push-core");

    /** Packages of the modules above push-api and push-core, as class files name them. */
    private static final List<String> DOWNSTREAM_PACKAGES = List.of("io/pushcomponent/tigase/",
            "io/pushcomponent/provider/", "io/pushcomponent/component/", "io/pushcomponent/testkit/",
            "io/pushcomponent/benchmark/", "io/pushcomponent/http/", "io/pushcomponent/metrics/", "io/micrometer/",
            "io/pushcomponent/conversations/", "io/pushcomponent/monallegacy/", "io/pushcomponent/unifiedpush/",
            "io/pushcomponent/push2/", "io/pushcomponent/monal/");

    private static final String TIGASE_NAMESPACE = "tigase:";

    private static final Set<String> LOGBACK_CONFIGURATIONS = Set.of("logback.xml", "logback-test.xml",
            "logback.groovy");

    private static Path root;
    private static String version;
    private static Map<String, ReactorModule> modules;

    /** A module of the reactor: its directory, artifact id, whether it is published, and where its code is. */
    private record ReactorModule(String dir, String artifactId, String packaging, boolean published, Document pom,
                                 Path code) {
        boolean hasCode() {
            return packaging.equals("jar");
        }
    }

    @BeforeAll
    static void readTheReactor() throws Exception {
        root = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
        Document parent = parse(root.resolve("pom.xml"));
        version = text(parent.getDocumentElement(), "version");
        Map<String, Path> onClassPath = new LinkedHashMap<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            if (path.startsWith(root) && path.getNameCount() > root.getNameCount()) {
                onClassPath.putIfAbsent(path.getName(root.getNameCount()).toString(), path);
            }
        }
        modules = new LinkedHashMap<>();
        NodeList names = parent.getElementsByTagName("module");
        for (int i = 0; i < names.getLength(); i++) {
            String dir = names.item(i).getTextContent().trim();
            Document pom = parse(root.resolve(dir).resolve("pom.xml"));
            Element project = pom.getDocumentElement();
            String packaging = text(project, "packaging");
            boolean deploySkipped = "true".equals(property(project, "maven.deploy.skip"));
            modules.put(dir, new ReactorModule(dir, text(project, "artifactId"),
                    packaging == null ? "jar" : packaging, !deploySkipped, pom, onClassPath.get(dir)));
        }
        assertThat(modules).as("the reactor's modules, read from %s", root).containsKeys("push-api", "push-core");
    }

    @Test
    void everyPublishedModuleIsOnThisTestsClassPath() {
        List<String> missing = published().filter(ReactorModule::hasCode).filter(m -> m.code() == null).map(ReactorModule::artifactId).toList();

        assertThat(missing).as("published modules this test cannot see: add them to push-boundaries/pom.xml")
                .isEmpty();
    }

    @Test
    void theBomManagesEveryPublishedArtifactAtTheProjectVersion() throws Exception {
        Document bom = parse(root.resolve("push-bom").resolve("pom.xml"));
        Map<String, String> managed = new LinkedHashMap<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            managed.put(text(dependency, "artifactId"), text(dependency, "version"));
        }

        assertThat(text(bom.getDocumentElement(), "version")).as("push-bom's own version").isEqualTo(version);
        assertThat(managed.keySet()).as("push-bom lists exactly the published artifacts with code")
                .containsExactlyInAnyOrderElementsOf(published().filter(ReactorModule::hasCode)
                        .map(ReactorModule::artifactId).toList());
        assertThat(managed.values()).as("each at the project's version").containsOnly("${project.version}");
    }

    @Test
    void everyPublishedModuleHasADescriptorAndExportsNoInternalPackageToEveryone() {
        List<String> problems = new ArrayList<>();
        published().filter(ReactorModule::hasCode).filter(m -> m.code() != null).forEach(m -> {
            ModuleDescriptor descriptor = descriptor(m);
            if (descriptor.isAutomatic()) {
                problems.add(m.artifactId() + " has no module-info");
                return;
            }
            for (ModuleDescriptor.Exports export : descriptor.exports()) {
                boolean internal = Arrays.asList(export.source().split("\\.")).contains("internal");
                if (internal && !export.isQualified()) {
                    problems.add(m.artifactId() + " (" + descriptor.name() + ") exports " + export.source());
                }
            }
        });

        assertThat(problems).as("implementations stay in unexported internal packages").isEmpty();
    }

    @Test
    void foundationModulesNameNoTigaseNamespaceAndNoModuleAboveThem() {
        List<String> downstreamArtifacts = published().filter(ReactorModule::hasCode)
                .filter(m -> !FOUNDATION.contains(m.dir())).map(ReactorModule::artifactId).toList();
        Set<String> found = new TreeSet<>();
        for (String dir : FOUNDATION) {
            ReactorModule module = modules.get(dir);
            classFiles(module).forEach((name, text) -> {
                List<String> needles = new ArrayList<>(DOWNSTREAM_PACKAGES);
                needles.add(TIGASE_NAMESPACE);
                needles.addAll(downstreamArtifacts);
                for (String needle : needles) {
                    if (text.contains(needle)) {
                        found.add(dir + " " + name + " " + needle);
                    }
                }
            });
        }

        assertThat(found).as("push-api and push-core name a Tigase namespace or a module built on them")
                .isEmpty();
    }

    @Test
    void noLibraryModuleUsesOrBringsALoggingBackend() {
        List<String> problems = new ArrayList<>();
        published().filter(ReactorModule::hasCode).filter(m -> m.code() != null).forEach(m -> {
            classFiles(m).forEach((name, text) -> {
                if (text.contains("ch/qos/logback/")) {
                    problems.add(m.artifactId() + ": " + name + " refers to logback");
                }
            });
            for (String configuration : LOGBACK_CONFIGURATIONS) {
                if (contains(m.code(), configuration)) {
                    problems.add(m.artifactId() + " carries " + configuration);
                }
            }
            NodeList dependencies = m.pom().getElementsByTagName("dependency");
            for (int i = 0; i < dependencies.getLength(); i++) {
                Element dependency = (Element) dependencies.item(i);
                boolean inDependencies = dependency.getParentNode().getParentNode() == m.pom().getDocumentElement();
                if (inDependencies && "ch.qos.logback".equals(text(dependency, "groupId"))
                        && !"test".equals(text(dependency, "scope")) && !"true".equals(text(dependency, "optional"))) {
                    problems.add(m.artifactId() + "'s pom brings " + text(dependency, "artifactId"));
                }
            }
        });

        assertThat(problems).as("libraries log through the SLF4J API; the backend is the application's").isEmpty();
    }

    private static Stream<ReactorModule> published() {
        return modules.values().stream().filter(ReactorModule::published);
    }

    private static ModuleDescriptor descriptor(ReactorModule module) {
        Set<ModuleReference> found = ModuleFinder.of(module.code()).findAll();
        assertThat(found).as("the module at %s", module.code()).hasSize(1);
        return found.iterator().next().descriptor();
    }

    /** Each class file of the module's main code, by path, as text in which its constant pool's names can be found. */
    private static Map<String, String> classFiles(ReactorModule module) {
        Map<String, String> classes = new LinkedHashMap<>();
        try {
            if (Files.isDirectory(module.code())) {
                try (Stream<Path> files = Files.walk(module.code())) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                        classes.put(module.code().relativize(file).toString().replace('\\', '/'),
                                new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                    }
                }
            } else {
                try (JarFile jar = new JarFile(module.code().toFile())) {
                    for (var entry : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            classes.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(classes).as("class files of %s", module.artifactId()).isNotEmpty();
        return classes;
    }

    private static boolean contains(Path code, String resource) {
        if (Files.isDirectory(code)) {
            return Files.exists(code.resolve(resource));
        }
        try (JarFile jar = new JarFile(code.toFile())) {
            return jar.getEntry(resource) != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    /** The text of {@code element}'s direct child {@code name}, or {@code null}. */
    private static String text(Element element, String name) {
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    private static String property(Element project, String name) {
        for (Node child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && e.getTagName().equals("properties")) {
                return text(e, name);
            }
        }
        return null;
    }
}
