package io.pushcomponent.testkit.webpush;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pushcomponent.webpush.crypto.PushSubscription;
import io.pushcomponent.webpush.crypto.UserAgentKeys;
import io.pushcomponent.webpush.crypto.Vapid;
import io.pushcomponent.webpush.crypto.VapidClaims;
import io.pushcomponent.webpush.crypto.VapidKeys;
import io.pushcomponent.webpush.crypto.WebPushCryptoException;
import io.pushcomponent.webpush.crypto.WebPushEncryption;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Web Push service (RFC 8030) on a loopback port, playing both the push service and the subscribed browsers: it
 * hands out subscriptions, checks each push as a push service does (the VAPID token of RFC 8292, {@code TTL},
 * {@code Urgency}, {@code Topic}, the 4,096-byte limit), decrypts the body with the subscription's private key as the
 * browser would (RFC 8291), records what arrived and answers as scripted.
 *
 * <p>Checks, in order, each answered with the status real push services use:
 * <ol>
 *   <li>an unknown subscription: {@code 404}; one {@link #unsubscribe}d: {@code 410};</li>
 *   <li>not a {@code POST}: {@code 405};</li>
 *   <li>no valid {@code vapid} authorization (signature, {@code aud} = {@link #origin()}, {@code exp} within 24 hours,
 *       {@code sub} a URI): {@code 401}; signed with another key than the one the subscription was made for
 *       ({@link #subscribe(VapidKeys)}): {@code 403};</li>
 *   <li>no {@code TTL}, or a malformed {@code TTL}, {@code Urgency} or {@code Topic}: {@code 400};</li>
 *   <li>a body over 4,096 bytes: {@code 413}; a body not {@code Content-Encoding: aes128gcm}: {@code 400};</li>
 *   <li>then the next {@link #enqueue}d reply, else the {@link #defaultReply} ({@code 201 Created} unless set).</li>
 * </ol>
 * A body that does not decrypt is still answered (a push service cannot read it either); the message records why, and
 * {@link Received#plaintext()} fails the test.
 *
 * <p>Thread-safe. Requests are served by the fake's own threads; {@link #close()} stops them.
 */
public final class FakeWebPushService implements AutoCloseable {
    /** The largest body push services must accept, and the most this fake takes. */
    public static final int MAX_BODY = 4096;
    private static final Set<String> URGENCIES = Set.of("very-low", "low", "normal", "high");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService threads;
    private final ScheduledExecutorService timer;
    private final String origin;
    private final Clock clock;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Set<String> unsubscribed = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Reply> scripted = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<Received> unread = new LinkedBlockingQueue<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong count = new AtomicLong();
    private final AtomicInteger messageIds = new AtomicInteger();
    private volatile Reply defaultReply = Reply.created();

    private FakeWebPushService(Clock clock) throws IOException {
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-webpush-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-webpush-timer");
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
        this.origin = "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** Starts a fake on a free loopback port. */
    public static FakeWebPushService start() throws IOException {
        return new FakeWebPushService(Clock.systemUTC());
    }

    /** Starts a fake that checks tokens' expiry against {@code clock}. */
    public static FakeWebPushService start(Clock clock) throws IOException {
        return new FakeWebPushService(Objects.requireNonNull(clock, "clock"));
    }

    /** {@code http://127.0.0.1:port}: the audience VAPID tokens for this service must name. */
    public String origin() {
        return origin;
    }

    /** A new subscription that takes pushes signed with any VAPID key, as for {@code subscribe()} without a key. */
    public Subscription subscribe() {
        return subscribe(null);
    }

    /**
     * A new subscription, as a browser makes it for an application server key: pushes must be signed with that key
     * ({@code 403} otherwise).
     *
     * @param applicationServerKey the key pushes must be signed with; {@code null} for any
     */
    public Subscription subscribe(VapidKeys applicationServerKey) {
        byte[] id = new byte[18];
        RANDOM.nextBytes(id);
        String name = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        Subscription subscription = new Subscription(name, origin + "/push/" + name, UserAgentKeys.generate(),
                applicationServerKey);
        subscriptions.put(name, subscription);
        return subscription;
    }

    /** Ends a subscription, as when the user revokes the permission: later pushes to it get {@code 410 Gone}. */
    public void unsubscribe(Subscription subscription) {
        subscriptions.remove(subscription.id());
        unsubscribed.add(subscription.id());
    }

    /** The reply to the next push that passes the checks (in the order enqueued). */
    public FakeWebPushService enqueue(Reply reply) {
        scripted.add(Objects.requireNonNull(reply, "reply"));
        return this;
    }

    /** The reply when nothing is enqueued; {@link Reply#created()} unless set. */
    public FakeWebPushService defaultReply(Reply reply) {
        defaultReply = Objects.requireNonNull(reply, "reply");
        return this;
    }

    /**
     * The next recorded push.
     *
     * @throws AssertionError when none arrives within {@code timeout}
     */
    public Received takeMessage(Duration timeout) {
        Received m = pollMessage(timeout);
        if (m == null) {
            throw new AssertionError("FakeWebPushService: no push arrived within " + timeout);
        }
        return m;
    }

    /** The next recorded push, or {@code null} when none arrives within {@code timeout}. */
    public Received pollMessage(Duration timeout) {
        try {
            return unread.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Every push recorded so far, in order of arrival. */
    public List<Received> messages() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** How many requests arrived. */
    public long messageCount() {
        return count.get();
    }

    /** Stops the server and its threads. */
    @Override
    public void close() {
        server.stop(0);
        timer.shutdownNow();
        threads.shutdownNow();
    }

    @Override
    public String toString() {
        return "FakeWebPushService[" + origin + "]";
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        count.incrementAndGet();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        String path = exchange.getRequestURI().getPath();
        String id = path.startsWith("/push/") ? path.substring("/push/".length()) : "";
        String ttl = exchange.getRequestHeaders().getFirst("TTL");
        String urgency = exchange.getRequestHeaders().getFirst("Urgency");
        String topic = exchange.getRequestHeaders().getFirst("Topic");
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Subscription subscription = subscriptions.get(id);

        VapidClaims claims = null;
        String problem = null;
        byte[] plaintext = null;
        String decryptionError = null;
        int status;
        Reply reply = null;
        if (subscription == null) {
            status = unsubscribed.contains(id) ? 410 : 404;
            problem = status == 410 ? "unsubscribed" : "no such subscription";
        } else if (!exchange.getRequestMethod().equals("POST")) {
            status = 405;
            problem = "not a POST";
        } else {
            try {
                claims = Vapid.verify(authorization, origin, clock.instant());
            } catch (WebPushCryptoException e) {
                problem = "VAPID: " + e.getMessage();
            }
            if (problem != null) {
                status = 401;
            } else if (subscription.applicationServerKey() != null
                    && !claims.publicKey().equals(subscription.applicationServerKey().publicKey())) {
                status = 403;
                problem = "VAPID key is not the subscription's application server key";
            } else if ((problem = headerProblem(ttl, urgency, topic)) != null) {
                status = 400;
            } else if (body.length > MAX_BODY) {
                status = 413;
                problem = "body over " + MAX_BODY + " bytes";
            } else if (body.length > 0 && !WebPushEncryption.CONTENT_ENCODING.equalsIgnoreCase(encoding)) {
                status = 400;
                problem = "Content-Encoding is not aes128gcm";
            } else {
                if (body.length > 0) {
                    try {
                        plaintext = WebPushEncryption.decrypt(subscription.keys(), body);
                    } catch (WebPushCryptoException e) {
                        decryptionError = e.getMessage();
                    }
                }
                Reply next = scripted.poll();
                reply = next != null ? next : defaultReply;
                status = reply.status();
            }
        }
        Received message = new Received(id, subscription, exchange.getRequestMethod(), ttl, urgency, topic, encoding,
                authorization, claims, body.length > MAX_BODY ? null : body, plaintext, decryptionError, problem,
                status, arrived);
        received.add(message);
        unread.add(message);
        Reply chosen = reply;
        if (chosen != null && chosen.drop()) {
            exchange.close();
            return;
        }
        Runnable answer = () -> answer(exchange, message, chosen);
        if (chosen != null && chosen.delay() != null && !chosen.delay().isZero()) {
            timer.schedule(answer, chosen.delay().toNanos(), TimeUnit.NANOSECONDS);
        } else {
            answer.run();
        }
    }

    private void answer(HttpExchange exchange, Received message, Reply reply) {
        try (exchange) {
            if (reply != null && reply.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", Long.toString(reply.retryAfter().toSeconds()));
            }
            if (message.answeredWith() == 201) {
                exchange.getResponseHeaders().set("Location", origin + "/message/" + messageIds.incrementAndGet());
            }
            byte[] text = message.problem() == null ? new byte[0] : message.problem().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(message.answeredWith(), text.length == 0 ? -1 : text.length);
            if (text.length > 0) {
                exchange.getResponseBody().write(text);
            }
        } catch (IOException e) {
            // the client went away; the push is recorded either way
        }
    }

    private static String headerProblem(String ttl, String urgency, String topic) {
        if (ttl == null) {
            return "no TTL header";
        }
        try {
            if (Long.parseLong(ttl.strip()) < 0) {
                return "negative TTL";
            }
        } catch (NumberFormatException e) {
            return "TTL is not a number of seconds";
        }
        if (urgency != null && !URGENCIES.contains(urgency.strip().toLowerCase(Locale.ROOT))) {
            return "Urgency is not very-low, low, normal or high";
        }
        if (topic != null && (topic.isEmpty() || topic.length() > 32 || !topic.chars().allMatch(c ->
                (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))) {
            return "Topic is not 1 to 32 characters of the base64url alphabet";
        }
        return null;
    }

    /**
     * A subscription of this fake: where to push and the browser's keys.
     *
     * @param id                   the last path segment of the endpoint
     * @param endpoint             the push resource
     * @param keys                 the browser's keys, with which the fake decrypts
     * @param applicationServerKey the VAPID key pushes must be signed with; {@code null} for any
     */
    public record Subscription(String id, String endpoint, UserAgentKeys keys, VapidKeys applicationServerKey) {
        /** What the application server is given. */
        public PushSubscription pushSubscription() {
            return keys.subscription(endpoint);
        }

        /** The subscription as a browser's {@code JSON.stringify(subscription)} writes it: the device token. */
        public String json() {
            return pushSubscription().toJson();
        }

        @Override
        public String toString() {
            return "Subscription[id=" + id + ", keys=" + keys + "]";
        }
    }

    /**
     * How the fake answers a push that passed its checks.
     *
     * @param status         the HTTP status
     * @param retryAfter     a {@code Retry-After} in seconds; {@code null} for none
     * @param delay          how long to wait before answering; {@code null} for at once
     * @param drop           close the connection without an answer
     */
    public record Reply(int status, Duration retryAfter, Duration delay, boolean drop) {
        /** {@code 201 Created}: accepted, with a {@code Location}. */
        public static Reply created() {
            return new Reply(201, null, null, false);
        }

        /** {@code 404 Not Found}: the subscription expired. */
        public static Reply notFound() {
            return new Reply(404, null, null, false);
        }

        /** {@code 410 Gone}: the subscription ended. */
        public static Reply gone() {
            return new Reply(410, null, null, false);
        }

        /** {@code 413 Payload Too Large}. */
        public static Reply payloadTooLarge() {
            return new Reply(413, null, null, false);
        }

        /** {@code 429 Too Many Requests}, with {@code Retry-After} when not {@code null}. */
        public static Reply tooManyRequests(Duration retryAfter) {
            return new Reply(429, retryAfter, null, false);
        }

        /** {@code 503 Service Unavailable}, with {@code Retry-After} when not {@code null}. */
        public static Reply unavailable(Duration retryAfter) {
            return new Reply(503, retryAfter, null, false);
        }

        /** Any status, e.g. {@code 500} or {@code 502}. */
        public static Reply status(int status) {
            return new Reply(status, null, null, false);
        }

        /** The connection is closed without an answer. */
        public static Reply dropConnection() {
            return new Reply(0, null, null, true);
        }

        /** This reply, after {@code delay}. */
        public Reply delayed(Duration delay) {
            return new Reply(status, retryAfter, delay, drop);
        }
    }

    /**
     * One request as the fake saw it.
     *
     * @param subscriptionId  the endpoint's last path segment
     * @param subscription    the subscription; {@code null} when unknown or ended
     * @param method          the HTTP method
     * @param ttl             the {@code TTL} header; {@code null} when absent
     * @param urgency         the {@code Urgency} header; {@code null} when absent
     * @param topic           the {@code Topic} header; {@code null} when absent
     * @param contentEncoding the {@code Content-Encoding} header; {@code null} when absent
     * @param authorization   the {@code Authorization} header; {@code null} when absent
     * @param vapid           the verified VAPID claims; {@code null} when the token was missing or refused
     * @param body            the body as sent; {@code null} when over {@link #MAX_BODY}
     * @param decrypted       what the browser read; {@code null} when not decrypted
     * @param decryptionError why the body did not decrypt; {@code null} when it did or was not tried
     * @param problem         which check refused the push; {@code null} when none did
     * @param answeredWith    the status answered, 0 for a dropped connection
     * @param receivedNanos   {@link System#nanoTime()} at arrival
     */
    public record Received(String subscriptionId, Subscription subscription, String method, String ttl,
                           String urgency, String topic, String contentEncoding, String authorization,
                           VapidClaims vapid, byte[] body, byte[] decrypted, String decryptionError, String problem,
                           int answeredWith, long receivedNanos) {
        /**
         * What the browser read.
         *
         * @throws AssertionError when the body did not decrypt, or no body was decrypted
         */
        public byte[] plaintext() {
            if (decrypted == null) {
                throw new AssertionError("FakeWebPushService: the push did not decrypt: "
                        + (decryptionError != null ? decryptionError : problem != null ? problem : "no body"));
            }
            return decrypted.clone();
        }

        /** {@link #plaintext()} as UTF-8 text. */
        public String text() {
            return new String(plaintext(), StandardCharsets.UTF_8);
        }

        /** The time between an earlier request's arrival and this one's, for measuring retry delays. */
        public Duration since(Received earlier) {
            return Duration.ofNanos(receivedNanos - earlier.receivedNanos);
        }

        @Override
        public String toString() {
            return "Received[subscription=" + subscriptionId + ", ttl=" + ttl + ", urgency=" + urgency + ", topic="
                    + topic + ", answeredWith=" + answeredWith + ", problem=" + problem + "]";
        }
    }
}
