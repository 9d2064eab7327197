package io.pushcomponent.provider.apns;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Redaction;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.provider.apns.ApnsConfig.App;
import io.pushcomponent.provider.apns.ApnsConfig.Credentials;
import io.pushcomponent.provider.apns.ApnsConfig.Endpoint;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers pushes through APNs with pushy: one pushy client per set of credentials and environment (production,
 * sandbox), all sharing one event loop group; {@code pool-size} HTTP/2 connections each, opened on first use.
 *
 * <p>A registration's app id picks the app (bundle id); none picks the default app. A push goes to the sandbox
 * when the app is configured for it or the registration says so ({@link io.pushcomponent.api.Device#sandbox()}).
 * Rejections that mean "overloaded" ({@code TooManyRequests}, {@code InternalServerError},
 * {@code ServiceUnavailable}, {@code Shutdown}) are tried again on the event loop after the
 * {@link io.pushcomponent.api.RetryPolicy} of {@code retry-backoff}, {@code max-retry-delay} and
 * {@code retry-attempts}, then reported as transient. While APNs cannot be connected to, sends fail at once
 * ({@link ConnectionHealth}) instead of waiting behind pushy's reconnect delays.
 *
 * <p><b>Thread-safety:</b> thread-safe. <b>Blocking:</b> {@link #send} builds the payload on the caller's thread
 * and returns; everything else happens on pushy's event loop. <b>Lifecycle:</b> ready when constructed;
 * {@link #close()} closes the connections and the event loop, and sends after it complete exceptionally.
 */
final class ApnsPushProvider implements PushProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ApnsPushProvider.class);
    private static final Duration EXPIRY_WARNING = Duration.ofDays(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** The device token {@link #checkOnline()} pushes to: well-formed, and no device has it. */
    static final String CHECK_TOKEN = "0".repeat(64);
    /** How much longer than {@code connect-timeout} {@link #checkOnline()} waits for APNs' answer. */
    private static final Duration CHECK_GRACE = Duration.ofSeconds(10);
    /** APNs' answers to {@link #CHECK_TOKEN} that mean the connection and credentials work. */
    private static final Set<String> CHECK_ANSWERS = Set.of("BadDeviceToken", "DeviceTokenNotForTopic",
            "Unregistered");

    private final ApnsConfig config;
    private final ApnsPayload payloads;
    private final EventLoopGroup eventLoop;
    private final Map<Credentials, ApnsClient> productionClients = new LinkedHashMap<>();
    private final Map<Credentials, ApnsClient> sandboxClients = new LinkedHashMap<>();
    private final Map<ApnsClient, ConnectionHealth> health = new LinkedHashMap<>();
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final Route defaultRoute;
    private volatile boolean closed;

    ApnsPushProvider(ApnsConfig config) {
        this.config = config;
        this.payloads = new ApnsPayload(config);
        int threads = Math.max(1, Math.min(config.poolSize(), Runtime.getRuntime().availableProcessors()));
        this.eventLoop = new NioEventLoopGroup(threads, new DefaultThreadFactory("apns", true));
        try {
            for (App app : config.apps()) {
                checkExpiry(app);
                ApnsClient sandboxClient = client(app.credentials(), true);
                ApnsClient productionClient = app.sandbox() ? sandboxClient : client(app.credentials(), false);
                routes.put(app.topic(), new Route(app.topic(), productionClient, sandboxClient));
            }
            defaultRoute = routes.get(config.defaultApp().topic());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("APNs provider ready: apps {}, pool-size {}, production {}:{}, sandbox {}:{}", config.apps(),
                config.poolSize(), config.production().host(), config.production().port(), config.sandbox().host(),
                config.sandbox().port());
    }

    @Override
    public CompletionStage<DeliveryResult> send(PushRequest request) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the APNs provider is closed"));
        }
        String appId = request.device().appId();
        Route route = appId == null ? defaultRoute : routes.get(appId);
        if (route == null) {
            return CompletableFuture.completedFuture(DeliveryResult.Rejected.of(RejectionReason.BAD_REQUEST,
                    "no APNs app is configured for bundle id '" + appId + "'; configured: " + routes.keySet()));
        }
        ApnsPayload.Outgoing outgoing = payloads.build(request, route.topic());
        if (outgoing.isTooLarge()) {
            return CompletableFuture.completedFuture(DeliveryResult.Rejected.of(RejectionReason.PAYLOAD_TOO_LARGE,
                    "payload of " + outgoing.payloadSize() + " bytes exceeds APNs' limit of " + outgoing.limit()
                            + " bytes for " + outgoing.pushType().getHeaderValue() + " pushes"));
        }
        ApnsClient client = request.device().sandbox() ? route.sandbox() : route.production();
        CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
        ConnectionHealth connection = health.get(client);
        switch (connection.permit()) {
            case SEND -> attempt(client, outgoing.toNotification(), 1, result);
            case PROBE -> probe(client, connection, outgoing.toNotification(), result);
            case REFUSE -> result.completeExceptionally(new ConnectException("APNs at " + endpoint(client)
                    + " cannot be connected to (the last attempt failed); one push at a time tries again"));
        }
        return result;
    }

    /**
     * Sends the one push that makes pushy connect again. pushy first waits its reconnect delay (up to a minute), so
     * the push is answered as failed after {@code connect-timeout} if it has not gone out by then; pushy goes on
     * trying in the background (the push is delivered when it connects), and no other probe starts until it is done.
     */
    private void probe(ApnsClient client, ConnectionHealth connection, SimpleApnsPushNotification notification,
                       CompletableFuture<DeliveryResult> result) {
        CompletableFuture<DeliveryResult> outcome = new CompletableFuture<>();
        outcome.whenComplete((r, e) -> {
            connection.probeDone();
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(r);
            }
        });
        try {
            eventLoop.schedule(() -> result.completeExceptionally(new ConnectException("APNs at " + endpoint(client)
                            + " could not be connected to within " + config.connectTimeout().toMillis()
                            + " ms; still trying in the background")),
                    config.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("the APNs provider is closed", e));
            return;
        }
        attempt(client, notification, 1, outcome);
    }

    private String endpoint(ApnsClient client) {
        Endpoint e = sandboxClients.containsValue(client) ? config.sandbox() : config.production();
        return e.host() + ":" + e.port();
    }

    private void attempt(ApnsClient client, SimpleApnsPushNotification notification, int attempt,
                         CompletableFuture<DeliveryResult> result) {
        client.sendNotification(notification).whenComplete((response, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else if (response.isAccepted()) {
                result.complete(new DeliveryResult.Delivered(response.getApnsId().toString()));
            } else {
                rejected(client, notification, attempt, result, response);
            }
        });
    }

    private void rejected(ApnsClient client, SimpleApnsPushNotification notification, int attempt,
                          CompletableFuture<DeliveryResult> result,
                          PushNotificationResponse<SimpleApnsPushNotification> response) {
        String reason = response.getRejectionReason().orElse(null);
        int status = response.getStatusCode();
        Duration delay = ApnsRejection.isRetryable(reason, status) && !closed
                ? config.retry().nextDelay(attempt - 1, null).orElse(null) : null;
        if (delay != null) {
            try {
                eventLoop.schedule(() -> attempt(client, notification, attempt + 1, result),
                        delay.toNanos(), TimeUnit.NANOSECONDS)
                        .addListener(f -> {
                            if (f.isCancelled()) {
                                result.completeExceptionally(new IllegalStateException(
                                        "the APNs provider closed while waiting to try again"));
                            }
                        });
                return;
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(new IllegalStateException("the APNs provider is closed", e));
                return;
            }
        }
        RejectionReason normalised = ApnsRejection.map(reason, status);
        if (notification.getPushType() == PushType.VOIP) {
            normalised = ApnsRejection.forSecondToken(normalised);
        }
        StringBuilder detail = new StringBuilder(reason == null ? "no reason" : reason).append(" (").append(status)
                .append(')');
        response.getTokenInvalidationTimestamp()
                .ifPresent(t -> detail.append(", token invalid since ").append(t.truncatedTo(ChronoUnit.MILLIS)));
        if (attempt > 1) {
            detail.append(", after ").append(attempt).append(" attempts");
        }
        if (normalised == RejectionReason.AUTH_FAILED) {
            LOG.warn("APNs refused our credentials for topic {}: {}", notification.getTopic(), detail);
        } else {
            LOG.debug("APNs rejected a push to {} on topic {}: {}", Redaction.token(notification.getToken()),
                    notification.getTopic(), detail);
        }
        result.complete(DeliveryResult.Rejected.of(normalised, detail.toString()));
    }

    /**
     * Opens a connection to the endpoint of every app (production, or the sandbox for an app configured for it) and
     * sends one push to a device token that cannot exist ({@value #CHECK_TOKEN}): APNs answers it with
     * {@code BadDeviceToken} (or {@code DeviceTokenNotForTopic}, {@code Unregistered}) once the connection is up and
     * the credentials and topic are accepted, and delivers nothing. Any other answer, a failed connection, or no
     * answer within {@code connect-timeout} + 10 s, fails the check naming the app, the endpoint and APNs' reason.
     */
    @Override
    public CompletionStage<String> checkOnline() {
        List<CompletableFuture<String>> checks = new ArrayList<>();
        for (Route route : routes.values()) {
            checks.add(checkOnline(route.topic(), route.production()));
        }
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
                .thenApply(done -> "APNs " + String.join(", ", checks.stream().map(CompletableFuture::join).toList()));
    }

    private CompletableFuture<String> checkOnline(String topic, ApnsClient client) {
        String where = topic + " at " + endpoint(client);
        CompletableFuture<String> result = new CompletableFuture<>();
        SimpleApnsPushNotification probe = new SimpleApnsPushNotification(CHECK_TOKEN, topic,
                "{\"aps\":{\"content-available\":1}}", Instant.now().plusSeconds(60), DeliveryPriority.CONSERVE_POWER,
                PushType.BACKGROUND);
        try {
            Duration limit = config.connectTimeout().plus(CHECK_GRACE);
            eventLoop.schedule(() -> result.completeExceptionally(new ConnectException("APNs " + where
                    + ": no answer within " + limit.toMillis() + " ms")), limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the APNs provider is closed", e));
        }
        client.sendNotification(probe).whenComplete((response, error) -> {
            if (error != null) {
                result.completeExceptionally(new ConnectException("APNs " + where + ": cannot connect: "
                        + error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": "
                        + error.getMessage())));
                return;
            }
            String reason = response.getRejectionReason().orElse(null);
            if (response.isAccepted() || CHECK_ANSWERS.contains(reason)) {
                result.complete(where + " connected, credentials accepted");
            } else {
                result.completeExceptionally(new IllegalStateException("APNs " + where + " refused the check: "
                        + reason + " (" + response.getStatusCode() + ")" + (ApnsRejection.map(reason,
                        response.getStatusCode()) == RejectionReason.AUTH_FAILED
                        ? "; check the app's key or certificate, its team and key id, and its bundle id" : "")));
            }
        });
        return result;
    }

    @Override
    public boolean acceptsEncryptedPayload() {
        return true;
    }

    /** Both tokens are hexadecimal, of a plausible length ({@link ApnsTokens}). */
    @Override
    public Optional<String> checkTokens(Device device) {
        return ApnsTokens.check(device);
    }

    @Override
    public int maxPayloadSize() {
        return ApnsPayload.MAX_PAYLOAD;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (ApnsClient client : productionClients.values()) {
            closing.add(client.close());
        }
        for (ApnsClient client : sandboxClients.values()) {
            closing.add(client.close());
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                    .get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("APNs connections did not close cleanly within {}: {}", CLOSE_TIMEOUT, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // no quiet period: the clients are closed, nothing can submit work any more
        eventLoop.shutdownGracefully(0, CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
    }

    /** The client for these credentials in this environment, shared by the apps that use the same credentials. */
    private ApnsClient client(Credentials credentials, boolean sandbox) {
        Map<Credentials, ApnsClient> clients = sandbox ? sandboxClients : productionClients;
        ApnsClient existing = clients.get(credentials);
        if (existing != null) {
            return existing;
        }
        Endpoint endpoint = sandbox ? config.sandbox() : config.production();
        ConnectionHealth connection = new ConnectionHealth();
        ApnsClientBuilder builder = new ApnsClientBuilder()
                .setMetricsListener(connection)
                .setApnsServer(endpoint.host(), endpoint.port())
                .setEventLoopGroup(eventLoop)
                .setConcurrentConnections(config.poolSize())
                .setConnectionTimeout(config.connectTimeout());
        if (config.trustedCaFile() != null) {
            builder.setTrustedServerCertificateChain(config.trustedCaFile().toFile());
        }
        if (credentials instanceof Credentials.Certificate c) {
            builder.setClientCredentials(c.certificate(), c.privateKey(), null);
        } else if (credentials instanceof Credentials.Token t) {
            builder.setSigningKey(t.signingKey());
        }
        try {
            ApnsClient client = builder.build();
            clients.put(credentials, client);
            health.put(client, connection);
            return client;
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS to APNs at " + endpoint.host() + ":"
                    + endpoint.port() + " with " + credentials + ": " + e.getMessage(), e);
        }
    }

    private static void checkExpiry(App app) {
        if (!(app.credentials() instanceof Credentials.Certificate c)) {
            return;
        }
        Instant notAfter = c.certificate().getNotAfter().toInstant();
        Instant now = Instant.now();
        if (notAfter.isBefore(now)) {
            LOG.error("the APNs certificate {} for {} expired on {}; APNs refuses it, renew it in Apple's developer "
                    + "portal", c.file(), app.topic(), notAfter);
        } else if (notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
            LOG.warn("the APNs certificate {} for {} expires on {}, in {} days; renew it in Apple's developer portal",
                    c.file(), app.topic(), notAfter, Duration.between(now, notAfter).toDays());
        }
    }

    /**
     * Where an app's pushes go: its bundle id and its clients per environment (both the sandbox client for an app
     * configured with {@code sandbox = true}).
     */
    private record Route(String topic, ApnsClient production, ApnsClient sandbox) {
    }
}
