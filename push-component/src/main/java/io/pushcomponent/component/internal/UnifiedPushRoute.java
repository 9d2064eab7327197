package io.pushcomponent.component.internal;

import io.pushcomponent.http.HttpRequest;
import io.pushcomponent.http.HttpResponse;
import io.pushcomponent.http.HttpRoute;
import io.pushcomponent.unifiedpush.UnifiedPushDistributor;
import io.pushcomponent.unifiedpush.UnifiedPushSettings;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The UnifiedPush endpoints on the component's public HTTP listener: {@code POST} and {@code GET} of
 * {@code <endpoint path>/<token>} handed to the {@link UnifiedPushDistributor}, whose relayed {@code <push/>} IQs go
 * out through the app server. The listener's thread waits for the client's answer (at most the relay timeout and a
 * little more); its threads are the listener's own and bounded, and beyond them requests queue or get 503 there.
 *
 * <p>Thread-safe.
 */
public final class UnifiedPushRoute implements HttpRoute {
    private static final long GRACE_MILLIS = 2_000;

    private final UnifiedPushDistributor distributor;
    private final UnifiedPushDistributor.Relay relay;
    private final String prefix;
    private final long waitMillis;

    /** @param relay sends the {@code <push/>} IQ (the app server's {@code request}) */
    public UnifiedPushRoute(UnifiedPushDistributor distributor, UnifiedPushDistributor.Relay relay) {
        this.distributor = distributor;
        this.relay = relay;
        this.prefix = mountPath(distributor.settings());
        this.waitMillis = distributor.settings().relayTimeout().toMillis() + GRACE_MILLIS;
    }

    /** Where the route is mounted: the endpoint URL's path with a trailing slash, e.g. {@code /up/}. */
    public static String mountPath(UnifiedPushSettings settings) {
        String path = settings.path();
        return path.endsWith("/") ? path : path + "/";
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws IOException {
        String token = request.path().startsWith(prefix) ? request.path().substring(prefix.length()) : "";
        if (token.isEmpty() || token.indexOf('/') >= 0) {
            return HttpResponse.text(404, "no such endpoint\n");
        }
        if ("GET".equals(request.method())) {
            return response(distributor.discovery());
        }
        if (!"POST".equals(request.method())) {
            return new HttpResponse(405, HttpResponse.TEXT, "use POST\n".getBytes(StandardCharsets.UTF_8),
                    Map.of("Allow", "GET, POST"));
        }
        byte[] body = request.body();
        try {
            return response(distributor.post(token, request.header("TTL"), request.header("Urgency"), body, relay)
                    .toCompletableFuture().get(waitMillis, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while relaying a UnifiedPush message");
        } catch (ExecutionException | TimeoutException e) {
            return new HttpResponse(503, HttpResponse.TEXT, "temporary: no answer in time; try again later\n"
                    .getBytes(StandardCharsets.UTF_8), Map.of("Retry-After", "5"));
        }
    }

    private static HttpResponse response(UnifiedPushDistributor.HttpAnswer answer) {
        return new HttpResponse(answer.status(), answer.contentType(), answer.body(), answer.headers());
    }
}
