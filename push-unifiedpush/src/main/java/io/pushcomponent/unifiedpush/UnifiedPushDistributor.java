package io.pushcomponent.unifiedpush;

import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.dialect.Dialect;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.unifiedpush.internal.Distributor;
import io.pushcomponent.unifiedpush.internal.UpAppServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A UnifiedPush distributor for XMPP clients: a client (Conversations) sends {@code <register application instance/>}
 * to the push service and gets an endpoint URL; an application server posts a message to that URL (RFC 8030); the
 * message reaches the client as a {@code <push/>} IQ through the XMPP server, with no FCM or APNs in between.
 *
 * <pre>{@code
 * UnifiedPushDistributor up = UnifiedPushDistributor.open(
 *         UnifiedPushSettings.of(URI.create("https://push.example.net/up")), store);
 * PushAppServer server = PushAppServer.builder().jid("push.example.net").store(store)
 *         .provider("fcm-http-v1", fcm).dialect(up.dialect()).sender(connection::send).build();
 * // HTTP: POST https://push.example.net/up/<token>
 * up.post(token, request.header("TTL"), request.header("Urgency"), body, server::request)
 *         .thenAccept(answer -> respond(answer.status(), answer.headers(), answer.body()));
 * }</pre>
 *
 * <ul>
 *   <li><b>Stateless endpoints.</b> The endpoint's token carries the client's full JID, the application, the
 *       instance, the issue time and the expiry, sealed (AES-256-GCM, so signed and unreadable) with a key kept in
 *       the store ({@link DeviceRegistrationStore#serviceKey}): nothing is stored per endpoint, and an endpoint
 *       issued before a restart, or by another instance on the same store, works.</li>
 *   <li><b>Revocation.</b> {@code <unregister/>}, or the client answering a relayed message with
 *       {@code item-not-found} or {@code feature-not-implemented}, records a revocation in the store
 *       ({@link DeviceRegistrationStore#revoke}); posts to the endpoint then get {@code 410}, as after its expiry.
 *       Other instances see it within 5 s. A token that was not issued here gets {@code 404}.</li>
 *   <li><b>HTTP</b> (RFC 8030 subset): {@code POST} with an optional {@code TTL} (nothing is stored: the answer says
 *       {@code TTL: 0}) and {@code Urgency}; {@code 201 Created} with a {@code Location} once the client answered;
 *       {@code 413} over 4,096 bytes; {@code 429} with {@code Retry-After} beyond the endpoint's rate;
 *       {@code 503} with {@code Retry-After} for everything temporary (the client is offline, answered another
 *       error or not in time; too many messages wait). {@code GET} answers the UnifiedPush discovery document.</li>
 *   <li><b>Urgency</b> decides who waits when many messages wait for their clients: {@code very-low} messages are
 *       refused beyond a quarter of {@link UnifiedPushSettings#maxWaiting()}, {@code low} beyond half,
 *       {@code normal} beyond 90 %, {@code high} only at the limit.</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> thread-safe; nothing blocks the caller (store calls run on the distributor's own
 * threads). <b>Lifecycle:</b> {@link #close()} stops those threads; the store stays the caller's.
 *
 * @see <a href="https://unifiedpush.org/">UnifiedPush</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8030">RFC 8030: Generic Event Delivery Using HTTP Push</a>
 */
public final class UnifiedPushDistributor implements AutoCloseable {
    /** Sends an IQ request to a client and completes with its answer; {@code PushAppServer::request} is one. */
    @FunctionalInterface
    public interface Relay {
        /** Sends {@code request} and completes with the answer, or exceptionally after {@code timeout}. */
        CompletionStage<Iq> send(Iq request, Duration timeout);
    }

    /**
     * The answer to an HTTP request of an endpoint.
     *
     * @param status      the HTTP status
     * @param headers     extra headers ({@code Location}, {@code TTL}, {@code Retry-After})
     * @param contentType the body's type
     * @param body        the body (a short explanation, or the discovery document)
     */
    public record HttpAnswer(int status, Map<String, String> headers, String contentType, byte[] body) {
        public HttpAnswer {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }
    }

    private final Distributor distributor;
    private final UnifiedPushDialect dialect;

    private UnifiedPushDistributor(Distributor distributor) {
        this.distributor = distributor;
        this.dialect = new UnifiedPushDialect(new UpAppServer(distributor));
    }

    /**
     * A distributor whose endpoint key lives in {@code store} (read, or made, on first use).
     *
     * @param store a store that keeps service keys and revocations (push-core's do)
     */
    public static UnifiedPushDistributor open(UnifiedPushSettings settings, DeviceRegistrationStore store) {
        return new UnifiedPushDistributor(new Distributor(Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(store, "store"), Clock.systemUTC()));
    }

    /** The settings it runs with. */
    public UnifiedPushSettings settings() {
        return distributor.settings();
    }

    /** Its dialect, for the app server: {@code <register/>} and {@code <unregister/>}. */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Answers a {@code POST} to an endpoint: relays the message to the client and answers with what came of it.
     *
     * @param token   the endpoint URL's last path segment
     * @param ttl     the request's {@code TTL} header, or {@code null}
     * @param urgency the request's {@code Urgency} header, or {@code null}
     * @param body    the message (refused over 4,096 bytes)
     * @param relay   sends the {@code <push/>} IQ to the client
     * @return the answer; never completes exceptionally
     */
    public CompletionStage<HttpAnswer> post(String token, String ttl, String urgency, byte[] body, Relay relay) {
        Objects.requireNonNull(relay, "relay");
        return distributor.post(token, ttl, urgency, body, relay::send).thenApply(UnifiedPushDistributor::http);
    }

    /** Answers a {@code GET} of an endpoint: the UnifiedPush discovery document. */
    public HttpAnswer discovery() {
        return http(distributor.discovery());
    }

    /** Relayed messages waiting for their client's answer now. */
    public int waiting() {
        return distributor.waiting();
    }

    private static HttpAnswer http(Distributor.Answer answer) {
        return new HttpAnswer(answer.status(), answer.headers(), answer.json() ? "application/json"
                : "text/plain; charset=utf-8", answer.body().getBytes(StandardCharsets.UTF_8));
    }

    /** Stops the distributor's store threads. Idempotent. */
    @Override
    public void close() {
        distributor.close();
    }
}
