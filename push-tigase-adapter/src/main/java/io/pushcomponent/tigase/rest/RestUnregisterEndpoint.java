package io.pushcomponent.tigase.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcomponent.api.Redaction;
import io.pushcomponent.tigase.rest.internal.HttpExchange;
import io.pushcomponent.tigase.rest.internal.HttpExchange.Refused;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * Tigase's REST call for dropping a device without logging in to XMPP:
 * {@code POST /rest/push/unregister-device/{push-jid}} with the JSON body
 * {@code {"account": "user@example.com", "provider": "tigase:messenger:apns:1", "device-token": "…"}}.
 *
 * <p><b>Answers.</b> Every well-formed request for this push service is answered {@code 200 {"result":"success"}}:
 * afterwards the account has no registration of that token at that provider, whether one was removed now, was never
 * there, belongs to another account (left alone) or the provider is unknown. The answer therefore never tells
 * whether an account has a given token. Everything else is answered {@code {"result":"failure"}} with the status
 * saying what was wrong with the request itself: 400 malformed, 401 missing or wrong secret, 404 another path or
 * push service, 405 not POST, 408 too slow, 411 no {@code Content-Length}, 413 body over the limit, 431 headers over
 * 8 KB, 503 too many connections waiting.
 *
 * <p><b>Shared secret.</b> When {@link RestEndpointSettings#secret()} is set, every request must carry
 * {@code Authorization: Bearer <secret>}; it is checked before anything else, in time independent of how much of it
 * matches.
 *
 * <p><b>Bounded.</b> {@link RestEndpointSettings#threads()} requests are served at once, each on its own thread
 * (the store may block); a connection silent for {@link RestEndpointSettings#readTimeout()} or still sending after
 * {@link RestEndpointSettings#requestTimeout()} is answered 408 and closed, so stalled clients hold a thread for a
 * bounded time only and never block the others. One request per connection ({@code Connection: close}). Bound to
 * loopback by default; expose it only behind HTTPS.
 *
 * <p><b>Lifecycle:</b> {@link #start} binds and serves; {@link #close} stops at once, closes every open connection
 * and releases the port and the threads (a request cut off by it fails on the client, which may send it again).
 * Idempotent; thread-safe.
 */
public final class RestUnregisterEndpoint implements AutoCloseable {
    /** The path prefix; the push service's JID follows it. */
    public static final String PATH = "/rest/push/unregister-device/";

    private static final Logger LOG = LoggerFactory.getLogger(RestUnregisterEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SUCCESS = "{\"result\":\"success\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FAILURE = "{\"result\":\"failure\"}".getBytes(StandardCharsets.UTF_8);
    private static final String BEARER = "bearer ";

    private final ServerSocket server;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;
    private final DeviceUnregistration unregistration;
    private final RestEndpointSettings settings;
    private final byte[] secretDigest;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RestUnregisterEndpoint(ServerSocket server, RestEndpointSettings settings,
                                   DeviceUnregistration unregistration) {
        this.server = server;
        this.settings = settings;
        this.unregistration = unregistration;
        this.secretDigest = settings.secret() == null ? null : sha256(settings.secret());
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.threads() * RestEndpointSettings.QUEUE_PER_THREAD), r -> {
                    Thread t = new Thread(r, "push-rest-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.acceptor = new Thread(this::acceptLoop, "push-rest-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException when the address cannot be bound
     */
    public static RestUnregisterEndpoint start(RestEndpointSettings settings, DeviceUnregistration unregistration)
            throws IOException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(unregistration, "unregistration");
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(settings.bindAddress(), settings.port()), 64);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        RestUnregisterEndpoint endpoint = new RestUnregisterEndpoint(server, settings, unregistration);
        endpoint.acceptor.start();
        LOG.info("REST unregister-device listening on {} ({} threads, shared secret {})", endpoint.address(),
                settings.threads(), settings.secret() == null ? "off" : "required");
        return endpoint;
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
            LOG.debug("closing the REST listening socket failed", e);
        }
        workers.shutdownNow();
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.warn("REST unregister-device stopped accepting connections", e);
                }
                return;
            }
            open.add(socket);
            try {
                workers.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                LOG.debug("REST connection from {} refused: {} requests waiting", socket.getRemoteSocketAddress(),
                        workers.getQueue().size());
                // A fresh connection's send buffer is empty: this short write does not block the acceptor.
                HttpExchange.refuseAtOnce(socket, 503, FAILURE);
                forget(socket);
            }
            if (closed.get()) {
                forget(socket);
            }
        }
    }

    private void serve(Socket socket) {
        try {
            HttpExchange exchange = new HttpExchange(socket, settings.readTimeout(), settings.requestTimeout());
            respond(exchange);
        } catch (Refused r) {
            LOG.debug("REST request from {} refused with {}: {}", socket.getRemoteSocketAddress(), r.status(),
                    r.getMessage());
            HttpExchange.refuseQuietly(socket, r.status(), r.headers(), FAILURE);
        } catch (SocketException e) {
            LOG.debug("REST connection from {} ended: {}", socket.getRemoteSocketAddress(), e.toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn("REST unregister-device failed", e);
            HttpExchange.refuseQuietly(socket, 500, new String[0], FAILURE);
        } finally {
            forget(socket);
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        String path = exchange.path();
        if (!path.startsWith(PATH) || path.length() == PATH.length()) {
            throw new Refused(404, "no such path");
        }
        if (secretDigest != null && !authorised(exchange.header("authorization"))) {
            throw new Refused(401, "missing or wrong secret", "WWW-Authenticate", "Bearer realm=\"push\"");
        }
        if (!"POST".equals(exchange.method())) {
            throw new Refused(405, "method " + exchange.method(), "Allow", "POST");
        }
        if (!unregistration.serves(path.substring(PATH.length()))) {
            throw new Refused(404, "another push service");
        }
        byte[] body = exchange.body(settings.maxRequestBytes());
        Request request = Request.parse(body);
        if (request == null) {
            throw new Refused(400, "not a JSON object with account, provider and device-token");
        }
        unregistration.unregister(request.account(), request.provider(), request.token());
        exchange.reply(200, SUCCESS);
    }

    /** Compares digests, so the time taken depends neither on the length nor on the content of either secret. */
    private boolean authorised(String authorization) {
        String presented = authorization != null && authorization.length() > BEARER.length()
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).trim() : "";
        return MessageDigest.isEqual(sha256(presented), secretDigest) && !presented.isEmpty();
    }

    private void forget(Socket socket) {
        open.remove(socket);
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.trace("closing a REST connection failed", e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private record Request(String account, String provider, String token) {
        /** The request in {@code body}, or {@code null} when it is not a JSON object with the three strings. */
        static Request parse(byte[] body) {
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
            if (json == null || !json.isObject()) {
                return null;
            }
            String account = text(json, "account");
            String provider = text(json, "provider");
            String token = text(json, "device-token");
            return account == null || provider == null || token == null ? null : new Request(account, provider, token);
        }

        private static String text(JsonNode json, String field) {
            JsonNode v = json.get(field);
            return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
        }

        @Override
        public String toString() {
            return "Request[account=" + account + ", provider=" + provider + ", token="
                    + Redaction.token(token) + "]";
        }
    }
}
