package io.pushcomponent.provider.webpush;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Redaction;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.webpush.crypto.PushSubscription;
import io.pushcomponent.webpush.crypto.WebPushCryptoException;
import io.pushcomponent.webpush.crypto.WebPushEncryption;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends pushes to Web Push services (RFC 8030) with the JDK's HTTP client (HTTP/2 where the push service offers it).
 *
 * <p>{@link #send} parses the subscription on the caller's thread and returns; the encryption (an ECDH key pair and
 * agreement per message), the request and its answer run on the provider's own threads: the HTTP client is built with
 * the provider's executor, so no shared pool of the JDK runs its work. At most {@code max-concurrent} requests are in
 * flight; further sends wait in a queue. {@code 429} and {@code 5xx} are retried after the
 * {@link io.pushcomponent.api.RetryPolicy} (after the push service's {@code Retry-After} when it is no longer than
 * {@code max-retry-delay}; a longer one pauses that push service); a {@code 401} or {@code 403} signs a new VAPID
 * token and sends once more.
 *
 * <p>Failures are kept per push service, not per provider ({@link #isolatesEndpoints()}): anybody can register a
 * subscription at a push service of their own, so a failing or rate-limiting service is paused alone
 * ({@link PushServiceHealth}) and the app server's circuit breaker leaves the provider to the other services.
 *
 * <p>Thread-safe. {@link #close()} fails the sends waiting for a retry or a slot; their stages and those of later
 * sends complete exceptionally. The JDK 17 HTTP client has no {@code close()}: its selector thread ends once the
 * client is unreachable.
 */
final class WebPushProvider implements PushProvider {
    private static final Logger LOG = LoggerFactory.getLogger(WebPushProvider.class);
    /** The largest body every push service must accept (RFC 8291 section 4). */
    private static final int MAX_BODY = 4096;
    /** What an end-to-end encrypted payload may take of a message, leaving room for the keys and the account. */
    private static final int MAX_ENCRYPTED_PAYLOAD = 3072;

    private final WebPushConfig config;
    private final WebPushTokens.Resolver resolver;
    private final Clock clock;
    private final ExecutorService executor;
    private final ScheduledThreadPoolExecutor retryTimer;
    private final HttpClient http;
    private final VapidTokens vapid;
    private final Semaphore slots;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    /** The stages of sends not yet answered, failed by {@link #close()}. */
    private final Set<CompletableFuture<DeliveryResult>> pending = ConcurrentHashMap.newKeySet();
    private final PushServiceHealth services = new PushServiceHealth(System::nanoTime);
    private volatile boolean closed;

    WebPushProvider(WebPushConfig config) {
        this(config, WebPushTokens.SYSTEM);
    }

    /** With another resolver than the JVM's, for tests of endpoints whose names resolve to local addresses. */
    WebPushProvider(WebPushConfig config, WebPushTokens.Resolver resolver) {
        this.config = config;
        this.resolver = resolver;
        this.clock = Clock.systemUTC();
        this.executor = Executors.newFixedThreadPool(2, daemon("webpush"));
        this.retryTimer = new ScheduledThreadPoolExecutor(1, daemon("webpush-retry"));
        this.retryTimer.setRemoveOnCancelPolicy(true);
        this.http = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.vapid = new VapidTokens(config.vapid(), config.subject(), config.vapidValidity(), clock);
        this.slots = new Semaphore(config.maxConcurrent());
    }

    @Override
    public CompletionStage<DeliveryResult> send(PushRequest request) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("Web Push provider is closed"));
        }
        WebPushTokens.Parsed parsed = WebPushTokens.parse(request.device().token(), config.allowLocalEndpoints());
        if (parsed.subscription() == null) {
            // a token that is no subscription can never be delivered to; one this configuration refuses may be later
            RejectionReason reason = parsed.problem().startsWith("the 'device-token'")
                    ? RejectionReason.INVALID_TOKEN : RejectionReason.BAD_REQUEST;
            return CompletableFuture.completedFuture(DeliveryResult.Rejected.of(reason, parsed.problem()));
        }
        String origin = parsed.subscription().origin();
        Duration paused = services.pausedFor(origin);
        if (paused.compareTo(Duration.ZERO) > 0) {
            return CompletableFuture.completedFuture(DeliveryResult.Rejected.of(RejectionReason.UNAVAILABLE,
                    "the push service at " + origin + " failed " + services.failures(origin) + " times in a row; "
                            + "next attempt in " + paused.toMillis() + " ms"));
        }
        CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
        pending.add(result);
        result.whenComplete((r, e) -> pending.remove(result));
        try {
            executor.execute(() -> encryptAndSend(request, parsed.subscription(), result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("Web Push provider is closed"));
        }
        return result;
    }

    private void encryptAndSend(PushRequest request, PushSubscription subscription,
                                CompletableFuture<DeliveryResult> result) {
        try {
            if (!config.allowLocalEndpoints()) {
                Optional<String> local = WebPushTokens.resolvesToLocal(URI.create(subscription.endpoint()).getHost(),
                        resolver);
                if (local.isPresent()) {
                    // kept registered: the name may point elsewhere later, and the refusal costs nobody else
                    result.complete(DeliveryResult.Rejected.of(RejectionReason.BAD_REQUEST, local.get()));
                    return;
                }
            }
            EncryptedPayload sealed = request.encrypted();
            if (sealed != null && sealed.isAes128gcm()) {
                // encrypted for this subscription by the sender (a Push 2.0 user's server): forwarded unchanged
                byte[] body = base64(sealed.ciphertext());
                if (body == null) {
                    // the publisher's fault, not the push service's: a rejection, never a transport failure
                    result.complete(DeliveryResult.Rejected.of(RejectionReason.BAD_REQUEST,
                            "the aes128gcm payload is not base64"));
                } else if (body.length > MAX_BODY) {
                    result.complete(DeliveryResult.Rejected.of(RejectionReason.PAYLOAD_TOO_LARGE, "aes128gcm "
                            + "payload of " + body.length + " bytes over the " + MAX_BODY + " push services take"));
                } else {
                    new Attempt(request, subscription, body, result).start();
                }
                return;
            }
            byte[] message = WebPushPayload.message(request);
            if (message == null) {
                result.complete(DeliveryResult.Rejected.of(RejectionReason.PAYLOAD_TOO_LARGE,
                        "message over Web Push's " + WebPushEncryption.MAX_PLAINTEXT + "-byte limit"));
                return;
            }
            byte[] body = WebPushEncryption.encrypt(subscription, message);
            new Attempt(request, subscription, body, result).start();
        } catch (WebPushCryptoException e) {
            result.complete(DeliveryResult.Rejected.of(RejectionReason.INVALID_TOKEN,
                    "the subscription's keys cannot be used: " + e.getMessage()));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** Base64 or base64url, with or without padding; {@code null} when neither. */
    private static byte[] base64(String text) {
        String t = text.strip();
        try {
            return t.indexOf('-') >= 0 || t.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(t)
                    : Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public boolean acceptsEncryptedPayload() {
        return true;
    }

    @Override
    public int maxPayloadSize() {
        return MAX_ENCRYPTED_PAYLOAD;
    }

    /** The token is a browser's subscription with an endpoint this configuration pushes to ({@link WebPushTokens}). */
    @Override
    public Optional<String> checkTokens(Device device) {
        return WebPushTokens.check(device, config.allowLocalEndpoints());
    }

    /** Nothing to fetch: the VAPID key was read at creation, and each subscription names its own push service. */
    @Override
    public CompletionStage<String> checkOnline() {
        return CompletableFuture.completedFuture("Web Push: VAPID key " + config.vapid().publicKeyBase64Url()
                + " loaded; push services are reached per subscription");
    }

    /**
     * Fails the sends waiting for a retry, for a slot or for an answer, and stops the provider's threads once the
     * requests in flight are over.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Runnable retry : retryTimer.shutdownNow()) {
            retry.run();
        }
        for (Runnable start; (start = waiting.poll()) != null; ) {
            start.run();
        }
        for (CompletableFuture<DeliveryResult> result : pending) {
            result.completeExceptionally(new IllegalStateException("Web Push provider closed before the push service "
                    + "answered"));
        }
        executor.shutdown();
    }

    /** Each subscription names its own push service: a failing one is paused here, alone ({@link PushServiceHealth}). */
    @Override
    public boolean isolatesEndpoints() {
        return true;
    }

    @Override
    public String toString() {
        return "WebPushProvider[vapid=" + config.vapid().publicKeyBase64Url() + "]";
    }

    /** Runs {@code start} when fewer than {@code max-concurrent} requests are in flight, else once one ends. */
    private void whenSlotFree(Runnable start) {
        waiting.add(start);
        drain();
    }

    private void slotFreed() {
        slots.release();
        drain();
    }

    private void drain() {
        while (!waiting.isEmpty() && slots.tryAcquire()) {
            Runnable next = waiting.poll();
            if (next == null) {
                slots.release();
                return;
            }
            next.run();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One push, through its retries. */
    private final class Attempt {
        private final PushRequest request;
        private final PushSubscription subscription;
        private final String audience;
        private final byte[] body;
        private final CompletableFuture<DeliveryResult> result;
        private int retries;
        private boolean resigned;

        Attempt(PushRequest request, PushSubscription subscription, byte[] body,
                CompletableFuture<DeliveryResult> result) {
            this.request = request;
            this.subscription = subscription;
            this.audience = subscription.origin();
            this.body = body;
            this.result = result;
        }

        void start() {
            whenSlotFree(this::send);
        }

        private void send() {
            if (closed) {
                slotFreed();
                result.completeExceptionally(new IllegalStateException("Web Push provider is closed"));
                return;
            }
            URI endpoint = URI.create(subscription.endpoint());
            boolean call = request.kind() == PushKind.CALL || request.kind() == PushKind.CALL_ENDED;
            HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                    .timeout(config.requestTimeout())
                    .header("TTL", Long.toString((call ? config.callTtl() : config.ttl()).toSeconds()))
                    .header("Urgency", WebPushPayload.urgency(request))
                    .header("Content-Encoding", WebPushEncryption.CONTENT_ENCODING)
                    .header("Content-Type", "application/octet-stream")
                    .header("Authorization", authorization())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            String topic = WebPushPayload.topic(request);
            if (topic != null) {
                builder.header("Topic", topic);
            }
            if (!"https".equalsIgnoreCase(endpoint.getScheme())) {
                builder.version(HttpClient.Version.HTTP_1_1);
            }
            CompletableFuture<HttpResponse<Void>> exchange;
            try {
                exchange = http.sendAsync(builder.build(), HttpResponse.BodyHandlers.discarding());
            } catch (RuntimeException e) {
                slotFreed();
                result.completeExceptionally(e);
                return;
            }
            exchange.whenComplete((response, error) -> {
                slotFreed();
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    services.failed(audience, null);
                    result.completeExceptionally(cause);
                } else {
                    answered(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null));
                }
            });
        }

        /** The sender's own VAPID token when it signed one for a payload it encrypted, else ours. */
        private String authorization() {
            EncryptedPayload sealed = request.encrypted();
            if (sealed != null && sealed.vapidToken() != null) {
                return "vapid t=" + sealed.vapidToken() + ", k=" + sealed.vapidKey();
            }
            return vapid.authorization(audience);
        }

        private void answered(int status, String retryAfterHeader) {
            if (status != 429 && status < 500) {
                services.answered(audience);
            }
            if (status >= 200 && status < 300) {
                result.complete(new DeliveryResult.Delivered(null));
                return;
            }
            String detail = "HTTP " + status;
            Duration retryAfter = retryAfter(retryAfterHeader, clock);
            switch (status) {
                case 404, 410 -> {
                    LOG.debug("the push service ended the subscription {} ({})", Redaction.token(request.device().token()),
                            detail);
                    result.complete(DeliveryResult.Rejected.of(RejectionReason.INVALID_TOKEN, detail));
                }
                case 413 -> result.complete(DeliveryResult.Rejected.of(RejectionReason.PAYLOAD_TOO_LARGE, detail));
                case 401, 403 -> {
                    if (request.encrypted() != null && request.encrypted().vapidToken() != null) {
                        result.complete(DeliveryResult.Rejected.of(RejectionReason.AUTH_FAILED,
                                detail + ": the push service refused the sender's VAPID token"));
                        return;
                    }
                    if (resigned) {
                        LOG.warn("the push service at {} refused a freshly signed VAPID token ({}); check that "
                                + "the web application subscribed with this VAPID public key", audience, detail);
                        result.complete(DeliveryResult.Rejected.of(RejectionReason.AUTH_FAILED, detail));
                        return;
                    }
                    resigned = true;
                    vapid.renew(audience);
                    whenSlotFree(this::send);
                }
                case 429 -> retry(RejectionReason.QUOTA_EXCEEDED, detail, retryAfter);
                default -> {
                    if (status >= 500) {
                        retry(RejectionReason.UNAVAILABLE, detail, retryAfter);
                    } else if (status >= 400) {
                        result.complete(DeliveryResult.Rejected.of(RejectionReason.BAD_REQUEST, detail));
                    } else {
                        result.complete(DeliveryResult.Rejected.of(RejectionReason.UNKNOWN, detail));
                    }
                }
            }
        }

        private void retry(RejectionReason reason, String detail, Duration retryAfter) {
            Duration delay = config.retry().nextDelay(retries, retryAfter).orElse(null);
            if (delay == null) {
                services.failed(audience, retryAfter);
                result.complete(new DeliveryResult.Rejected(reason, detail, retryAfter));
                return;
            }
            retries++;
            LOG.debug("the push service at {} answered {}; retry {} of {} in {} ms", audience, detail, retries,
                    config.retry().maxRetries(), delay.toMillis());
            try {
                retryTimer.schedule(() -> whenSlotFree(this::send), delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                result.completeExceptionally(new IllegalStateException("Web Push provider is closed"));
            }
        }
    }

    /**
     * A {@code Retry-After} (RFC 9110 section 10.2.3): seconds or an HTTP date; {@code null} when absent or
     * unreadable.
     */
    static Duration retryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(clock.instant(),
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
