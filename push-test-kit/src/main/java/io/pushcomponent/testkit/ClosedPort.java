package io.pushcomponent.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * A loopback TCP port that refuses every connection, for testing how code behaves when a service is down: the port is
 * bound (so that nothing else gets it while the test runs) but nobody listens on it, so a connection attempt is
 * refused at once, as by a host whose service has stopped.
 *
 * <pre>{@code
 * try (ClosedPort closed = ClosedPort.open()) {
 *     // configure the FCM provider with 'token-uri' = closed.httpUrl("/token")
 * }
 * }</pre>
 *
 * <p>Thread-safe. <b>Lifecycle:</b> {@link #open()} reserves a port chosen by the system, {@link #close()} releases
 * it.
 */
public final class ClosedPort implements AutoCloseable {
    private final Socket reservation;

    private ClosedPort(Socket reservation) {
        this.reservation = reservation;
    }

    /** Reserves a free loopback port on which nobody listens. */
    public static ClosedPort open() throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new ClosedPort(socket);
    }

    /** The port. */
    public int port() {
        return reservation.getLocalPort();
    }

    /** The loopback address. */
    public InetAddress address() {
        return reservation.getLocalAddress();
    }

    /** {@code http://<loopback>:<port><path>}, e.g. for a token URL that refuses connections. */
    public URI httpUrl(String path) {
        String host = address().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + path);
    }

    @Override
    public void close() throws IOException {
        reservation.close();
    }

    @Override
    public String toString() {
        return "ClosedPort[" + address().getHostAddress() + ":" + port() + "]";
    }
}
