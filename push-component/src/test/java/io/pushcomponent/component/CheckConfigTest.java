package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.testkit.ClosedPort;
import io.pushcomponent.testkit.apns.FakeApnsServer;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --check-config} checks what the component needs besides a well-formed file: the store opens and takes a
 * write (a probe registration, removed again), the providers' credential files are read, and with {@code --online}
 * the providers reach their services. Each failure is one line naming what failed, and never a password.
 */
@Timeout(120)
class CheckConfigTest {
    private static final String POSTGRES_URL = "PUSH_TEST_POSTGRES_URL";
    private static final String HEAD = """
            'component-jid' = 'push.localhost'
            'secret' = 'not-printed-anywhere'
            """;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int check(String config, String... more) throws IOException {
        Path file = Files.writeString(dir.resolve("push.tdsl"), HEAD + config, StandardCharsets.UTF_8);
        String[] args = new String[3 + more.length];
        args[0] = "--config";
        args[1] = file.toString();
        args[2] = "--check-config";
        System.arraycopy(more, 0, args, 3, more.length);
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theEmbeddedStoreIsOpenedAndAProbeIsWrittenAndRemoved() throws IOException {
        assertThat(check("push () { 'log' () { } }\n")).isEqualTo(Main.OK);

        assertThat(out()).contains("OK").contains("probe written and removed").contains(dir.resolve("data").toString());
        try (DeviceRegistrationStore store = Stores.h2DeviceStore(dir.resolve("data"), Stores.DEFAULT_TABLE_PREFIX,
                false)) {
            assertThat(store.count()).as("the probe registration was removed again").isZero();
        }
    }

    @Test
    void anUnwritableDataDirIsOneLineNamingTheDirectory() throws IOException {
        Files.writeString(dir.resolve("not-a-directory"), "x");

        assertThat(check("'data-dir' = 'not-a-directory/data'\npush () { 'log' () { } }\n"))
                .as("the store cannot be used: status 1, not a configuration error").isEqualTo(Main.FAILED);

        assertThat(err().lines().toList()).singleElement().asString().startsWith("store: cannot open the embedded H2"
                + " database in data-dir " + dir.resolve("not-a-directory/data"));
        assertThat(out()).doesNotContain("OK");
    }

    @Test
    void anUnreachablePostgresqlIsOneLineWithHostPortAndTheDriversReasonWithoutThePassword() throws IOException {
        try (ClosedPort closed = ClosedPort.open()) {
            String url = "jdbc:postgresql://127.0.0.1:" + closed.port() + "/push?user=push&password=db-password-x";

            assertThat(check("dataSource () { default () { uri = '" + url + "' } }\npush () { 'log' () { } }\n"))
                    .isEqualTo(Main.FAILED);

            assertThat(err().lines().toList()).singleElement().asString()
                    .startsWith("store: cannot open the database jdbc:postgresql://127.0.0.1:" + closed.port()
                            + "/push: ")
                    .as("the driver's reason").contains("127.0.0.1:" + closed.port()).contains("refused");
            assertThat(err() + out()).doesNotContain("db-password-x");
        }
    }

    @Test
    @EnabledIfEnvironmentVariable(named = POSTGRES_URL, matches = ".+")
    void aReachablePostgresqlTakesTheProbeAndKeepsNoRow() throws Exception {
        String url = System.getenv(POSTGRES_URL);

        assertThat(check("dataSource () { default () { uri = '" + url + "' } }\npush () { 'log' () { } }\n"))
                .as(err()).isEqualTo(Main.OK);

        assertThat(out()).contains("probe written and removed").doesNotContain("password=");
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        try (DeviceRegistrationStore store = Stores.jdbcDeviceStore(dataSource, Stores.DEFAULT_TABLE_PREFIX)) {
            assertThat(store.listByOwner(DeviceRegistrationStore.PROBE_OWNER)).as("no probe row is left").isEmpty();
        }
    }

    @Test
    void aMissingCredentialFileIsAConfigurationProblemNamingTheProvidersLine() throws IOException {
        assertThat(check("push () {\n    'fcm-http-v1' () { 'service-account-file' = 'missing.json' }\n}\n"))
                .isEqualTo(Main.USAGE);

        assertThat(err()).contains(":4: provider 'fcm-http-v1'").contains("missing.json");
    }

    @Test
    void onlineFetchesAnFcmAccessToken() throws IOException {
        try (FakeFcmServer fcm = FakeFcmServer.start()) {
            Path account = fcm.writeServiceAccountJson(dir);

            assertThat(check("push () {\n    'fcm-http-v1' () { 'service-account-file' = '" + account.getFileName()
                    + "'\n 'base-url' = '" + fcm.baseUrl() + "' }\n}\n", "--online")).as(err()).isEqualTo(Main.OK);

            assertThat(fcm.tokenRequestCount()).isEqualTo(1);
            assertThat(fcm.messageCount()).as("nothing is pushed").isZero();
            assertThat(out()).contains("access token from " + fcm.tokenUri()).contains("fetched");
        }
    }

    @Test
    void onlineReportsAnUnreachableTokenEndpointInOneLine() throws IOException {
        try (FakeFcmServer fcm = FakeFcmServer.start(); ClosedPort closed = ClosedPort.open()) {
            Path account = fcm.writeServiceAccountJson(dir);

            assertThat(check("push () {\n    'fcm-http-v1' () { 'service-account-file' = '" + account.getFileName()
                    + "'\n 'token-uri' = '" + closed.httpUrl("/token") + "' }\n}\n", "--online"))
                    .isEqualTo(Main.FAILED);

            assertThat(err().lines().toList()).singleElement().asString()
                    .startsWith("provider 'fcm-http-v1' (" + dir.resolve("push.tdsl") + ":4): FCM project")
                    .contains(closed.httpUrl("/token").toString()).contains("could not be fetched");
        }
    }

    @Test
    void withoutOnlineNoServiceIsContacted() throws IOException {
        try (FakeFcmServer fcm = FakeFcmServer.start()) {
            Path account = fcm.writeServiceAccountJson(dir);

            assertThat(check("push () {\n    'fcm-http-v1' () { 'service-account-file' = '" + account.getFileName()
                    + "'\n 'base-url' = '" + fcm.baseUrl() + "' }\n}\n")).isEqualTo(Main.OK);

            assertThat(fcm.tokenRequestCount()).isZero();
        }
    }

    @Test
    void onlineOpensAnApnsConnectionWithoutDeliveringAnything() throws IOException {
        try (FakeApnsServer apns = FakeApnsServer.startValidating()) {
            FakeApnsServer.ClientCertificate certificate = apns.clientCertificate("org.example.app");

            assertThat(check("push () {\n    'apns' () {\n        'cert-file' = '" + certificate.file()
                    + "'\n        'cert-password' = '" + certificate.password() + "'\n        'apns-host' = '"
                    + apns.host() + "'\n        'apns-port' = " + apns.port() + "\n        'trusted-ca-file' = '"
                    + apns.caCertificateFile() + "'\n    }\n}\n", "--online")).as(err()).isEqualTo(Main.OK);

            assertThat(out()).contains("APNs org.example.app at " + apns.host() + ":" + apns.port()
                    + " connected, credentials accepted");
            assertThat(apns.acceptedCount()).as("nothing was delivered").isZero();
        }
    }

    @Test
    void onlineWithoutCheckConfigIsAUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("push.tdsl"), HEAD + "push () { 'log' () { } }\n");
        assertThat(Main.run(new String[] {"--config", file.toString(), "--online"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)))
                .isEqualTo(Main.USAGE);
        assertThat(err()).contains("--online is an option of --check-config");
    }
}
