package io.pushcomponent.provider.apns;

import static io.pushcomponent.provider.apns.ApnsTestSupport.BUNDLE;
import static io.pushcomponent.provider.apns.ApnsTestSupport.provider;
import static io.pushcomponent.provider.apns.ApnsTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.provider.apns.ApnsTestSupport.Auth;
import io.pushcomponent.testkit.apns.FakeApnsServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ApnsPushProviderFactoryTest {
    private FakeApnsServer server;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger providerLog = (Logger) LoggerFactory.getLogger(ApnsPushProvider.class);

    @BeforeEach
    void setUp() {
        server = FakeApnsServer.start();
        logs.start();
        providerLog.addAppender(logs);
    }

    /** Pushy's event loop may log while a test reads; {@code ListAppender} appends under its own monitor. */
    private List<ILoggingEvent> logged() {
        synchronized (logs) {
            return List.copyOf(logs.list);
        }
    }

    @AfterEach
    void tearDown() {
        providerLog.detachAppender(logs);
        server.close();
    }

    @Test
    void isDiscoveredUnderItsIdAndTheIdsTigaseClientsSend() {
        ProviderRegistry registry = ProviderRegistry.discover();

        assertThat(registry.factory("apns")).isInstanceOf(ApnsPushProviderFactory.class);
        assertThat(registry.canonicalId("apns-binary-api")).contains("apns");
        assertThat(registry.canonicalId("tigase:messenger:apns:1")).contains("apns");
    }

    /** The jar's own service registration is enough: a class loader that sees the jar, but not target/classes. */
    @Test
    void isDiscoveredFromItsJarAlone(@TempDir Path dir) throws Exception {
        Path classes = Path.of(ApnsPushProviderFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = dir.resolve("push-provider-apns.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                zip.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        List<URL> path = new ArrayList<>();
        path.add(jar.toUri().toURL());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (!p.equals(classes.toAbsolutePath()) && !p.endsWith(Path.of("target", "test-classes"))) {
                path.add(p.toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(path.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            Class<?> registryClass = loader.loadClass(ProviderRegistry.class.getName());
            Method discover = registryClass.getMethod("discover", ClassLoader.class);
            Object registry = discover.invoke(null, loader);
            Object aliases = registryClass.getMethod("idsAndAliases").invoke(registry);

            @SuppressWarnings("unchecked")
            Map<String, String> idsAndAliases = (Map<String, String>) aliases;
            assertThat(idsAndAliases).as("ServiceLoader finds the factory in the jar")
                    .containsEntry("apns", "apns").containsEntry("apns-binary-api", "apns")
                    .containsEntry("tigase:messenger:apns:1", "apns");
            Object factory = registryClass.getMethod("factory", String.class).invoke(registry, "apns");
            assertThat(factory.getClass().getProtectionDomain().getCodeSource().getLocation())
                    .isEqualTo(jar.toUri().toURL());
        }
    }

    @Test
    void settingKeysListEveryKeyTheReadmeDocuments() throws IOException {
        String readme = Files.readString(Path.of("README.md"));

        assertThat(new ApnsPushProviderFactory().settingKeys()).allSatisfy(key ->
                assertThat(readme).as("README documents '%s'", key).contains("`" + key + "`"));
    }

    @Test
    void aMisspeltKeyIsAnError() {
        Map<String, Object> settings = settings(server, Auth.CERTIFICATE);
        settings.put("cert-pasword", "x");

        assertThatThrownBy(() -> provider(settings)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cert-pasword");
    }

    @Test
    void tigaseStyleCertificateSettingsNeedNoTopicBecauseTheCertificateNamesIt() {
        FakeApnsServer.ClientCertificate certificate = server.clientCertificate(BUNDLE);

        ApnsConfig config = ApnsConfig.from(ProviderSettings.of("apns-binary-api", Map.of(
                "cert-file", certificate.file().toString(), "cert-password", certificate.password(),
                "pool-size", 10)));

        assertThat(config.defaultApp().topic()).as("the bundle id comes from the certificate's UID")
                .isEqualTo(BUNDLE);
        assertThat(config.poolSize()).isEqualTo(10);
        assertThat(config.toString()).as("toString never shows the password").doesNotContain(certificate.password());
    }

    @Test
    void aWrongCertificatePasswordIsAClearErrorWithoutThePassword() {
        Map<String, Object> settings = settings(server, Auth.CERTIFICATE);
        settings.put(ApnsPushProviderFactory.CERT_PASSWORD, "wrong-secret-password");

        assertThatThrownBy(() -> provider(settings)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cert-file").hasMessageContaining("cert-password")
                .hasMessageNotContaining("wrong-secret-password");
    }

    @Test
    void credentialsAreRequiredAndExclusive() {
        assertThatThrownBy(() -> provider(Map.of("topic", BUNDLE))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cert-file").hasMessageContaining("key-file");
        Map<String, Object> both = settings(server, Auth.TOKEN);
        both.putAll(Auth.CERTIFICATE.credentials(server, BUNDLE));
        assertThatThrownBy(() -> provider(both)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not both");
    }

    @Test
    void tokenAuthNeedsTeamKeyIdAndTopic() {
        Map<String, Object> noTeam = settings(server, Auth.TOKEN);
        noTeam.remove(ApnsPushProviderFactory.TEAM_ID);
        assertThatThrownBy(() -> provider(noTeam)).hasMessageContaining("team-id");
        Map<String, Object> noTopic = settings(server, Auth.TOKEN);
        noTopic.remove(ApnsPushProviderFactory.TOPIC);
        assertThatThrownBy(() -> provider(noTopic)).hasMessageContaining("topic");
    }

    @Test
    void anAppBlockTakesOnlyAppKeys() {
        Map<String, Object> settings = settings(server, Auth.TOKEN);
        settings.put(ApnsPushProviderFactory.APPS, Map.of("com.example.beta", Map.of("pool-size", 3)));

        assertThatThrownBy(() -> provider(settings)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apns/apps/com.example.beta").hasMessageContaining("pool-size");
    }

    @Test
    void numbersAndDurationsAreChecked() {
        Map<String, Object> settings = settings(server, Auth.TOKEN);
        settings.put(ApnsPushProviderFactory.POOL_SIZE, 0);
        assertThatThrownBy(() -> provider(settings)).hasMessageContaining("pool-size");
        settings.put(ApnsPushProviderFactory.POOL_SIZE, 2);
        settings.put(ApnsPushProviderFactory.EXPIRATION, "soon");
        assertThatThrownBy(() -> provider(settings)).hasMessageContaining("expiration");
    }

    @Test
    void aCertificateCloseToExpiryIsWarnedAboutAtStartUp() {
        FakeApnsServer.ClientCertificate expiring =
                server.clientCertificate(BUNDLE, Instant.now().plus(Duration.ofDays(10)));
        Map<String, Object> settings = settings(server, Auth.CERTIFICATE);
        settings.put(ApnsPushProviderFactory.CERT_FILE, expiring.file().toString());

        provider(settings).close();

        assertThat(logged()).filteredOn(e -> e.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage).as("30 days ahead, an operator is told")
                .anySatisfy(m -> assertThat(m).contains("expires", BUNDLE, "days"));
    }

    @Test
    void aCertificateWithMonthsLeftIsNotWarnedAbout() {
        provider(settings(server, Auth.CERTIFICATE)).close();

        assertThat(logged()).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
    }

    @Test
    void logsNeverContainPasswordsOrKeyMaterial() throws IOException {
        Map<String, Object> settings = settings(server, Auth.CERTIFICATE);
        String password = (String) settings.get(ApnsPushProviderFactory.CERT_PASSWORD);
        String keyBody = Files.readString(server.signingKey().file()).lines()
                .filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();

        provider(settings).close();
        provider(settings(server, Auth.TOKEN)).close();

        assertThat(logged()).as("the provider logs at start-up").isNotEmpty();
        assertThat(logged()).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains(password) || m.contains(keyBody));
    }
}
