package io.pushcomponent.tigase.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcomponent.api.Redaction;
import io.pushcomponent.http.BearerToken;
import io.pushcomponent.http.HttpListener;
import io.pushcomponent.http.HttpRefusal;
import io.pushcomponent.http.HttpRequest;
import io.pushcomponent.http.HttpResponse;
import io.pushcomponent.http.HttpRoute;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
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
 * <p><b>Served by the project's HTTP server</b> ({@link HttpListener}): {@link #start} runs a listener of its own
 * with the route mounted at {@code /} (it answers 404 outside {@link #PATH}); {@link #route} gives the route alone, to mount on a listener that serves
 * other routes too. The listener bounds threads, request sizes and how long a client may take
 * ({@link RestEndpointSettings#threads()}, {@link RestEndpointSettings#readTimeout()},
 * {@link RestEndpointSettings#requestTimeout()}), so stalled clients hold a thread for a bounded time only and never
 * block the others. Bound to loopback by default; expose it only behind HTTPS.
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
    private static final String SUCCESS = "{\"result\":\"success\"}";
    private static final String FAILURE = "{\"result\":\"failure\"}";

    private final HttpListener listener;

    private RestUnregisterEndpoint(HttpListener listener) {
        this.listener = listener;
    }

    /**
     * Binds a listener of its own and serves the call at {@link #PATH}.
     *
     * @throws IOException when the address cannot be bound
     */
    public static RestUnregisterEndpoint start(RestEndpointSettings settings, DeviceUnregistration unregistration)
            throws IOException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(unregistration, "unregistration");
        HttpListener listener = HttpListener.start("rest", settings.listenerSettings());
        // At "/": every path of its own listener, so that every refusal is answered {"result":"failure"}.
        listener.mount("/", route(settings.secret(), unregistration));
        LOG.info("REST unregister-device listening on {} ({} threads, shared secret {})", listener.address(),
                settings.threads(), settings.secret() == null ? "off" : "required");
        return new RestUnregisterEndpoint(listener);
    }

    /**
     * The call as a route, to mount at {@link #PATH} on a listener of the host's (it answers 404 outside it): requests must carry
     * {@code Authorization: Bearer <secret>} unless {@code secret} is {@code null}.
     */
    public static HttpRoute route(String secret, DeviceUnregistration unregistration) {
        Objects.requireNonNull(unregistration, "unregistration");
        return new Route(secret == null ? null : BearerToken.of(secret), unregistration);
    }

    /** The bound address (with the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return listener.address();
    }

    @Override
    public void close() {
        listener.close();
    }

    private record Route(BearerToken secret, DeviceUnregistration unregistration) implements HttpRoute {
        @Override
        public HttpResponse handle(HttpRequest request) throws IOException {
            String path = request.path();
            if (!path.startsWith(PATH) || path.length() == PATH.length()) {
                throw new HttpRefusal(404, "no such path");
            }
            if (secret != null) {
                secret.require(request);
            }
            if (!"POST".equals(request.method())) {
                throw new HttpRefusal(405, "method " + request.method(), "Allow", "POST");
            }
            if (!unregistration.serves(path.substring(PATH.length()))) {
                throw new HttpRefusal(404, "another push service");
            }
            Request parsed = Request.parse(request.body());
            if (parsed == null) {
                throw new HttpRefusal(400, "not a JSON object with account, provider and device-token");
            }
            unregistration.unregister(parsed.account(), parsed.provider(), parsed.token());
            return HttpResponse.of(200, HttpResponse.JSON, SUCCESS);
        }

        @Override
        public HttpResponse refusal(int status) {
            return HttpResponse.of(status, HttpResponse.JSON, FAILURE);
        }

        @Override
        public String toString() {
            return "RestUnregisterEndpoint.Route[secret " + (secret == null ? "off" : "required") + "]";
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
