package io.pushcomponent.component.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import io.pushcomponent.testkit.apns.FakeApnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The APNs provider configured from the component's configuration file: the {@code 'apns-binary-api'} block of
 * Tigase's guide (certificate and password, pool size, no topic: the certificate names it), and APNs' per-app
 * blocks; each then delivers to a validating fake APNs.
 */
class ApnsProviderConfigTest {
    private static final String BUNDLE = "im.example.siskin";
    private static final String BETA = "im.example.siskin.beta";
    private static final String TOKEN = "ab".repeat(32);
    private static final String BETA_TOKEN = "cd".repeat(32);

    private FakeApnsServer apns;
    private final ProviderRegistry registry = ProviderRegistry.discover();

    @BeforeEach
    void setUp() {
        apns = FakeApnsServer.startValidating().addDeviceToken(BUNDLE, TOKEN).addDeviceToken(BETA, BETA_TOKEN);
    }

    @AfterEach
    void tearDown() {
        apns.close();
    }

    /** The fake's endpoint, as test-only keys of the same block. */
    private String endpoint() {
        return "'apns-host' = '" + apns.host() + "'\n"
                + "'apns-port' = " + apns.port() + "\n"
                + "'trusted-ca-file' = '" + apns.caCertificateFile() + "'\n";
    }

    private ComponentConfig parse(Path file, String push, Map<String, String> env) throws ConfigException {
        return ComponentConfig.parse(file, """
                'component-jid' = 'push.example.com'
                'remote-host' = 'localhost'
                'remote-port' = 5347
                'secret' = 'component-secret'
                push () {
                """ + push + """
                }
                """, registry, env::get);
    }

    private static DeliveryResult send(PushProvider provider, Device device) throws Exception {
        return provider.send(PushRequest.message(device, "juliet@example.com",
                new Summary(1, "romeo@example.net", "Wherefore art thou?", null, null)))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void tigasesApnsBinaryApiBlockConfiguresTheApnsProvider() throws Exception {
        FakeApnsServer.ClientCertificate certificate = apns.clientCertificate(BUNDLE);
        Path configFile = certificate.file().resolveSibling("push.tdsl");
        ComponentConfig config = parse(configFile, """
                    'apns-binary-api' () {
                        'cert-file' = '%s'
                        'cert-password' = env('APNS_CERT_PASSWORD')
                        'pool-size' = 2
                """.formatted(certificate.file().getFileName()) + endpoint() + """
                    }
                """, Map.of("APNS_CERT_PASSWORD", certificate.password()));

        ProviderSettings settings = config.providers().get("apns-binary-api");
        assertThat(registry.canonicalId("apns-binary-api")).as("Tigase's bean name is an alias").contains("apns");
        assertThat(settings.toString()).as("settings never show the password")
                .doesNotContain(certificate.password());
        try (PushProvider provider = registry.factory("apns-binary-api").create(settings)) {
            DeliveryResult result = send(provider, Device.of("apns", TOKEN));

            assertThat(result.isDelivered()).as("a relative cert-file resolves against the configuration file, the "
                    + "password comes from the environment, the bundle id from the certificate").isTrue();
            assertThat(apns.takeNotification(Duration.ofSeconds(10)).topic()).isEqualTo(BUNDLE);
        }
    }

    @Test
    void severalAppsAreNestedBlocksOfTheProviderBlock() throws Exception {
        FakeApnsServer.ClientCertificate main = apns.clientCertificate(BUNDLE);
        FakeApnsServer.ClientCertificate beta = apns.clientCertificate(BETA);
        ComponentConfig config = parse(main.file().resolveSibling("push.tdsl"), """
                    'apns' () {
                        'cert-file' = '%s'
                        'cert-password' = '%s'
                        'apps' () {
                            '%s' () {
                                'cert-file' = '%s'
                                'cert-password' = '%s'
                            }
                        }
                """.formatted(main.file(), main.password(), BETA, beta.file(), beta.password()) + endpoint() + """
                    }
                """, Map.of());

        try (PushProvider provider = registry.factory("apns").create(config.providers().get("apns"))) {
            assertThat(send(provider, Device.of("apns", TOKEN)).isDelivered()).isTrue();
            assertThat(send(provider, new Device("apns", BETA_TOKEN, null, BETA, false)).isDelivered())
                    .as("a registration for the second app reaches APNs under its own certificate").isTrue();
        }
        Duration wait = Duration.ofSeconds(10);
        assertThat(List.of(apns.takeNotification(wait), apns.takeNotification(wait)))
                .extracting(FakeApnsServer.ReceivedNotification::topic).containsExactly(BUNDLE, BETA);
    }
}
