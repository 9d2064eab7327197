package io.pushcomponent.provider.fcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushProviderFactory;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FcmPushProviderFactoryTest {
    @TempDir
    Path tempDir;

    private final FcmPushProviderFactory factory = new FcmPushProviderFactory();

    @Test
    void theFactoryIsFoundThroughServiceLoaderFromItsJarAlone() throws Exception {
        Path jar = jarOfThisModulesClasses();
        ClassLoader withoutThisModule = new HidingClassLoader(FcmPushProviderFactory.class.getClassLoader());
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, withoutThisModule)) {
            ProviderRegistry registry = ProviderRegistry.discover(loader);

            PushProviderFactory found = registry.factory("fcm-http-v1");
            assertThat(found.getClass().getClassLoader()).as("the factory came from the jar's META-INF/services")
                    .isSameAs(loader);
            assertThat(found.getClass().getProtectionDomain().getCodeSource().getLocation())
                    .isEqualTo(jar.toUri().toURL());
            assertThat(registry.canonicalId("fcm-xmpp-api")).as("Stork's provider id is an alias")
                    .contains("fcm-http-v1");
            assertThat(registry.loadFailures()).isEmpty();
        }
    }

    @Test
    void theLegacyKeysFailWithTheWayToFcmHttpV1() {
        for (String legacy : List.of("sender-id", "server-key")) {
            ProviderSettings settings = ProviderSettings.of("fcm-xmpp-api", Map.of(legacy, "AAAA1234secret"));

            assertThatThrownBy(() -> factory.create(settings))
                    .as("'%s' is a setting of FCM's shut-down legacy API", legacy)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("legacy").hasMessageContaining("shut down")
                    .hasMessageContaining("service-account").hasMessageContaining("FCM HTTP v1")
                    .hasMessageNotContaining("AAAA1234secret");
        }
    }

    @Test
    void settingKeysListsEveryDocumentedKey() throws IllegalAccessException {
        Set<String> constants = new HashSet<>();
        for (Field f : FcmPushProviderFactory.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
                    && !f.getName().equals("ID") && !f.getName().startsWith("ALIAS")) {
                constants.add((String) f.get(null));
            }
        }

        assertThat(factory.settingKeys()).as("every key constant is a setting key and vice versa")
                .containsExactlyInAnyOrderElementsOf(constants);
        assertThat(factory.id()).isEqualTo("fcm-http-v1");
        assertThat(factory.aliases()).containsExactly("fcm-xmpp-api");
    }

    @Test
    void theModuleReadmeDocumentsEveryKey() throws IOException {
        String readme = Files.readString(Path.of("README.md"));

        assertThat(factory.settingKeys()).allSatisfy(key ->
                assertThat(readme).as("README documents '%s'", key).contains("`" + key + "`"));
    }

    @Test
    void anUnknownKeyIsRefusedByName() {
        ProviderSettings settings = ProviderSettings.of("fcm-http-v1", Map.of("servce-account-file", "x.json"));

        assertThatThrownBy(() -> factory.create(settings)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("servce-account-file");
    }

    @Test
    void exactlyOneServiceAccountSourceIsRequired() {
        assertThatThrownBy(() -> factory.create(ProviderSettings.empty("fcm-http-v1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("service-account-file").hasMessageContaining("service-account-json");
        assertThatThrownBy(() -> factory.create(ProviderSettings.of("fcm-http-v1",
                Map.of("service-account-file", "a.json", "service-account-json", "{}"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    }

    @Test
    void aMissingFileIsNamed() {
        ProviderSettings settings = new ProviderSettings("fcm-http-v1",
                Map.of("service-account-file", "missing.json"), tempDir);

        assertThatThrownBy(() -> factory.create(settings)).isInstanceOf(IllegalArgumentException.class)
                .as("relative paths resolve against the configuration's directory")
                .hasMessageContaining(tempDir.resolve("missing.json").toString());
    }

    @Test
    void aBrokenServiceAccountIsRefusedWithoutQuotingIt() throws IOException {
        try (FakeFcmServer fcm = FakeFcmServer.start()) {
            String json = fcm.serviceAccountJson();
            String key = json.substring(json.indexOf("-----BEGIN"), json.indexOf("-----BEGIN") + 120);
            String broken = json.replace("\"client_email\"", "\"mail\"");
            String truncated = json.substring(0, json.length() / 2);

            for (String bad : List.of(broken, truncated)) {
                assertThatThrownBy(() -> factory.create(ProviderSettings.of("fcm-http-v1",
                        Map.of("service-account-json", bad))))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("not a service-account JSON")
                        .hasMessageNotContaining(key.substring(30))
                        .hasNoCause();
            }
        }
    }

    @Test
    void theServiceAccountCanBeGivenInline() throws Exception {
        try (FakeFcmServer fcm = FakeFcmServer.start()) {
            ProviderSettings settings = ProviderSettings.of("fcm-http-v1", Map.of(
                    "service-account-json", fcm.serviceAccountJson(), "base-url", fcm.baseUrl()));

            try (PushProvider provider = factory.create(settings)) {
                assertThat(provider.send(PushRequest.message(Device.of("fcm-http-v1", FcmPushProviderTest.DEVICE_TOKEN),
                                "juliet@example.com", new Summary(1, null, "hi", null, null)))
                        .toCompletableFuture().get(10, TimeUnit.SECONDS).isDelivered())
                        .as("env('NAME') hands the JSON text itself to the provider").isTrue();
                assertThat(fcm.takeMessage(Duration.ofSeconds(10)).project())
                        .as("the project comes from the JSON").isEqualTo(FakeFcmServer.DEFAULT_PROJECT_ID);
            }
        }
    }

    @Test
    void theTokenEndpointCanBeOverridden() throws Exception {
        try (FakeFcmServer fcm = FakeFcmServer.start()) {
            String json = fcm.serviceAccountJson().replace(fcm.tokenUri().toString(), "https://oauth2.invalid/token");
            ProviderSettings settings = ProviderSettings.of("fcm-http-v1", Map.of("service-account-json", json,
                    "base-url", fcm.baseUrl(), "token-uri", fcm.tokenUri().toString()));

            try (PushProvider provider = factory.create(settings)) {
                provider.send(PushRequest.message(Device.of("fcm-http-v1", FcmPushProviderTest.DEVICE_TOKEN),
                        "juliet@example.com", Summary.EMPTY)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            assertThat(fcm.tokenRequestCount()).as("token-uri replaces the JSON's token_uri").isEqualTo(1);
        }
    }

    @Test
    void malformedValuesAreRefusedByKey() throws IOException {
        try (FakeFcmServer fcm = FakeFcmServer.start()) {
            String json = fcm.serviceAccountJson();
            Map<String, Object> bad = Map.of(
                    "pool-size", 0, "max-concurrent", "many", "base-url", "fcm.googleapis.com", "ttl", "PT1.5S",
                    "max-retries", -1, "request-timeout", "PT0S");
            for (Map.Entry<String, Object> e : bad.entrySet()) {
                ProviderSettings settings = ProviderSettings.of("fcm-http-v1",
                        Map.of("service-account-json", json, e.getKey(), e.getValue()));

                assertThatThrownBy(() -> factory.create(settings)).as("%s = %s", e.getKey(), e.getValue())
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(e.getKey());
            }
            assertThatThrownBy(() -> factory.create(ProviderSettings.of("fcm-http-v1",
                    Map.of("service-account-json", json, "pool-size", 8, "max-concurrent", 8))))
                    .hasMessageContaining("not both");
        }
    }

    /** This module's compiled classes and resources, packed as the module's jar would be. */
    private Path jarOfThisModulesClasses() throws IOException, java.net.URISyntaxException {
        Path classes = Path.of(FcmPushProviderFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = tempDir.resolve("push-provider-fcm.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return jar;
    }

    /**
     * The test class path without this module's own classes and service file, so that only the jar can supply
     * them.
     */
    private static final class HidingClassLoader extends ClassLoader {
        private final String hiddenLocation;

        HidingClassLoader(ClassLoader parent) {
            super(parent);
            this.hiddenLocation = FcmPushProviderFactory.class.getProtectionDomain().getCodeSource().getLocation()
                    .toString();
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.pushcomponent.provider.fcm.")) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            URL url = super.getResource(name);
            return url != null && url.toString().startsWith(hiddenLocation) ? null : url;
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            List<URL> visible = Collections.list(super.getResources(name)).stream()
                    .filter(u -> !u.toString().startsWith(hiddenLocation)).collect(Collectors.toList());
            return Collections.enumeration(visible);
        }
    }
}
