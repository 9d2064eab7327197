package io.pushcomponent.component.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct TLS to the component port verifies the server every time: a trusted certificate for the expected name
 * connects; an untrusted certificate or another name never does (there is no trust-all).
 */
@Timeout(60)
class ComponentTransportTest {
    private static final int TIMEOUT_MILLIS = 10_000;

    @TempDir
    Path dir;
    private SelfSignedCertificate server;
    private ServerSocket listener;
    private CompletableFuture<String> received;

    @BeforeEach
    void startTlsServer() throws Exception {
        server = SelfSignedCertificate.create(dir, "xmpp-server");
        listener = server.serverContext().getServerSocketFactory().createServerSocket(0, 4,
                InetAddress.getLoopbackAddress());
        ((SSLServerSocket) listener).setSoTimeout(TIMEOUT_MILLIS);
        received = CompletableFuture.supplyAsync(this::serveOneLine, runnable -> {
            Thread t = new Thread(runnable, "tls-test-server");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Accepts one connection, reads one line and answers it; {@code null} when the handshake failed. */
    private String serveOneLine() {
        try (Socket s = listener.accept()) {
            s.setSoTimeout(TIMEOUT_MILLIS);
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            s.getOutputStream().write(("got " + line + "\n").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            return line;
        } catch (IOException e) {
            return null;
        }
    }

    @AfterEach
    void stop() throws IOException {
        listener.close();
    }

    private int port() {
        return listener.getLocalPort();
    }

    @Test
    void connectsOverTlsToAServerWhoseCertificateIsTrustedAndNamesTheHost() throws Exception {
        ComponentTransport transport = ComponentTransport.tls(server.trustStore(),
                SelfSignedCertificate.TRUST_STORE_PASSWORD.toCharArray(), null);

        try (Socket s = transport.connect("localhost", port(), TIMEOUT_MILLIS)) {
            OutputStream out = s.getOutputStream();
            out.write("<stream:stream>\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();

            assertThat(transport.encrypted()).isTrue();
            assertThat(s).isInstanceOf(SSLSocket.class);
            assertThat(((SSLSocket) s).getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(answer).isEqualTo("got <stream:stream>");
        }
        assertThat(received.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo("<stream:stream>");
    }

    @Test
    void refusesAServerWhoseCertificateIsNotInTheTrustStore() throws Exception {
        SelfSignedCertificate other = SelfSignedCertificate.create(dir, "someone-else");
        ComponentTransport transport = ComponentTransport.tls(other.trustStore(),
                SelfSignedCertificate.TRUST_STORE_PASSWORD.toCharArray(), null);

        assertThatThrownBy(() -> transport.connect("localhost", port(), TIMEOUT_MILLIS))
                .as("a certificate the trust store does not vouch for ends the connection in the handshake")
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(received.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).as("nothing was sent").isNull();
    }

    @Test
    void theJvmsDefaultTrustAnchorsDoNotTrustASelfSignedServer() throws Exception {
        ComponentTransport transport = ComponentTransport.tls((Path) null, null, "localhost");

        assertThatThrownBy(() -> transport.connect("localhost", port(), TIMEOUT_MILLIS))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void refusesAServerWhoseCertificateNamesAnotherHost() throws Exception {
        ComponentTransport transport = ComponentTransport.tls(server.trustStore(),
                SelfSignedCertificate.TRUST_STORE_PASSWORD.toCharArray(), "xmpp.example.org");

        assertThatThrownBy(() -> transport.connect("127.0.0.1", port(), TIMEOUT_MILLIS))
                .as("RFC 6125: a trusted certificate for another name is refused")
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plainIsAPlainTcpConnection() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket s = ComponentTransport.plain().connect("127.0.0.1", plain.getLocalPort(), TIMEOUT_MILLIS)) {
            assertThat(ComponentTransport.plain().encrypted()).isFalse();
            assertThat(s).isNotInstanceOf(SSLSocket.class);
            assertThat(s.getSoTimeout()).as("reads time out until the caller says otherwise")
                    .isEqualTo(TIMEOUT_MILLIS);
        }
        listener.close();
    }

    @Test
    void theReceiveBufferIsBoundedSoThatABacklogWaitsAtTheServer() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket s = ComponentTransport.plain().connect("127.0.0.1", plain.getLocalPort(), TIMEOUT_MILLIS)) {
            // Set before connecting, which also keeps Linux from growing it (up to tcp_rmem's maximum); Linux
            // reports twice the size asked for, its bookkeeping included.
            assertThat(s.getReceiveBufferSize()).as("the receive buffer is the one asked for, not the system's")
                    .isBetween(ComponentTransport.RECEIVE_BUFFER_BYTES, 2 * ComponentTransport.RECEIVE_BUFFER_BYTES);
        }
        listener.close();
    }
}
