package io.pushcomponent.http;

import io.pushcomponent.http.internal.HttpExchange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's one HTTP/1.1 server: a listening socket, a bounded pool of threads of its own, and the routes
 * mounted on it by path. Every HTTP endpoint of the project (metrics, health, admin, Tigase's REST call, UnifiedPush)
 * is a {@link HttpRoute} on one of these.
 *
 * <p><b>Bounded.</b> {@link HttpListenerSettings#threads()} requests are served at once; up to
 * {@value HttpListenerSettings#QUEUE_PER_THREAD} connections per thread wait, further ones are answered 503 at once.
 * A client silent for {@link HttpListenerSettings#readTimeout()} or still sending after
 * {@link HttpListenerSettings#requestTimeout()} is answered 408 and closed, so a slow client holds a thread for a
 * bounded time only. The request line and headers may take {@value HttpExchange#MAX_HEAD_BYTES} bytes (else 431),
 * a body {@link HttpListenerSettings#maxRequestBytes()} (else 413). One request per connection
 * ({@code Connection: close}); no TLS: bind to loopback (the default) and put an HTTPS reverse proxy in front to
 * expose it.
 *
 * <p><b>RFC 9112.</b> A malformed request line or header, an HTTP/1.1 request without exactly one {@code Host}, a
 * control character (other than CR, LF and HTAB) anywhere in the head, a {@code Content-Length} that is not digits,
 * or both it and a {@code Transfer-Encoding} is 400; a control character, and a TLS handshake sent to this plain
 * listener (its first byte, 0x16), are answered 400 as soon as they are read, not after the read timeout. A method
 * RFC 9110 does not define or a transfer coding other than {@code chunked} is 501; HTTP/2 or later over this
 * connection is 505. A {@code HEAD} is served as a {@code GET} without the body; a target in absolute form is
 * accepted.
 *
 * <p><b>Routes.</b> {@link #mount} maps a path to a route: a path ending in {@code /} serves every path below it,
 * any other path only itself; the longest match wins. Unmatched paths get 404. Refusals before the path is known
 * (a malformed or slow request head, 503 for a full queue) are answered with the {@link HttpRoute#refusal} of the
 * route mounted at {@code /}, if any. Routes may be mounted while the listener serves.
 *
 * <p><b>Lifecycle:</b> {@link #start} binds and serves; {@link #close} stops at once, closes every open connection
 * and releases the port and the threads (a request cut off by it fails on the client, which may send it again).
 * Idempotent. <b>Thread-safety:</b> thread-safe.
 */
public final class HttpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);
    /** How long {@link #close()} waits for the accepting thread to let go of the listening socket. */
    private static final long ACCEPTOR_EXIT_WAIT_MILLIS = 5_000;
    private static final HttpRoute NOT_FOUND = request -> {
        throw new HttpRefusal(404, "nothing mounted at " + request.path());
    };

    private final String name;
    private final ServerSocket server;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;
    private final HttpListenerSettings settings;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile List<Mount> routes = List.of();

    private record Mount(String path, HttpRoute route) {
        boolean matches(String requestPath) {
            return path.endsWith("/") ? requestPath.startsWith(path) : requestPath.equals(path);
        }
    }

    private HttpListener(String name, ServerSocket server, HttpListenerSettings settings) {
        this.name = name;
        this.server = server;
        this.settings = settings;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.threads() * HttpListenerSettings.QUEUE_PER_THREAD), r -> {
                    Thread t = new Thread(r, "push-http-" + name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.acceptor = new Thread(this::acceptLoop, "push-http-" + name + "-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds and starts serving; nothing is mounted yet (every path is 404).
     *
     * @param name     names the listener in logs and thread names, e.g. {@code admin}
     * @param settings where to listen and the limits
     * @throws IOException when the address cannot be bound
     */
    public static HttpListener start(String name, HttpListenerSettings settings) throws IOException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(settings, "settings");
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(settings.bindAddress(), settings.port()), 64);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        HttpListener listener = new HttpListener(name, server, settings);
        listener.acceptor.start();
        LOG.info("HTTP listener '{}' on {} ({} threads)", name, listener.address(), settings.threads());
        return listener;
    }

    /**
     * Serves {@code path} (and, when it ends in {@code /}, every path below it) with {@code route}.
     *
     * @param path  an absolute path, e.g. {@code /metrics} or {@code /admin/}
     * @throws IllegalArgumentException when the path does not start with {@code /}
     * @throws IllegalStateException    when something is mounted at that path already
     */
    public synchronized void mount(String path, HttpRoute route) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(route, "route");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with '/': " + path);
        }
        if (routes.stream().anyMatch(m -> m.path().equals(path))) {
            throw new IllegalStateException("HTTP listener '" + name + "' has a route at " + path + " already");
        }
        List<Mount> next = new ArrayList<>(routes);
        next.add(new Mount(path, route));
        next.sort(Comparator.comparingInt((Mount m) -> m.path().length()).reversed());
        routes = List.copyOf(next);
        LOG.debug("HTTP listener '{}' serves {}", name, path);
    }

    /** The paths mounted, longest first. */
    public List<String> paths() {
        return routes.stream().map(Mount::path).toList();
    }

    /** The name given at {@link #start}. */
    public String name() {
        return name;
    }

    /** The settings it runs with. */
    public HttpListenerSettings settings() {
        return settings;
    }

    /** The bound address (with the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the listening socket of '{}' failed", name, e);
        }
        workers.shutdownNow();
        for (Socket s : open) {
            closeQuietly(s);
        }
        // The JDK releases a listening socket that a thread is blocked accepting on only when that thread leaves
        // accept(): wait for the acceptor, so the port is free when close() returns.
        try {
            acceptor.join(ACCEPTOR_EXIT_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.warn("HTTP listener '{}' stopped accepting connections", name, e);
                }
                return;
            }
            open.add(socket);
            try {
                workers.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                if (closed.get()) {
                    // close() shut the workers down after this connection was accepted: it ends unanswered, as
                    // every other connection in progress does.
                    forget(socket);
                    return;
                }
                LOG.debug("HTTP connection to '{}' from {} refused: {} requests waiting", name,
                        socket.getRemoteSocketAddress(), workers.getQueue().size());
                // A fresh connection's send buffer is empty: this short write does not block the acceptor.
                HttpExchange.refuseAtOnce(socket, route("/").refusal(503));
                forget(socket);
            }
            if (closed.get()) {
                forget(socket);
            }
        }
    }

    private void serve(Socket socket) {
        // Until the path is known, refusals are answered as the route at "/" (if any) answers them.
        HttpRoute route = route("/");
        HttpExchange exchange = null;
        try {
            exchange = new HttpExchange(socket, settings.readTimeout(), settings.requestTimeout(),
                    settings.maxRequestBytes());
            route = route(exchange.path());
            exchange.reply(route.handle(exchange));
        } catch (HttpRefusal r) {
            LOG.debug("HTTP request to '{}' from {} refused with {}: {}", name, socket.getRemoteSocketAddress(),
                    r.status(), r.getMessage());
            HttpResponse answer = route.refusal(r.status());
            Map<String, String> headers = new LinkedHashMap<>(answer.headers());
            headers.putAll(r.headers());
            HttpExchange.refuseQuietly(socket, new HttpResponse(r.status(), answer.contentType(), answer.body(),
                    headers), exchange != null && exchange.isHead());
        } catch (SocketException e) {
            LOG.debug("HTTP connection to '{}' from {} ended: {}", name, socket.getRemoteSocketAddress(),
                    e.toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn("HTTP request to '{}' failed", name, e);
            HttpExchange.refuseQuietly(socket, route.refusal(500), exchange != null && exchange.isHead());
        } finally {
            forget(socket);
        }
    }

    private HttpRoute route(String path) {
        for (Mount m : routes) {
            if (m.matches(path)) {
                return m.route();
            }
        }
        return NOT_FOUND;
    }

    private void forget(Socket socket) {
        open.remove(socket);
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.trace("closing an HTTP connection failed", e);
        }
    }
}
