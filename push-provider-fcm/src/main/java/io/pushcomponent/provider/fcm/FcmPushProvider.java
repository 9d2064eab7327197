package io.pushcomponent.provider.fcm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.api.client.http.HttpResponseException;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Redaction;
import io.pushcomponent.api.RejectionReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends pushes through FCM HTTP v1 with OkHttp (HTTP/2 where the server offers it through TLS ALPN, as FCM does).
 *
 * <p>{@link #send} builds the JSON on the caller's thread and hands the request to OkHttp's dispatcher, which runs
 * at most {@code max-concurrent} requests at once and queues the rest. Answers, retries and token fetches run on the
 * provider's own threads. {@code 429}/{@code 500}/{@code 503} are retried after the {@link io.pushcomponent.api.RetryPolicy}
 * of {@code retry-base-delay}, {@code max-retry-delay} and {@code max-retries} (after FCM's {@code Retry-After} when
 * it is no longer than {@code max-retry-delay}; a longer one is passed on in the rejection, and the app server then
 * pauses the whole provider); a {@code 401}/{@code 403} fetches a new access token and sends once more.
 *
 * <p>The access token is fetched by google-auth-library on the provider's token thread, through the provider's
 * OkHttp client ({@link TokenTransport}, with {@code connect-timeout}) and without google-auth's own retries: an
 * unreachable token endpoint fails the sends waiting for it within the connect timeout, not after seconds of
 * retries.
 *
 * <p>Thread-safe. {@link #close()} cancels requests in flight; their stages and those of later sends complete
 * exceptionally.
 */
final class FcmPushProvider implements PushProvider {
    private static final Logger LOG = LoggerFactory.getLogger(FcmPushProvider.class);
    private static final MediaType JSON_UTF8 = MediaType.get("application/json; charset=utf-8");
    private static final JsonFactory JSON = new JsonFactory();
    /**
     * What the Tigase encrypted payload may take of FCM's 4096 data bytes; the rest is left for the data keys and
     * the {@code account} JID.
     */
    private static final int MAX_ENCRYPTED_PAYLOAD = 3072;

    private final FcmConfig config;
    private final Clock clock;
    private final OkHttpClient http;
    private final ExecutorService tokenExecutor;
    private final ScheduledThreadPoolExecutor retryTimer;
    private final AccessTokenCache tokens;
    private final ServiceAccountCredentials credentials;
    private final AtomicLong lastTokenWarning = new AtomicLong();
    /** Token fetches that failed in a row, for the pause a rate-limited token endpoint gets. */
    private final AtomicInteger tokenFailures = new AtomicInteger();
    private volatile RequestTemplate requestTemplate;
    private volatile boolean closed;

    FcmPushProvider(FcmConfig config) {
        this.config = config;
        this.clock = Clock.systemUTC();
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(config.maxConcurrent());
        dispatcher.setMaxRequestsPerHost(config.maxConcurrent());
        this.http = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(config.maxConcurrent(), 5, TimeUnit.MINUTES))
                .connectTimeout(config.connectTimeout())
                // read and write timeouts, not OkHttp's call timeout: a call timeout is one more entry in okio's
                // global timeout queue per request, a CPU cost per send that FcmThroughputBenchmark showed clearly
                .readTimeout(config.requestTimeout())
                .writeTimeout(config.requestTimeout())
                .build();
        TokenTransport transport = new TokenTransport(http);
        this.credentials = config.credentials().toBuilder().setHttpTransportFactory(() -> transport)
                .setDefaultRetriesEnabled(false).build();
        this.tokenExecutor = Executors.newSingleThreadExecutor(daemon("fcm-token-" + config.projectId()));
        this.retryTimer = new ScheduledThreadPoolExecutor(1, daemon("fcm-retry-" + config.projectId()));
        this.retryTimer.setRemoveOnCancelPolicy(true);
        this.tokens = new AccessTokenCache(this::fetchToken, tokenExecutor, clock, config.refreshMargin());
    }

    @Override
    public CompletionStage<DeliveryResult> send(PushRequest request) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("FCM provider is closed"));
        }
        byte[] body = FcmPayload.encode(request, config.ttl(), config.callTtl(), config.fullSenderJid());
        if (body == null) {
            return CompletableFuture.completedFuture(DeliveryResult.Rejected.of(RejectionReason.PAYLOAD_TOO_LARGE,
                    "data payload over FCM's " + FcmPayload.MAX_DATA_BYTES + "-byte limit"));
        }
        CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
        new Attempt(request, RequestBody.create(body, JSON_UTF8), result).start();
        return result;
    }

    @Override
    public boolean acceptsEncryptedPayload() {
        return true;
    }

    /** The tokens use FCM's alphabet and length ({@link FcmTokens}). */
    @Override
    public Optional<String> checkTokens(Device device) {
        return FcmTokens.check(device);
    }

    @Override
    public int maxPayloadSize() {
        return MAX_ENCRYPTED_PAYLOAD;
    }

    /**
     * Fetches an OAuth access token for the service account from its token endpoint; nothing is sent to FCM. The
     * token is kept for the first pushes.
     */
    @Override
    public CompletionStage<String> checkOnline() {
        String what = "project " + config.projectId() + ": access token from " + credentials.getTokenServerUri();
        return tokens.token().handle((token, error) -> {
            if (error == null) {
                return "FCM " + what + " fetched";
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            HttpResponseException answer = tokenEndpointAnswer(cause);
            String why = answer == null ? describe(cause)
                    : "HTTP " + answer.getStatusCode() + (answer.getStatusCode() == 429 || answer.getStatusCode() >= 500
                    ? " (the endpoint is rate-limiting or failing; try again later)"
                    : " (the service account was refused; check that its key still exists and is enabled)");
            throw new CompletionException(new IOException("FCM " + what + " could not be fetched: " + why, cause));
        });
    }

    /**
     * Cancels the requests in flight (their stages complete exceptionally), fails the sends waiting for a token or
     * for a retry, and releases threads and connections.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        tokenExecutor.shutdownNow();
        tokens.close();
        // a retry that never ran now runs at once: it finds the provider closed and fails its send
        for (Runnable retry : retryTimer.shutdownNow()) {
            retry.run();
        }
        http.dispatcher().cancelAll();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "FcmPushProvider[project=" + config.projectId() + ", url=" + config.sendUrl() + "]";
    }

    /**
     * URL and {@code Authorization} header for sends with {@code token}, built once per token: header values are
     * validated character by character, and Google's access tokens are long.
     */
    private Request requestTemplate(AccessTokenCache.Token token) {
        RequestTemplate template = requestTemplate;
        if (template == null || template.token() != token) {
            template = new RequestTemplate(token, new Request.Builder().url(config.sendUrl())
                    .header("Authorization", "Bearer " + token.value()).build());
            requestTemplate = template;
        }
        return template.request();
    }

    /** A request template and the token in its header. */
    private record RequestTemplate(AccessTokenCache.Token token, Request request) {
        @Override
        public String toString() {
            return "RequestTemplate[token=" + token + "]";
        }
    }

    private AccessTokenCache.Token fetchToken() throws IOException {
        AccessToken token;
        try {
            token = credentials.refreshAccessToken();
        } catch (IOException | RuntimeException e) {
            tokenFailures.incrementAndGet();
            throw e;
        }
        tokenFailures.set(0);
        Instant expiresAt = token.getExpirationTime() == null
                ? clock.instant().plus(Duration.ofHours(1)) : token.getExpirationTime().toInstant();
        LOG.debug("FCM access token for project {} fetched, valid until {}", config.projectId(), expiresAt);
        return new AccessTokenCache.Token(token.getTokenValue(), expiresAt);
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
    private final class Attempt implements Callback {
        private final PushRequest request;
        private final RequestBody body;
        private final CompletableFuture<DeliveryResult> result;
        private int retries;
        private boolean reauthenticated;
        private AccessTokenCache.Token token;

        Attempt(PushRequest request, RequestBody body, CompletableFuture<DeliveryResult> result) {
            this.request = request;
            this.body = body;
            this.result = result;
        }

        void start() {
            send(tokens.token());
        }

        private void send(CompletionStage<AccessTokenCache.Token> tokenStage) {
            CompletableFuture<AccessTokenCache.Token> stage = tokenStage.toCompletableFuture();
            if (stage.isDone() && !stage.isCompletedExceptionally()) {
                send(stage.join());
                return;
            }
            stage.whenComplete((t, error) -> {
                if (error != null) {
                    tokenFailed(error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error);
                } else {
                    send(t);
                }
            });
        }

        private void send(AccessTokenCache.Token t) {
            if (closed) {
                result.completeExceptionally(new IllegalStateException("FCM provider is closed"));
                return;
            }
            token = t;
            http.newCall(requestTemplate(t).newBuilder().post(body).build()).enqueue(this);
        }

        @Override
        public void onFailure(Call call, IOException e) {
            result.completeExceptionally(e);
        }

        @Override
        public void onResponse(Call call, Response response) {
            try (response) {
                ResponseBody responseBody = response.body();
                byte[] bytes = responseBody == null ? new byte[0] : responseBody.bytes();
                if (response.isSuccessful()) {
                    result.complete(new DeliveryResult.Delivered(messageName(bytes)));
                    return;
                }
                handle(FcmRejection.classify(response.code(), bytes, response.header("Retry-After"), clock));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        }

        private void handle(FcmRejection error) {
            switch (error.action()) {
                case REAUTHENTICATE -> {
                    if (reauthenticated) {
                        warnThrottled("FCM refused a freshly fetched access token (" + error.detail()
                                + "); check that the service account may send messages in this project");
                        reject(error.reason(), error.detail(), null);
                        return;
                    }
                    reauthenticated = true;
                    LOG.debug("FCM refused the access token ({}); fetching a new one", error.detail());
                    send(tokens.renew(token));
                }
                case RETRY -> {
                    Duration delay = config.retry().nextDelay(retries, error.retryAfter()).orElse(null);
                    if (delay == null) {
                        reject(error.reason(), error.detail(), error.retryAfter());
                        return;
                    }
                    retries++;
                    LOG.debug("FCM answered {} for {}; retry {} of {} in {} ms", error.detail(),
                            Redaction.token(request.device().token()), retries, config.retry().maxRetries(),
                            delay.toMillis());
                    try {
                        retryTimer.schedule(() -> send(tokens.token()), delay.toNanos(), TimeUnit.NANOSECONDS);
                    } catch (RuntimeException closing) {
                        result.completeExceptionally(new IllegalStateException("FCM provider is closed"));
                    }
                }
                case REJECT -> reject(error.reason(), error.detail(), error.retryAfter());
            }
        }

        private void reject(RejectionReason reason, String detail, Duration retryAfter) {
            if (reason.invalidatesDevice()) {
                LOG.debug("FCM rejected {}: {}", Redaction.token(request.device().token()), detail);
            }
            result.complete(new DeliveryResult.Rejected(reason, detail, retryAfter));
        }

        /**
         * What the token endpoint's failure means for this push. It applies to every push (they share the access
         * token), so rejections carry a {@code Retry-After} and the app server pauses the whole provider:
         * <ul>
         *   <li>{@code 429}: the endpoint rate-limits us, {@code QUOTA_EXCEEDED} after its {@code Retry-After} or a
         *       back-off of its own;</li>
         *   <li>{@code 5xx}: it is down, {@code UNAVAILABLE} (with its {@code Retry-After} when given);</li>
         *   <li>another {@code 4xx} ({@code 400 invalid_grant}, {@code 401}): it refused our signed assertion, a
         *       deleted or disabled key that an operator must replace, {@code AUTH_FAILED};</li>
         *   <li>no answer at all (refused, unreachable, timed out): the stage completes exceptionally.</li>
         * </ul>
         */
        private void tokenFailed(Throwable error) {
            int failuresInARow = Math.max(1, tokenFailures.get());
            HttpResponseException answer = tokenEndpointAnswer(error);
            int status = answer == null ? 0 : answer.getStatusCode();
            Duration retryAfter = answer == null ? null
                    : FcmRejection.retryAfter(answer.getHeaders().getRetryAfter(), clock);
            if (status == 429) {
                Duration pause = retryAfter != null ? retryAfter : config.retry().delay(failuresInARow - 1);
                warnThrottled("the OAuth token endpoint is rate-limiting this service account (HTTP 429); pushes are"
                        + " answered with wait errors for " + pause.toMillis() + " ms");
                reject(RejectionReason.QUOTA_EXCEEDED, "token endpoint HTTP 429", pause);
            } else if (status >= 500) {
                warnThrottled("the OAuth token endpoint failed (HTTP " + status + ")");
                reject(RejectionReason.UNAVAILABLE, "token endpoint HTTP " + status, retryAfter);
            } else if (status >= 400) {
                warnThrottled("the OAuth token endpoint refused the service account (HTTP " + status
                        + "); check that its key still exists and is enabled");
                reject(RejectionReason.AUTH_FAILED, "token endpoint HTTP " + status, null);
            } else {
                result.completeExceptionally(new IOException("could not fetch an FCM access token for project "
                        + config.projectId() + " (" + describe(error) + ")", error));
            }
        }
    }

    /** The token endpoint's HTTP answer behind a failed fetch, or {@code null} when there was none. */
    private static HttpResponseException tokenEndpointAnswer(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpResponseException e) {
                return e;
            }
        }
        return null;
    }

    /** The innermost cause's class, and its message when it is a plain I/O error (no token, no key in those). */
    private static String describe(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause instanceof java.net.SocketException
                && cause.getMessage() != null ? ": " + cause.getMessage() : "");
    }

    /**
     * Logs a problem every push shares (credentials, the token endpoint) at most once a minute: every push fails the
     * same way until it is over or an operator acts.
     */
    private void warnThrottled(String message) {
        long now = System.nanoTime();
        long last = lastTokenWarning.get();
        if ((last == 0 || now - last > TimeUnit.MINUTES.toNanos(1)) && lastTokenWarning.compareAndSet(last, now)) {
            LOG.warn("FCM project {}: {}", config.projectId(), message);
        }
    }

    /**
     * The {@code name} of FCM's success answer, {@code null} when absent. FCM answers {@code {"name": "..."}}; that
     * shape is read directly, anything else through a JSON parser.
     */
    static String messageName(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{") && text.endsWith("}")) {
            String inner = text.substring(1, text.length() - 1).strip();
            if (inner.startsWith("\"name\"")) {
                String rest = inner.substring(6).strip();
                if (rest.startsWith(":")) {
                    String value = rest.substring(1).strip();
                    if (value.length() >= 2 && value.charAt(0) == '"' && value.indexOf('"', 1) == value.length() - 1
                            && value.indexOf('\\') < 0) {
                        return value.substring(1, value.length() - 1);
                    }
                }
            }
        }
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("name".equals(field) && value == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
