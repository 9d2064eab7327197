package io.pushcomponent.unifiedpush.internal;

import io.pushcomponent.api.Jid;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.unifiedpush.UnifiedPushSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributor's work: issuing endpoints for {@code <register/>}, revoking them on {@code <unregister/>} or when
 * the client says it no longer knows one, and turning each post to an endpoint into a {@code <push/>} IQ to the
 * client and its answer into the HTTP status.
 *
 * <p>Thread-safe. Store calls run on the distributor's own threads; nothing else blocks.
 */
public final class Distributor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Distributor.class);
    /** The name of the service key endpoint tokens are sealed with. */
    public static final String KEY_NAME = "unifiedpush-endpoint";
    /** The most bytes of one message (the and Prosody's 4 KB). */
    public static final int MAX_MESSAGE_BYTES = 4096;
    /** How long a revocation read from the store is trusted before it is read again (other instances' changes). */
    static final long REVOCATION_CACHE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_CACHED = 100_000;
    /**
     * The most messages to one endpoint waiting for its client at once: a client that never answers holds at most
     * this many of the HTTP listener's threads, however fast its endpoint is posted to.
     */
    static final int MAX_WAITING_PER_ENDPOINT = 2;
    private static final String DISCOVERY = "{\"unifiedpush\":{\"version\":1}}";

    /** RFC 8030 §5.3 urgencies, with the share of {@code maxWaiting} a message of each may still take. */
    enum Urgency {
        VERY_LOW("very-low", 4), LOW("low", 2), NORMAL("normal", 1), HIGH("high", 1);

        final String header;
        final int divisor;

        Urgency(String header, int divisor) {
            this.header = header;
            this.divisor = divisor;
        }

        static Optional<Urgency> parse(String header) {
            if (header == null) {
                return Optional.of(NORMAL);
            }
            for (Urgency u : values()) {
                if (u.header.equalsIgnoreCase(header.trim())) {
                    return Optional.of(u);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The answer to an HTTP request.
     *
     * @param status  the status
     * @param headers extra headers
     * @param body    a short text (or JSON) body
     * @param json    whether {@code body} is JSON
     */
    public record Answer(int status, Map<String, String> headers, String body, boolean json) {
        static Answer text(int status, String body) {
            return new Answer(status, Map.of(), body + "\n", false);
        }

        static Answer temporary(String why) {
            return new Answer(503, Map.of("Retry-After", "5"), "temporary: " + why + "; try again later\n", false);
        }
    }

    private record CachedRevocation(Optional<Instant> revokedAt, long loadedNanos) {
    }

    private final UnifiedPushSettings settings;
    private final DeviceRegistrationStore store;
    private final Clock clock;
    private final ExecutorService executor;
    private final TokenBuckets buckets;
    private final Map<String, CachedRevocation> revocations = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Map<String, AtomicInteger> waitingPerEndpoint = new ConcurrentHashMap<>();
    private final AtomicLong messageIds = new AtomicLong();
    private volatile CompletableFuture<EndpointTokens> tokens;

    public Distributor(UnifiedPushSettings settings, DeviceRegistrationStore store, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.buckets = new TokenBuckets(settings.messagesPerMinute(), MAX_CACHED);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "push-unifiedpush-store");
            t.setDaemon(true);
            return t;
        });
    }

    /** The settings it runs with. */
    public UnifiedPushSettings settings() {
        return settings;
    }

    /** The sealer, with the key read from (or made in) the store once. */
    private CompletableFuture<EndpointTokens> tokens() {
        CompletableFuture<EndpointTokens> t = tokens;
        if (t == null || t.isCompletedExceptionally()) {
            synchronized (this) {
                t = tokens;
                if (t == null || t.isCompletedExceptionally()) {
                    t = CompletableFuture.supplyAsync(() -> new EndpointTokens(store.serviceKey(KEY_NAME)), executor);
                    tokens = t;
                }
            }
        }
        return t;
    }

    /** Answers {@code <register/>}: an endpoint for the sender's full JID, the application and the instance. */
    public CompletionStage<List<Stanza>> register(Iq request, String application, String instance) {
        Optional<StanzaError> refused = checkRequest(request, application, instance);
        if (refused.isPresent()) {
            return done(List.<Stanza>of(request.errorReply(refused.get())));
        }
        return tokens().thenApply(sealer -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Instant expires = now.plus(settings.endpointLifetime()).truncatedTo(ChronoUnit.SECONDS);
            String token = sealer.seal(new EndpointToken(request.from(), application, instance, now, expires));
            LOG.debug("issued a UnifiedPush endpoint to {} until {}", request.from(), expires);
            return List.<Stanza>of(request.resultReply(new UpElements.Registered(
                    settings.endpointUrl() + "/" + token, expires.toString())));
        }).exceptionally(e -> {
            LOG.warn("cannot issue a UnifiedPush endpoint: the endpoint key is not available: {}", e.toString());
            return List.<Stanza>of(request.errorReply(StanzaError.of(StanzaError.Type.WAIT,
                    StanzaError.Condition.INTERNAL_SERVER_ERROR, "the endpoint key cannot be read; try later")));
        });
    }

    /** Answers {@code <unregister/>}: every endpoint issued so far for the sender, application and instance ends. */
    public CompletionStage<List<Stanza>> unregister(Iq request, String application, String instance) {
        Optional<StanzaError> refused = checkRequest(request, application, instance);
        if (refused.isPresent()) {
            return done(List.<Stanza>of(request.errorReply(refused.get())));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String subject = EndpointToken.subject(request.from(), application, instance);
        return CompletableFuture.supplyAsync(() -> {
            revoke(subject, now);
            return List.<Stanza>of(request.resultReply());
        }, executor).exceptionally(e -> {
            LOG.warn("cannot revoke a UnifiedPush endpoint: {}", e.toString());
            return List.<Stanza>of(request.errorReply(StanzaError.of(StanzaError.Type.WAIT,
                    StanzaError.Condition.INTERNAL_SERVER_ERROR, "the store cannot be reached; try later")));
        });
    }

    private static Optional<StanzaError> checkRequest(Iq request, String application, String instance) {
        if (!Iq.SET.equals(request.type())) {
            return Optional.of(StanzaError.of(StanzaError.Condition.BAD_REQUEST, "use an IQ of type set"));
        }
        Optional<Jid> from = Jid.tryParse(request.from());
        if (from.isEmpty() || from.get().isBare() || !from.get().hasLocal()) {
            return Optional.of(StanzaError.of(StanzaError.Condition.BAD_REQUEST,
                    "register from a client's full JID: pushes go to it"));
        }
        try {
            EndpointTokens.decodeId(application, "application");
            EndpointTokens.decodeId(instance, "instance");
        } catch (IllegalArgumentException e) {
            return Optional.of(StanzaError.of(StanzaError.Condition.BAD_REQUEST, e.getMessage()));
        }
        return Optional.empty();
    }

    /** Records a revocation in the store and in this instance's cache (blocking: the store). */
    private void revoke(String subject, Instant at) {
        Instant keepUntil = at.plus(settings.endpointLifetime()).plus(Duration.ofMinutes(1));
        store.revoke(subject, at, keepUntil);
        revocations.merge(subject, new CachedRevocation(Optional.of(at), System.nanoTime()),
                (old, next) -> old.revokedAt().isPresent() && old.revokedAt().get().isAfter(at) ? old : next);
    }

    /**
     * Answers a {@code GET} of an endpoint: the UnifiedPush discovery document, which application servers check
     * before they use an endpoint.
     */
    public Answer discovery() {
        return new Answer(200, Map.of(), DISCOVERY, true);
    }

    /**
     * Answers a {@code POST} to an endpoint (RFC 8030 §5): the message relayed to the client as a {@code <push/>} IQ
     * through {@code relay}.
     *
     * @param token   the endpoint's last path segment
     * @param ttl     the {@code TTL} header, or {@code null}
     * @param urgency the {@code Urgency} header, or {@code null}
     * @param body    the message
     * @param relay   sends an IQ to the client and completes with its answer
     */
    public CompletionStage<Answer> post(String token, String ttl, String urgency, byte[] body,
                                        BiFunction<Iq, Duration, CompletionStage<Iq>> relay) {
        Optional<Urgency> level = Urgency.parse(urgency);
        if (level.isEmpty()) {
            return done(Answer.text(400, "Urgency must be very-low, low, normal or high"));
        }
        if (ttl != null && !ttl.trim().matches("[0-9]{1,10}")) {
            return done(Answer.text(400, "TTL must be a number of seconds"));
        }
        if (body.length > MAX_MESSAGE_BYTES) {
            return done(Answer.text(413, "a message has at most " + MAX_MESSAGE_BYTES + " bytes"));
        }
        return tokens().thenCompose(sealer -> {
            Optional<EndpointToken> opened = sealer.open(token);
            if (opened.isEmpty()) {
                return done(Answer.text(404, "no such endpoint"));
            }
            EndpointToken endpoint = opened.get();
            if (!endpoint.expiresAt().isAfter(clock.instant())) {
                return done(Answer.text(410, "this endpoint expired; the client registers a new one"));
            }
            return revokedAt(endpoint.subject()).thenCompose(revoked -> {
                if (revoked.isPresent() && !endpoint.issuedAt().isAfter(revoked.get())) {
                    return done(Answer.text(410, "this endpoint was revoked"));
                }
                if (body.length == 0) {
                    return done(Answer.text(400, "the message is empty"));
                }
                return relay(endpoint, level.get(), body, relay);
            });
        }).exceptionally(e -> {
            LOG.warn("cannot check a UnifiedPush endpoint: {}", e.toString());
            return Answer.temporary("the endpoint could not be checked");
        });
    }

    private CompletionStage<Answer> relay(EndpointToken endpoint, Urgency urgency, byte[] body,
                                          BiFunction<Iq, Duration, CompletionStage<Iq>> relay) {
        long wait = buckets.take(endpoint.subject(), System.nanoTime());
        if (wait > 0) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999L));
            return done(new Answer(429, Map.of("Retry-After", Long.toString(seconds)),
                    "this endpoint receives at most " + settings.messagesPerMinute() + " messages a minute\n", false));
        }
        int admitted = urgency == Urgency.NORMAL ? settings.maxWaiting() * 9 / 10
                : settings.maxWaiting() / urgency.divisor;
        AtomicInteger mine = waitingPerEndpoint.computeIfAbsent(endpoint.subject(), k -> new AtomicInteger());
        if (mine.incrementAndGet() > MAX_WAITING_PER_ENDPOINT) {
            release(endpoint.subject(), mine);
            return done(new Answer(429, Map.of("Retry-After", "1"), MAX_WAITING_PER_ENDPOINT
                    + " messages to this endpoint already wait for the client\n", false));
        }
        if (waiting.incrementAndGet() > admitted) {
            waiting.decrementAndGet();
            release(endpoint.subject(), mine);
            return done(Answer.temporary("too many messages wait for their clients (" + urgency.header
                    + " urgency)"));
        }
        Iq push = Iq.set(endpoint.jid(), new UpElements.Push(endpoint.application(), endpoint.instance(),
                Base64.getEncoder().encodeToString(body)));
        CompletionStage<Iq> answer;
        try {
            answer = relay.apply(push, settings.relayTimeout());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((iq, failure) -> {
            waiting.decrementAndGet();
            release(endpoint.subject(), mine);
            return failure != null ? notRelayed(failure) : answered(endpoint, iq);
        }).thenCompose(stage -> stage);
    }

    /** One message to the endpoint no longer waits; the counter goes once none does. */
    private void release(String subject, AtomicInteger counter) {
        if (counter.decrementAndGet() == 0) {
            waitingPerEndpoint.remove(subject, counter);
        }
    }

    private static CompletionStage<Answer> notRelayed(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return done(Answer.temporary(cause instanceof TimeoutException
                ? "the client did not answer in time" : "the message could not be sent to the client"));
    }

    private CompletionStage<Answer> answered(EndpointToken endpoint, Iq iq) {
        if (Iq.RESULT.equals(iq.type())) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Location", settings.endpointUrl() + "/message/" + Long.toString(
                    messageIds.incrementAndGet(), 36));
            headers.put("TTL", "0");
            return done(new Answer(201, headers, "", false));
        }
        StanzaError.Condition condition = iq.error().map(StanzaError::condition)
                .orElse(StanzaError.Condition.UNDEFINED_CONDITION);
        if (condition == StanzaError.Condition.ITEM_NOT_FOUND
                || condition == StanzaError.Condition.FEATURE_NOT_IMPLEMENTED) {
            LOG.debug("the client answered {} to a UnifiedPush message: its endpoint is revoked", condition.xmlName());
            return CompletableFuture.supplyAsync(() -> {
                revoke(endpoint.subject(), endpoint.issuedAt());
                return Answer.text(410, "the client no longer knows this endpoint");
            }, executor).exceptionally(e -> {
                LOG.warn("cannot record the revocation of a UnifiedPush endpoint: {}", e.toString());
                return Answer.text(410, "the client no longer knows this endpoint");
            });
        }
        return done(Answer.temporary("the client answered " + condition.xmlName()));
    }

    /** The subject's latest revocation: from this instance's cache while fresh, else from the store. */
    private CompletionStage<Optional<Instant>> revokedAt(String subject) {
        long now = System.nanoTime();
        CachedRevocation cached = revocations.get(subject);
        if (cached != null && now - cached.loadedNanos() < REVOCATION_CACHE_NANOS) {
            return CompletableFuture.completedFuture(cached.revokedAt());
        }
        return CompletableFuture.supplyAsync(() -> {
            Optional<Instant> revoked = store.revokedAt(subject);
            if (revocations.size() >= MAX_CACHED) {
                revocations.clear();
            }
            revocations.put(subject, new CachedRevocation(revoked, System.nanoTime()));
            return revoked;
        }, executor);
    }

    /** Relayed messages waiting for their client's answer now. */
    public int waiting() {
        return waiting.get();
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** Stops the store threads. */
    @Override
    public void close() {
        executor.shutdown();
    }
}
