package io.pushcomponent.testkit.apns;

import com.eatthepath.pushy.apns.ApnsPushNotification;
import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.server.AcceptAllPushNotificationHandlerFactory;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.ParsingMockApnsServerListenerAdapter;
import com.eatthepath.pushy.apns.server.PushNotificationHandler;
import com.eatthepath.pushy.apns.server.PushNotificationHandlerFactory;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.UnregisteredDeviceTokenException;
import com.eatthepath.pushy.apns.server.ValidatingPushNotificationHandlerFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.pushcomponent.api.Redaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;

/**
 * A local Apple Push Notification service for tests: pushy's {@code MockApnsServer} (real TLS, real HTTP/2) on a
 * free loopback port, with throw-away credentials generated at start: a CA ({@link #caCertificateFile()}, for the
 * client's trust store), a server certificate for {@code localhost}, client certificates per bundle id in
 * password-protected {@code .p12} files ({@link #clientCertificate(String)}), and an ES256 signing key in a
 * {@code .p8} file with its team id and key id ({@link #signingKey()}).
 *
 * <p>Two modes. <b>Accept-all</b> ({@link #start()}) accepts every notification. <b>Validating</b>
 * ({@link #startValidating()}) behaves like the real service: it knows which device tokens belong to which topic
 * ({@link #addDeviceToken}), answers {@code DeviceTokenNotForTopic}, {@code BadDeviceToken}, {@code BadTopic},
 * {@code InvalidProviderToken} and {@code Unregistered} (410, with the time the token became invalid,
 * {@link #unregisterDeviceToken}) where Apple would, and checks token-authentication JWTs against the signing
 * key's public half. In both modes {@link #rejectNext} scripts rejections for the next notifications.
 *
 * <p>Script, run, verify:
 *
 * <pre>{@code
 * try (FakeApnsServer apns = FakeApnsServer.startValidating()) {
 *     apns.addDeviceToken("com.example.app", token);
 *     apns.rejectNext(1, FakeApnsServer.Rejection.of("TooManyRequests"));
 *     // ... point the client at apns.host():apns.port(), trusting apns.caCertificateFile() ...
 *     FakeApnsServer.ReceivedNotification n = apns.takeNotification(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p><b>Thread-safety:</b> every method is thread-safe. <b>Lifecycle:</b> listening once a {@code start} method
 * returns; {@link #close()} stops it and deletes the generated files. Needs no test framework; failed expectations
 * throw {@link AssertionError}.
 *
 * @see <a href="https://developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns">
 * Sending notification requests to APNs</a>
 */
public final class FakeApnsServer implements AutoCloseable {
    /** The team id of {@link #signingKey()}. */
    public static final String TEAM_ID = "FAKETEAM01";
    /** The key id of {@link #signingKey()}. */
    public static final String KEY_ID = "FAKEKEY001";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final boolean validating;
    private final boolean recording;
    private final Path directory;
    private final boolean ownsFiles;
    private final TestCertificates certificates;
    private final String clientCertificatePassword;
    private final SigningKey signingKey;
    private final ECPublicKey verificationKey;
    private final Map<String, Set<String>> deviceTokensByTopic = new ConcurrentHashMap<>();
    private final Map<String, Instant> expirationsByToken = new ConcurrentHashMap<>();
    private final Set<String> signingKeyTopics = ConcurrentHashMap.newKeySet();
    private final Map<String, ClientCertificate> clientCertificates;
    private final ConcurrentLinkedQueue<Rejection> script = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<ReceivedNotification> accepted = new LinkedBlockingQueue<>();
    private final List<ReceivedNotification> acceptedHistory = new CopyOnWriteArrayList<>();
    private final BlockingQueue<RejectedNotification> rejected = new LinkedBlockingQueue<>();
    private final AtomicLong acceptedCount = new AtomicLong();
    private final AtomicLong rejectedCount = new AtomicLong();
    private final EventLoopGroup eventLoopGroup = new NioEventLoopGroup(1);
    private final MockApnsServer server;
    private final int port;
    private volatile boolean closed;

    private FakeApnsServer(Builder builder) {
        this.validating = builder.validating;
        this.recording = builder.recording;
        FakeApnsServer shared = builder.credentialsOf;
        if (shared != null) {
            this.directory = shared.directory;
            this.ownsFiles = false;
            this.certificates = shared.certificates;
            this.clientCertificatePassword = shared.clientCertificatePassword;
            this.clientCertificates = shared.clientCertificates;
            this.signingKey = shared.signingKey;
            this.verificationKey = shared.verificationKey;
        } else {
            try {
                this.directory = Files.createTempDirectory("fake-apns-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for the fake APNs credentials", e);
            }
            this.ownsFiles = true;
            this.certificates = new TestCertificates(directory);
            this.clientCertificatePassword = "fake-apns-" + Long.toHexString(System.nanoTime());
            this.clientCertificates = new ConcurrentHashMap<>();
            TestCertificates.SigningKeyFile key = certificates.signingKey(KEY_ID);
            this.signingKey = new SigningKey(key.file(), TEAM_ID, KEY_ID);
            this.verificationKey = (ECPublicKey) key.keys().getPublic();
        }
        PushNotificationHandlerFactory base;
        if (validating) {
            ApnsVerificationKey verificationKey;
            try {
                verificationKey = new ApnsVerificationKey(KEY_ID, TEAM_ID, this.verificationKey);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("cannot build the fake APNs verification key", e);
            }
            base = new ValidatingPushNotificationHandlerFactory(deviceTokensByTopic, expirationsByToken,
                    Map.of(KEY_ID, verificationKey), Map.of(verificationKey, signingKeyTopics));
        } else {
            base = new AcceptAllPushNotificationHandlerFactory();
        }
        TestCertificates.ServerCredentials credentials = certificates.serverCredentials();
        try {
            server = new MockApnsServerBuilder()
                    .setServerCredentials(credentials.chain(), credentials.key(), null)
                    .setTrustedClientCertificateChain(certificates.caCertificateFile().toFile())
                    .setHandlerFactory(new ScriptedHandlerFactory(base))
                    .setListener(new RecordingListener())
                    .setMaxConcurrentStreams(builder.maxConcurrentStreams)
                    .setEventLoopGroup(eventLoopGroup)
                    .build();
            port = server.start(0).get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (SSLException | ExecutionException | TimeoutException e) {
            eventLoopGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            deleteFiles();
            throw new IllegalStateException("the fake APNs server did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            eventLoopGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            deleteFiles();
            throw new IllegalStateException("interrupted while starting the fake APNs server", e);
        }
    }

    /** Starts a server that accepts every notification. */
    public static FakeApnsServer start() {
        return builder().start();
    }

    /** Starts a server that validates notifications like the real service; register tokens with {@link #addDeviceToken}. */
    public static FakeApnsServer startValidating() {
        return builder().validating().start();
    }

    /** A builder for a server with non-default options. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code localhost}: the host name the server certificate is valid for. */
    public String host() {
        return "localhost";
    }

    /** The port the server listens on. */
    public int port() {
        return port;
    }

    /** {@code true} for a validating server. */
    public boolean isValidating() {
        return validating;
    }

    /** The CA certificate (PEM) that issued the server's and the clients' certificates; clients must trust it. */
    public Path caCertificateFile() {
        return certificates.caCertificateFile();
    }

    /**
     * A client certificate for {@code topic} (a bundle id), valid for a year; the same one on every call. The
     * validating server allows it the topic and {@code <topic>.voip}, as Apple's certificates do.
     */
    public ClientCertificate clientCertificate(String topic) {
        Objects.requireNonNull(topic, "topic");
        return clientCertificates.computeIfAbsent(topic,
                t -> clientCertificate(t, Instant.now().plus(Duration.ofDays(365))));
    }

    /** A new client certificate for {@code topic} that expires at {@code notAfter} (for expiry warnings). */
    public ClientCertificate clientCertificate(String topic, Instant notAfter) {
        Objects.requireNonNull(topic, "topic");
        TestCertificates.ClientCertificateFile file =
                certificates.clientCertificate(topic, notAfter, clientCertificatePassword);
        return new ClientCertificate(file.file(), clientCertificatePassword, topic,
                file.certificate().getNotAfter().toInstant());
    }

    /** The token-authentication signing key (ES256, PEM {@code .p8}) with its team id and key id. */
    public SigningKey signingKey() {
        return signingKey;
    }

    /**
     * Makes {@code token} a valid device token for {@code topic} (validating mode) and lets the signing key send to
     * {@code topic}. For VoIP pushes add the PushKit token under {@code <bundle>.voip}.
     */
    public FakeApnsServer addDeviceToken(String topic, String token) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(token, "token");
        deviceTokensByTopic.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(token);
        signingKeyTopics.add(topic);
        return this;
    }

    /**
     * From now on answers notifications to {@code token} with {@code Unregistered} (410) and the time the token
     * stopped being valid (validating mode).
     */
    public FakeApnsServer unregisterDeviceToken(String token, Instant since) {
        expirationsByToken.put(Objects.requireNonNull(token, "token"), Objects.requireNonNull(since, "since"));
        return this;
    }

    /** Rejects the next {@code count} notifications not yet scripted with {@code rejection}, in either mode. */
    public FakeApnsServer rejectNext(int count, Rejection rejection) {
        Objects.requireNonNull(rejection, "rejection");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        for (int i = 0; i < count; i++) {
            script.add(rejection);
        }
        return this;
    }

    /**
     * The next accepted notification, in order of arrival.
     *
     * @throws AssertionError when none arrives within {@code timeout}
     */
    public ReceivedNotification takeNotification(Duration timeout) {
        ReceivedNotification n = pollNotification(timeout);
        if (n == null) {
            throw new AssertionError("no notification was accepted within " + timeout + " (accepted so far: "
                    + acceptedCount.get() + ", rejected: " + rejectedCount.get() + ")");
        }
        return n;
    }

    /** The next accepted notification, or {@code null} when none arrives within {@code timeout}. */
    public ReceivedNotification pollNotification(Duration timeout) {
        return poll(accepted, timeout);
    }

    /**
     * The next rejected notification with the reason the server gave.
     *
     * @throws AssertionError when none is rejected within {@code timeout}
     */
    public RejectedNotification takeRejection(Duration timeout) {
        RejectedNotification r = poll(rejected, timeout);
        if (r == null) {
            throw new AssertionError("no notification was rejected within " + timeout);
        }
        return r;
    }

    /** Every notification accepted so far (not consumed by {@link #takeNotification}); empty when not recording. */
    public List<ReceivedNotification> notifications() {
        return new ArrayList<>(acceptedHistory);
    }

    /** How many notifications were accepted, recorded or not. */
    public long acceptedCount() {
        return acceptedCount.get();
    }

    /** How many notifications were rejected. */
    public long rejectedCount() {
        return rejectedCount.get();
    }

    /**
     * Stops the server and deletes the generated credentials (unless it shares another server's, see
     * {@link Builder#sharingCredentialsWith}). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            // no quiet period: the server's channels are closed already, and tests start and stop many servers
            eventLoopGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the fake APNs server did not stop", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteFiles();
        }
    }

    private void deleteFiles() {
        if (!ownsFiles) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the fake APNs credentials in " + directory, e);
        }
    }

    private static <T> T poll(BlockingQueue<T> queue, Duration timeout) {
        try {
            return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static ReceivedNotification received(ApnsPushNotification n) {
        return new ReceivedNotification(n.getToken(), n.getTopic(),
                n.getPushType() == null ? null : n.getPushType().getHeaderValue(),
                n.getPriority() == null ? null : n.getPriority().getCode(), n.getPayload(), n.getCollapseId(),
                n.getExpiration());
    }

    /** Options for {@link #builder()}. Not thread-safe; use once. */
    public static final class Builder {
        private boolean validating;
        private boolean recording = true;
        private int maxConcurrentStreams = 1500;
        private FakeApnsServer credentialsOf;

        private Builder() {
        }

        /** Validate like the real service instead of accepting everything. */
        public Builder validating() {
            this.validating = true;
            return this;
        }

        /**
         * Whether accepted notifications are kept for {@link #takeNotification} (default {@code true}); load tests
         * turn it off and read {@link #acceptedCount()}.
         */
        public Builder recording(boolean recording) {
            this.recording = recording;
            return this;
        }

        /** HTTP/2 streams the server allows per connection (default 1500, as Apple announces). */
        public Builder maxConcurrentStreams(int maxConcurrentStreams) {
            this.maxConcurrentStreams = maxConcurrentStreams;
            return this;
        }

        /**
         * Use the CA, server identity issuer, client certificates and signing key of {@code other}, so that one client
         * configuration reaches both, e.g. a production and a sandbox fake. Close this server before {@code other}:
         * the files belong to {@code other}.
         */
        public Builder sharingCredentialsWith(FakeApnsServer other) {
            this.credentialsOf = Objects.requireNonNull(other, "other");
            return this;
        }

        /** Starts the server on a free port. */
        public FakeApnsServer start() {
            return new FakeApnsServer(this);
        }
    }

    /**
     * A client certificate file.
     *
     * @param file     the PKCS#12 file holding the certificate and its private key
     * @param password the file's password
     * @param topic    the bundle id the certificate is for
     * @param notAfter when it expires
     */
    public record ClientCertificate(Path file, String password, String topic, Instant notAfter) {
        @Override
        public String toString() {
            return "ClientCertificate[file=" + file + ", password=" + Redaction.secret(password) + ", topic=" + topic
                    + ", notAfter=" + notAfter + "]";
        }
    }

    /**
     * The token-authentication key.
     *
     * @param file   the PKCS#8 PEM file ({@code .p8}) holding the private key
     * @param teamId the team id that goes with it
     * @param keyId  the key id that goes with it
     */
    public record SigningKey(Path file, String teamId, String keyId) {
    }

    /**
     * A notification as the server received it.
     *
     * @param token      the device token from the request path
     * @param topic      {@code apns-topic}
     * @param pushType   {@code apns-push-type} ({@code alert}, {@code background}, {@code voip}, ...); {@code null}
     *                   when absent
     * @param priority   {@code apns-priority} (10 or 5); {@code null} when absent
     * @param payload    the JSON body
     * @param collapseId {@code apns-collapse-id}; {@code null} when absent
     * @param expiration {@code apns-expiration}; {@code null} when absent
     */
    public record ReceivedNotification(String token, String topic, String pushType, Integer priority, String payload,
                                       String collapseId, Instant expiration) {
        @Override
        public String toString() {
            return "ReceivedNotification[token=" + Redaction.token(token) + ", topic=" + topic + ", pushType="
                    + pushType + ", priority=" + priority + ", payload=" + payload + ", collapseId=" + collapseId
                    + ", expiration=" + expiration + "]";
        }
    }

    /**
     * A notification the server rejected.
     *
     * @param notification what was sent
     * @param reason       the APNs reason, e.g. {@code Unregistered}
     * @param status       the HTTP status that went with it
     * @param timestamp    for {@code Unregistered}, when the token stopped being valid; {@code null} otherwise
     */
    public record RejectedNotification(ReceivedNotification notification, String reason, int status,
                                       Instant timestamp) {
    }

    /**
     * A scripted rejection. The HTTP status is the one APNs sends with the reason ({@link #status()}).
     *
     * @param reason    the APNs reason as Apple spells it, e.g. {@code TooManyRequests}
     * @param timestamp for {@code Unregistered}: when the token stopped being valid; {@code null} otherwise
     * @see <a href="https://developer.apple.com/documentation/usernotifications/handling-notification-responses-from-apns">
     * Handling notification responses from APNs</a>
     */
    public record Rejection(String reason, Instant timestamp) {
        public Rejection {
            Objects.requireNonNull(reason, "reason");
            pushyReason(reason);
            if (reason.equals("Unregistered") != (timestamp != null)) {
                throw new IllegalArgumentException("a timestamp goes with Unregistered and only with it; use "
                        + "Rejection.unregistered(Instant)");
            }
        }

        /**
         * A rejection with {@code reason}.
         *
         * @throws IllegalArgumentException when APNs has no such reason
         */
        public static Rejection of(String reason) {
            return new Rejection(reason, null);
        }

        /** {@code Unregistered} (410): the token stopped being valid at {@code since}. */
        public static Rejection unregistered(Instant since) {
            return new Rejection("Unregistered", Objects.requireNonNull(since, "since"));
        }

        /** The HTTP status APNs sends with this reason. */
        public int status() {
            return statusOf(reason);
        }

        RejectedNotificationException toException() {
            return timestamp != null ? new UnregisteredDeviceTokenException(timestamp)
                    : new RejectedNotificationException(pushyReason(reason));
        }
    }

    private static com.eatthepath.pushy.apns.server.RejectionReason pushyReason(String reason) {
        String constant = reason.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        try {
            com.eatthepath.pushy.apns.server.RejectionReason r =
                    com.eatthepath.pushy.apns.server.RejectionReason.valueOf(constant);
            if (!reasonText(r).equals(reason)) {
                throw new IllegalArgumentException(constant);
            }
            return r;
        } catch (IllegalArgumentException e) {
            List<String> known = Stream.of(com.eatthepath.pushy.apns.server.RejectionReason.values())
                    .map(FakeApnsServer::reasonText).toList();
            throw new IllegalArgumentException("APNs has no rejection reason '" + reason + "'; known: " + known, e);
        }
    }

    private static String reasonText(com.eatthepath.pushy.apns.server.RejectionReason r) {
        StringBuilder text = new StringBuilder();
        for (String word : r.name().split("_")) {
            text.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return text.toString();
    }

    /** Status codes from Apple's table of APNs responses. */
    private static int statusOf(String reason) {
        return switch (reason) {
            case "BadCertificate", "BadCertificateEnvironment", "ExpiredProviderToken", "Forbidden",
                    "InvalidProviderToken", "MissingProviderToken" -> 403;
            case "BadPath" -> 404;
            case "MethodNotAllowed" -> 405;
            case "Unregistered" -> 410;
            case "PayloadTooLarge" -> 413;
            case "TooManyProviderTokenUpdates", "TooManyRequests" -> 429;
            case "InternalServerError" -> 500;
            case "ServiceUnavailable", "Shutdown" -> 503;
            default -> 400;
        };
    }

    private final class ScriptedHandlerFactory implements PushNotificationHandlerFactory {
        private final PushNotificationHandlerFactory base;

        ScriptedHandlerFactory(PushNotificationHandlerFactory base) {
            this.base = base;
        }

        @Override
        public PushNotificationHandler buildHandler(javax.net.ssl.SSLSession session) {
            PushNotificationHandler handler = base.buildHandler(session);
            return (headers, payload) -> {
                Rejection scripted = script.poll();
                if (scripted != null) {
                    throw scripted.toException();
                }
                handler.handlePushNotification(headers, payload);
            };
        }
    }

    private final class RecordingListener extends ParsingMockApnsServerListenerAdapter {
        @Override
        public void handlePushNotificationAccepted(ApnsPushNotification notification) {
            acceptedCount.incrementAndGet();
            if (recording) {
                ReceivedNotification n = received(notification);
                acceptedHistory.add(n);
                accepted.add(n);
            }
        }

        @Override
        public void handlePushNotificationRejected(ApnsPushNotification notification,
                                                   com.eatthepath.pushy.apns.server.RejectionReason reason,
                                                   Instant timestamp) {
            rejectedCount.incrementAndGet();
            String text = reasonText(reason);
            rejected.add(new RejectedNotification(received(notification), text, statusOf(text), timestamp));
        }
    }
}
