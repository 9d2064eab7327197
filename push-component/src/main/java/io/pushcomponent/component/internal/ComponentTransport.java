package io.pushcomponent.component.internal;

import java.io.IOException;
import java.net.IDN;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the component reaches the XMPP server's component port: a plain TCP connection, or direct TLS.
 *
 * <p>XEP-0114 has no STARTTLS: a plain component stream, its handshake (a SHA-1 of the stream id and the shared
 * secret, open to offline guessing) and every stanza travel in clear text, so it belongs on loopback, a private
 * network or a tunnel. Some servers offer TLS from the first byte on a component port instead (ejabberd:
 * {@code tls: true} on an {@code ejabberd_service} listener; Prosody: {@code mod_net_multiplex} on its
 * {@code ssl_ports}, which hands a component stream to the component service); {@link #tls} speaks that.
 *
 * <p>TLS always verifies the server: its certificate chain against the trust store (the JVM's default trust
 * anchors, or the given store) and its name against {@code serverName} (RFC 6125 host name rules, as for HTTPS).
 * There is no way to turn either off. TLS 1.2 or 1.3 only.
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0114.html">XEP-0114: Jabber Component Protocol</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6125">RFC 6125: service identity in TLS</a>
 */
public final class ComponentTransport {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /**
     * The socket's receive buffer (before the kernel's own doubling): a few milliseconds of stanzas at full speed.
     * Left to itself Linux grows it up to {@code tcp_rmem}'s maximum (32 MB here) while the component falls behind,
     * and every byte in it is work that must be done before a new stanza is answered; with it bounded, a server
     * that sends faster than the component answers meets TCP back-pressure at once (the in-flight limit then stops
     * reading), and answers resume within milliseconds when it slows down.
     */
    static final int RECEIVE_BUFFER_BYTES = 256 * 1024;
    private static final ComponentTransport PLAIN = new ComponentTransport(null, null);

    private final SSLSocketFactory tls;
    private final String serverName;

    private ComponentTransport(SSLSocketFactory tls, String serverName) {
        this.tls = tls;
        this.serverName = serverName;
    }

    /** A plain TCP connection: XEP-0114 as written, in clear text. */
    public static ComponentTransport plain() {
        return PLAIN;
    }

    /**
     * Direct TLS, trusting the certificates of {@code trustStore} (PKCS#12 or JKS), or the JVM's default trust
     * anchors when {@code trustStore} is {@code null}.
     *
     * @param trustStore the trust store file, or {@code null} for the JVM's default
     * @param password   the trust store's password, or {@code null} when it has none
     * @param serverName the name the server's certificate must carry, or {@code null} for the host connected to
     * @throws IOException              when the trust store cannot be read
     * @throws GeneralSecurityException when it is not a trust store or TLS is unavailable
     */
    public static ComponentTransport tls(Path trustStore, char[] password, String serverName)
            throws IOException, GeneralSecurityException {
        KeyStore anchors = null;
        if (trustStore != null) {
            anchors = KeyStore.getInstance(trustStore.toFile(), password);
            if (anchors.size() == 0) {
                throw new GeneralSecurityException("the trust store " + trustStore + " holds no certificate");
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return tls(context, serverName);
    }

    /**
     * Direct TLS with {@code context}'s trust managers, which must verify the server (the caller answers for that).
     *
     * @param serverName the name the server's certificate must carry, or {@code null} for the host connected to
     */
    public static ComponentTransport tls(SSLContext context, String serverName) {
        Objects.requireNonNull(context, "context");
        return new ComponentTransport(context.getSocketFactory(), serverName);
    }

    /** {@code true} for TLS. */
    public boolean encrypted() {
        return tls != null;
    }

    /**
     * Connects to {@code host:port}; for TLS, also completes the handshake (and so the server's verification)
     * before returning. Reads on the returned socket time out after {@code timeoutMillis} until the caller changes
     * it.
     *
     * @throws IOException when the connection or the handshake fails, or the server is not who it must be
     */
    public Socket connect(String host, int port, int timeoutMillis) throws IOException {
        // A channel's socket, not a plain one: a plain socket turns its file descriptor non-blocking for good on the
        // first read with a timeout (the handshake's), and from then on every read that finds nothing goes read,
        // poll, read again: three system calls where one blocking read does, for every lone stanza. A channel's
        // socket reads with a timeout in non-blocking mode and then goes back to blocking.
        Socket socket = SocketChannel.open().socket();
        try {
            socket.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            if (tls == null) {
                return socket;
            }
            String name = serverName != null ? serverName : host;
            SSLSocket secure = (SSLSocket) tls.createSocket(socket, name, port, true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setProtocols(PROTOCOLS);
            if (isHostName(name)) {
                parameters.setServerNames(List.of(new SNIHostName(IDN.toASCII(name))));
            }
            secure.setSSLParameters(parameters);
            secure.startHandshake();
            return secure;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return tls == null ? "plain TCP" : "direct TLS" + (serverName == null ? "" : " (server name " + serverName
                + ")");
    }

    /** SNI carries host names only, never IP address literals (RFC 6066 section 3). */
    private static boolean isHostName(String name) {
        return !name.contains(":") && !name.matches("[0-9.]+");
    }
}
