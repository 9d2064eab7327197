package io.pushcomponent.tigase.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pushcomponent.api.Redaction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tigase's REST call for dropping a device without logging in to XMPP:
 * {@code POST /rest/push/unregister-device/{push-jid}} with the JSON body
 * {@code {"account": "user@example.com", "provider": "tigase:messenger:apns:1", "device-token": "…"}}, answered with
 * {@code {"result": "success"}} when the account's registration was removed and {@code {"result": "failure"}}
 * otherwise (HTTP 200 for both, as Tigase does). Malformed requests get {@code failure} with 400, other paths 404,
 * other methods 405, bodies over the limit 413.
 *
 * <p>Served by the JDK's built-in HTTP server ({@code jdk.httpserver}) on two daemon threads, since
 * {@link DeviceUnregistration} may block on the store. Bound to loopback by default; expose it only behind HTTPS.
 *
 * <p><b>Lifecycle:</b> {@link #start} binds and serves; {@link #close} stops at once and releases the port and the
 * threads (a request cut off by it fails on the client, which may send it again). Idempotent; thread-safe.
 */
public final class RestUnregisterEndpoint implements AutoCloseable {
    /** The path prefix; the push service's JID follows it. */
    public static final String PATH = "/rest/push/unregister-device/";

    private static final Logger LOG = LoggerFactory.getLogger(RestUnregisterEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SUCCESS = "{\"result\":\"success\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FAILURE = "{\"result\":\"failure\"}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor;
    private final DeviceUnregistration unregistration;
    private final int maxRequestBytes;

    private RestUnregisterEndpoint(HttpServer server, ExecutorService executor, DeviceUnregistration unregistration,
                                   int maxRequestBytes) {
        this.server = server;
        this.executor = executor;
        this.unregistration = unregistration;
        this.maxRequestBytes = maxRequestBytes;
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
        HttpServer server = HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 16);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "push-rest-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        RestUnregisterEndpoint endpoint = new RestUnregisterEndpoint(server, executor, unregistration,
                settings.maxRequestBytes());
        server.createContext("/", endpoint::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("REST unregister-device listening on {}", server.getAddress());
        return endpoint;
    }

    /** The bound address (with the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            respond(exchange);
        } catch (RuntimeException e) {
            LOG.warn("REST unregister-device failed", e);
            reply(exchange, 500, FAILURE);
        } finally {
            exchange.close();
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!path.startsWith(PATH) || path.length() == PATH.length()) {
            reply(exchange, 404, FAILURE);
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            reply(exchange, 405, FAILURE);
            return;
        }
        String pushJid = path.substring(PATH.length());
        if (!unregistration.serves(pushJid)) {
            reply(exchange, 404, FAILURE);
            return;
        }
        byte[] body = readBounded(exchange);
        if (body == null) {
            reply(exchange, 413, FAILURE);
            return;
        }
        Request request = Request.parse(body);
        if (request == null) {
            reply(exchange, 400, FAILURE);
            return;
        }
        boolean removed = unregistration.unregister(request.account(), request.provider(), request.token());
        reply(exchange, 200, removed ? SUCCESS : FAILURE);
    }

    /** The body, or {@code null} when it is longer than the limit. */
    private byte[] readBounded(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > maxRequestBytes) {
                    return null;
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(maxRequestBytes + 1);
            return body.length > maxRequestBytes ? null : body;
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] json) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
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
