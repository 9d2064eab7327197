package io.pushcomponent.component.internal;

import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.core.app.Administration;
import io.pushcomponent.http.HttpRefusal;
import io.pushcomponent.http.HttpRequest;
import io.pushcomponent.http.HttpResponse;
import io.pushcomponent.http.HttpRoute;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The administrators' operations over HTTP, the same as the {@code push-admin#...} ad-hoc commands
 * ({@link Administration}), for the component's admin listener, where they are served only with the admin bearer
 * token. JSON answers; what changes something is a {@code POST} with a form body
 * ({@code application/x-www-form-urlencoded}), so that device tokens never travel in a URL (and never reach an
 * access log):
 *
 * <ul>
 *   <li>{@code GET /admin/registrations?owner=<bare JID>}: the account's registrations with their diagnostics</li>
 *   <li>{@code POST /admin/registrations/remove} with {@code owner}, or {@code node}, or {@code provider} and
 *       {@code token}: removes them, answers {@code {"removed": n}}</li>
 *   <li>{@code GET /admin/provider-counts}: registrations per provider</li>
 *   <li>{@code POST /admin/test-push} with {@code node}: sends a test notification, answers {@code delivered} and,
 *       when it failed, {@code condition} and {@code text}; 404 for a node without a registration</li>
 * </ul>
 *
 * <p>Every operation is logged by {@link Administration} with the client's address as who asked. A malformed
 * request is 400, a wrong method 405, a store that does not answer within {@link #TIMEOUT} 503.
 *
 * <p>Thread-safe; blocks the listener's thread (its own) until the store or provider answers.
 */
public final class AdminRoutes {
    /** Where the routes are mounted (every path below it). */
    public static final String PATH = "/admin/";
    static final String REGISTRATIONS = "/admin/registrations";
    static final String REMOVE = "/admin/registrations/remove";
    static final String COUNTS = "/admin/provider-counts";
    static final String TEST_PUSH = "/admin/test-push";
    /** How long a request waits for the store or the provider. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Administration administration;

    public AdminRoutes(Administration administration) {
        this.administration = Objects.requireNonNull(administration, "administration");
    }

    /** The route serving every path below {@link #PATH}. */
    public HttpRoute route() {
        return this::handle;
    }

    private HttpResponse handle(HttpRequest request) throws IOException {
        String actor = "http " + request.remoteAddress().getAddress().getHostAddress();
        switch (request.path()) {
            case REGISTRATIONS -> {
                requireMethod(request, "GET");
                String owner = required(parse(request.query()), "owner");
                List<Administration.RegistrationReport> reports = await(administration.listByOwner(actor, owner));
                StringBuilder json = new StringBuilder("{\"owner\":").append(string(owner))
                        .append(",\"registrations\":[");
                for (int i = 0; i < reports.size(); i++) {
                    json.append(i == 0 ? "" : ",").append(report(reports.get(i)));
                }
                return json(200, json.append("]}").toString());
            }
            case REMOVE -> {
                requireMethod(request, "POST");
                Map<String, String> form = parse(new String(request.body(), StandardCharsets.UTF_8));
                String owner = form.get("owner");
                String node = form.get("node");
                String provider = form.get("provider");
                String token = form.get("token");
                int ways = (owner != null ? 1 : 0) + (node != null ? 1 : 0)
                        + (provider != null || token != null ? 1 : 0);
                if (ways != 1 || (provider == null) != (token == null)) {
                    throw new HttpRefusal(400, "give exactly one of: owner; node; provider and token");
                }
                int removed = await(owner != null ? administration.removeByOwner(actor, owner)
                        : node != null ? administration.removeByNode(actor, node)
                        : administration.removeByToken(actor, provider, token));
                return json(200, "{\"removed\":" + removed + "}");
            }
            case COUNTS -> {
                requireMethod(request, "GET");
                Map<String, Long> counts = await(administration.countByProvider(actor));
                StringBuilder json = new StringBuilder("{");
                counts.forEach((provider, n) -> json.append(json.length() > 1 ? "," : "").append(string(provider))
                        .append(':').append(n));
                return json(200, json.append('}').toString());
            }
            case TEST_PUSH -> {
                requireMethod(request, "POST");
                String node = required(parse(new String(request.body(), StandardCharsets.UTF_8)), "node");
                Administration.TestPushOutcome outcome = await(administration.testPush(actor, node))
                        .orElseThrow(() -> new HttpRefusal(404, "no registration has this node"));
                return json(200, outcome.delivered() ? "{\"delivered\":true}"
                        : "{\"delivered\":false,\"condition\":" + string(outcome.condition()) + ",\"text\":"
                        + string(outcome.text()) + "}");
            }
            default -> throw new HttpRefusal(404, "no admin route " + request.path());
        }
    }

    private static void requireMethod(HttpRequest request, String method) throws HttpRefusal {
        if (!method.equals(request.method())) {
            throw new HttpRefusal(405, request.method() + " not allowed", "Allow", method);
        }
    }

    private static String required(Map<String, String> form, String name) throws HttpRefusal {
        String value = form.get(name);
        if (value == null) {
            throw new HttpRefusal(400, "'" + name + "' is required");
        }
        return value;
    }

    /** A query or form body ({@code a=1&b=2}, percent-encoded); blank values count as absent. */
    static Map<String, String> parse(String encoded) throws HttpRefusal {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)
                        .trim();
                if (!value.isEmpty()) {
                    values.put(name, value);
                }
            } catch (IllegalArgumentException e) {
                throw new HttpRefusal(400, "malformed percent-encoding");
            }
        }
        return values;
    }

    private static <T> T await(CompletionStage<T> stage) throws HttpRefusal {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpRefusal(503, "interrupted");
        } catch (TimeoutException e) {
            throw new HttpRefusal(503, "the registration store did not answer in time");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException) {
                throw new HttpRefusal(400, e.getCause().getMessage());
            }
            throw new HttpRefusal(503, "the registration store failed");
        }
    }

    private static String report(Administration.RegistrationReport r) {
        DeliveryDiagnostics d = r.diagnostics();
        return "{\"node\":" + string(r.node()) + ",\"provider\":" + string(r.providerId()) + ",\"token\":"
                + string(r.token()) + ",\"created\":" + time(r.createdAt()) + ",\"lastSuccess\":"
                + time(d.lastSuccess()) + ",\"lastFailure\":" + time(d.lastFailure()) + ",\"failureReason\":"
                + string(d.lastFailureReason()) + ",\"failureCondition\":" + string(d.lastFailureCondition())
                + ",\"successes\":" + d.successes() + ",\"failures\":" + d.failures() + "}";
    }

    private static String time(Instant instant) {
        return instant == null ? "null" : string(instant.toString());
    }

    /** A JSON string (RFC 8259 §7), or {@code null}. */
    static String string(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static HttpResponse json(int status, String body) {
        return HttpResponse.of(status, HttpResponse.JSON, body);
    }
}
