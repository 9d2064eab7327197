package io.pushcomponent.component.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.PushComponent;
import io.pushcomponent.component.config.ComponentConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import io.pushcomponent.component.internal.ComponentTransport;
import io.pushcomponent.component.internal.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server offering XEP-0114 over direct TLS: Prosody 0.12 with {@code mod_net_multiplex} on {@code ssl_ports}
 * hands a component stream that arrives over TLS to its component service. {@link ComponentTransport#tls} reaches
 * it, verifying Prosody's certificate, and the component handshake succeeds over it; so does the component itself,
 * configured with {@code tls = true}.
 */
@Timeout(120)
class ProsodyDirectTlsTest {
    private static final String JID = "push.localhost";
    private static final String SECRET = "direct-tls-secret";
    private static final int TIMEOUT_MILLIS = 20_000;
    private static final Pattern STREAM_ID = Pattern.compile("<stream:stream[^>]*\\sid=['\"]([^'\"]+)['\"][^>]*>");

    @TempDir
    Path dir;
    private ProsodyProcess prosody;

    @AfterEach
    void stop() throws InterruptedException {
        if (prosody != null) {
            prosody.close();
        }
    }

    @Test
    void theComponentHandshakeSucceedsOverDirectTlsWithTheServersCertificateVerified() throws Exception {
        SelfSignedCertificate certificate = startProsodyWithDirectTls();
        ComponentTransport tls = ComponentTransport.tls(certificate.trustStore(),
                SelfSignedCertificate.TRUST_STORE_PASSWORD.toCharArray(), "localhost");

        try (Socket s = tls.connect("127.0.0.1", prosody.directTlsPort(), TIMEOUT_MILLIS)) {
            assertThat(s).isInstanceOf(SSLSocket.class);
            OutputStream out = s.getOutputStream();
            send(out, "<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept'"
                    + " xmlns:stream='http://etherx.jabber.org/streams' to='" + JID + "'>");
            Matcher header = STREAM_ID.matcher(readUntil(s.getInputStream(), STREAM_ID));
            assertThat(header.find()).isTrue();
            send(out, "<handshake>" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest((header.group(1) + SECRET).getBytes(StandardCharsets.UTF_8))) + "</handshake>");

            assertThat(readUntil(s.getInputStream(), Pattern.compile("<handshake\\s*/>|<handshake>\\s*</handshake>"
                    + "|</stream:stream>|<stream:error")))
                    .as("XEP-0114 section 3: an empty <handshake/> accepts the component")
                    .containsPattern("<handshake\\s*/>|<handshake>\\s*</handshake>");
        }

        SelfSignedCertificate stranger = SelfSignedCertificate.create(dir, "stranger");
        assertThatThrownBy(() -> ComponentTransport.tls(stranger.trustStore(),
                SelfSignedCertificate.TRUST_STORE_PASSWORD.toCharArray(), "localhost")
                .connect("127.0.0.1", prosody.directTlsPort(), TIMEOUT_MILLIS))
                .as("Prosody's certificate is not in this trust store: no stream is opened")
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theComponentConfiguredWithTlsConnectsToProsodyOverDirectTls() throws Exception {
        SelfSignedCertificate certificate = startProsodyWithDirectTls();
        Path config = dir.resolve("push.tdsl");
        Files.writeString(config, String.join("\n",
                "'component-jid' = '" + JID + "'",
                "'remote-host' = '127.0.0.1'",
                "'remote-port' = " + prosody.directTlsPort(),
                "'secret' = '" + SECRET + "'",
                "'data-dir' = 'data'",
                "tls = true",
                "'tls-trust-store' = '" + certificate.trustStore() + "'",
                "'tls-trust-store-password' = env('PUSH_TEST_TRUST_STORE_PASSWORD')",
                "'tls-server-name' = 'localhost'",
                "push () {",
                "    'fake' () { name = 'tls-" + UUID.randomUUID() + "' }",
                "}",
                ""), StandardCharsets.UTF_8);
        ProviderRegistry registry = PushComponent.providerRegistry(PushComponent.class.getClassLoader());
        ComponentConfig parsed = ComponentConfig.parse(config, Files.readString(config), registry,
                name -> "PUSH_TEST_TRUST_STORE_PASSWORD".equals(name) ? SelfSignedCertificate.TRUST_STORE_PASSWORD
                        : null);
        assertThat(parsed.toString()).as("the trust store password is never shown")
                .doesNotContain(SelfSignedCertificate.TRUST_STORE_PASSWORD);
        try (PushComponent component = PushComponent.start(parsed, registry)) {
            assertThat(component.awaitConnected(Duration.ofMillis(TIMEOUT_MILLIS)))
                    .as("'tls = true': the component verifies Prosody's certificate and authenticates over direct"
                            + " TLS; see " + prosody.log())
                    .isTrue();
        }
    }

    /** Prosody with a direct-TLS port and a fresh certificate; skipped where Prosody is missing, except on CI. */
    private SelfSignedCertificate startProsodyWithDirectTls() throws Exception {
        if (!ProsodyProcess.installed()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true and Prosody is not installed");
            }
            assumeTrue(false, "Prosody is not installed");
        }
        SelfSignedCertificate certificate = SelfSignedCertificate.create(dir, "prosody");
        prosody = ProsodyProcess.startWithDirectTls(dir, JID, SECRET, certificate.certificate(), certificate.key(),
                line -> { });
        return certificate;
    }

    private static void send(OutputStream out, String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads until what arrived matches {@code until}; the socket's read timeout bounds every wait. */
    private static String readUntil(InputStream in, Pattern until) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!until.matcher(text).find()) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
