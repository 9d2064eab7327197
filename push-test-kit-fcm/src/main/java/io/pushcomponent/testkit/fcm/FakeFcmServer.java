package io.pushcomponent.testkit.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcomponent.api.Redaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ServerSocketFactory;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/**
 * A local stand-in for Firebase Cloud Messaging HTTP v1 and for Google's OAuth 2.0 token endpoint, on one loopback
 * port chosen by the system. Script, run, verify:
 *
 * <pre>{@code
 * try (FakeFcmServer fcm = FakeFcmServer.start()) {
 *     Path serviceAccount = fcm.writeServiceAccountJson(tempDir);   // token_uri points at the fake
 *     // configure the FCM provider with service-account-file = serviceAccount, base-url = fcm.baseUrl()
 *     fcm.enqueue(FakeFcmServer.Reply.unregistered());               // the next send is answered 404 UNREGISTERED
 *     // ... run the code under test ...
 *     FakeFcmServer.ReceivedMessage m = fcm.takeMessage(Duration.ofSeconds(5));
 *     String account = m.data().get("account");
 * }
 * }</pre>
 *
 * <p>What it does like the real services:
 * <ul>
 *   <li>{@code POST /token} accepts the JWT-bearer grant google-auth-library sends, checks the assertion's RS256
 *       signature against the key in {@link #serviceAccountJson()}, and issues a fresh access token that expires
 *       after {@link #tokenLifetime(Duration)} (default one hour), unless {@link #tokenReply(TokenReply)} scripts
 *       an outage ({@code 429}, {@code 503}, a dropped connection).</li>
 *   <li>{@code POST /v1/projects/{project}/messages:send} answers {@code 401 UNAUTHENTICATED} unless the bearer token
 *       is one it issued and has not {@linkplain #revokeTokens() revoked}; {@code 404} for another project;
 *       {@code 400 INVALID_ARGUMENT} when the message has no token, a non-string data value, or data over 4096
 *       bytes; otherwise the next {@linkplain #enqueue scripted reply}, or success when none is scripted.</li>
 * </ul>
 * Every request to {@code messages:send} is recorded as a {@link ReceivedMessage} (including those answered with
 * an error), every token request as a {@link TokenRequest}.
 *
 * <p><b>Thread-safety:</b> every method is thread-safe; requests are served concurrently.
 * <b>Lifecycle:</b> {@link #start()} binds the port, {@link #close()} releases it. Needs no test framework;
 * failed expectations throw {@link AssertionError}.
 *
 * @see <a href="https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages/send">FCM HTTP v1
 * messages.send</a>
 * @see <a href="https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode">FCM error codes</a>
 */
public final class FakeFcmServer implements AutoCloseable {
    /** The project id written into {@link #serviceAccountJson()} by {@link #start()}. */
    public static final String DEFAULT_PROJECT_ID = "fake-project";
    /** The OAuth scope FCM HTTP v1 requires. */
    public static final String FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    /** FCM's limit on the data payload (keys and values, UTF-8 bytes). */
    public static final int MAX_DATA_BYTES = 4096;

    /** MockWebServer logs each request at INFO; that would flood test output and slow benchmarks. */
    private static final Logger MOCK_WEB_SERVER_LOG = Logger.getLogger(MockWebServer.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN_PATH = "/token";
    /** google-auth-library names Google's endpoint as the audience even when {@code token_uri} points elsewhere. */
    private static final String GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    static {
        MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
    }

    private final MockWebServer server = new MockWebServer();
    private final String projectId;
    private final KeyPair keyPair;
    private final String clientEmail;
    private final String sendPath;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<ReceivedMessage> unread = new LinkedBlockingQueue<>();
    private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
    private final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final AtomicLong tokenCounter = new AtomicLong();
    private final AtomicLong messageCounter = new AtomicLong();
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private volatile Reply defaultReply = Reply.ok();
    private volatile TokenReply tokenReply = TokenReply.issue();
    private volatile boolean recording = true;

    private FakeFcmServer(String projectId) {
        this.projectId = Objects.requireNonNull(projectId, "projectId");
        this.keyPair = newRsaKeyPair();
        this.clientEmail = "push-test@" + projectId + ".iam.gserviceaccount.com";
        this.sendPath = "/v1/projects/" + projectId + "/messages:send";
        server.setServerSocketFactory(new NoDelayServerSocketFactory());
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return FakeFcmServer.this.dispatch(request);
            }
        });
    }

    /** Starts a fake for project {@value #DEFAULT_PROJECT_ID} on a free loopback port. */
    public static FakeFcmServer start() throws IOException {
        return start(DEFAULT_PROJECT_ID);
    }

    /** Starts a fake for the given project on a free loopback port. */
    public static FakeFcmServer start(String projectId) throws IOException {
        FakeFcmServer fake = new FakeFcmServer(projectId);
        fake.server.start(InetAddress.getLoopbackAddress(), 0);
        return fake;
    }

    /** The FCM base URL to configure, e.g. {@code http://127.0.0.1:40123} (no trailing slash). */
    public String baseUrl() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    /** The OAuth token endpoint; {@link #serviceAccountJson()} names it as {@code token_uri}. */
    public URI tokenUri() {
        return server.url(TOKEN_PATH).uri();
    }

    /** The project id FCM accepts messages for. */
    public String projectId() {
        return projectId;
    }

    /**
     * A service-account JSON for this fake: a fresh RSA key, this project, and {@code token_uri} pointing at
     * {@link #tokenUri()}. Worthless anywhere else.
     */
    public String serviceAccountJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("type", "service_account");
        json.put("project_id", projectId);
        json.put("private_key_id", "fake-key-" + Integer.toHexString(keyPair.getPublic().hashCode()));
        json.put("private_key", pem(keyPair.getPrivate().getEncoded()));
        json.put("client_email", clientEmail);
        json.put("client_id", "100000000000000000000");
        json.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        json.put("token_uri", tokenUri().toString());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@link #serviceAccountJson()} to a new file in {@code directory}.
     *
     * @return the file
     */
    public Path writeServiceAccountJson(Path directory) throws IOException {
        Path file = Files.createTempFile(directory, "fake-fcm-service-account-", ".json");
        Files.writeString(file, serviceAccountJson(), StandardCharsets.UTF_8);
        return file;
    }

    /** How long access tokens issued from now on are valid ({@code expires_in}); one hour unless set. */
    public FakeFcmServer tokenLifetime(Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("token lifetime must be positive, was " + lifetime);
        }
        this.tokenLifetime = lifetime;
        return this;
    }

    /**
     * How the token endpoint answers from now on; {@link TokenReply#issue()} (a fresh token for a valid assertion)
     * unless set. Refused requests are recorded as {@link TokenRequest}s all the same.
     */
    public FakeFcmServer tokenReply(TokenReply reply) {
        this.tokenReply = Objects.requireNonNull(reply, "reply");
        return this;
    }

    /** Makes every access token issued so far invalid: further sends with them get {@code 401 UNAUTHENTICATED}. */
    public void revokeTokens() {
        validTokens.clear();
    }

    /**
     * Scripts the answer to the next accepted send not yet scripted (sends refused for their bearer token or their
     * shape do not consume the script). Sends beyond the script get the {@linkplain #defaultReply default reply}.
     */
    public FakeFcmServer enqueue(Reply reply) {
        script.add(Objects.requireNonNull(reply, "reply"));
        return this;
    }

    /** The answer to sends when nothing is scripted; {@link Reply#ok()} unless set. */
    public FakeFcmServer defaultReply(Reply reply) {
        this.defaultReply = Objects.requireNonNull(reply, "reply");
        return this;
    }

    /**
     * Whether sends are recorded (on by default). Benchmarks turn it off so that recording costs neither memory
     * nor time; {@link #messageCount()} still counts.
     */
    public FakeFcmServer recording(boolean on) {
        this.recording = on;
        return this;
    }

    /**
     * The next recorded send, in arrival order.
     *
     * @throws AssertionError when none arrives within {@code timeout}
     */
    public ReceivedMessage takeMessage(Duration timeout) {
        ReceivedMessage m = pollMessage(timeout);
        if (m == null) {
            throw new AssertionError("FakeFcmServer: no message arrived within " + timeout);
        }
        return m;
    }

    /** The next recorded send, or {@code null} when none arrives within {@code timeout}. */
    public ReceivedMessage pollMessage(Duration timeout) {
        try {
            return unread.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Every recorded send so far, in arrival order (not consumed by {@link #takeMessage}). */
    public List<ReceivedMessage> messages() {
        return new ArrayList<>(messages);
    }

    /** How many requests reached {@code messages:send}, recorded or not. */
    public long messageCount() {
        return messageCounter.get();
    }

    /** Every token request so far, in arrival order. */
    public List<TokenRequest> tokenRequests() {
        return new ArrayList<>(tokenRequests);
    }

    /** How many token requests were made. */
    public int tokenRequestCount() {
        return tokenRequests.size();
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }

    @Override
    public String toString() {
        return "FakeFcmServer[" + baseUrl() + ", project=" + projectId + "]";
    }

    private MockResponse dispatch(RecordedRequest request) {
        long receivedNanos = System.nanoTime();
        String path = request.getPath() == null ? "" : request.getPath();
        if (path.equals(TOKEN_PATH) && "POST".equals(request.getMethod())) {
            return token(request, receivedNanos);
        }
        if (path.startsWith("/v1/projects/") && path.endsWith("/messages:send") && "POST".equals(request.getMethod())) {
            return send(request, path, receivedNanos);
        }
        return error(404, "NOT_FOUND", null, "FakeFcmServer serves POST " + TOKEN_PATH + " and POST " + sendPath)
                .asReply().toResponse(null);
    }

    private MockResponse send(RecordedRequest request, String path, long receivedNanos) {
        messageCounter.incrementAndGet();
        String project = path.substring("/v1/projects/".length(), path.length() - "/messages:send".length());
        String body = request.getUtf8Body();
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        String authorization = request.getHeader("Authorization");
        boolean authorized = authorization != null && authorization.startsWith("Bearer ")
                && validTokens.contains(authorization.substring("Bearer ".length()));
        String invalid = json == null ? "the body is not JSON" : validate(json);
        Reply reply;
        if (!authorized) {
            reply = Reply.unauthenticated();
        } else if (!project.equals(projectId)) {
            reply = error(404, "NOT_FOUND", null, "Requested entity was not found.").asReply();
        } else if (invalid != null) {
            reply = invalid.startsWith("Message too big")
                    ? Reply.messageTooBig()
                    : error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", invalid).asReply();
        } else {
            Reply scripted = script.poll();
            reply = scripted == null ? defaultReply : scripted;
        }
        if (recording) {
            ReceivedMessage m = new ReceivedMessage(project, json, authorization, receivedNanos, Instant.now(),
                    reply.status);
            messages.add(m);
            unread.add(m);
        }
        return reply.toResponse("projects/" + project + "/messages/0:" + receivedNanos + "%fake");
    }

    /** What real FCM checks before accepting a message (the parts this kit's users can get wrong). */
    private static String validate(JsonNode json) {
        JsonNode message = json.get("message");
        if (message == null || !message.isObject()) {
            return "Invalid JSON payload received. Unknown name or missing \"message\"";
        }
        JsonNode token = message.get("token");
        if (token == null || !token.isTextual() || token.asText().isEmpty()) {
            return "Recipient of the message is not set.";
        }
        JsonNode data = message.get("data");
        if (data != null) {
            int size = 0;
            Iterator<Map.Entry<String, JsonNode>> fields = data.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                if (!e.getValue().isTextual()) {
                    return "Invalid value at 'message.data[" + e.getKey() + "].value' (TYPE_STRING)";
                }
                size += e.getKey().getBytes(StandardCharsets.UTF_8).length
                        + e.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
            }
            if (size > MAX_DATA_BYTES) {
                return "Message too big: data payload is " + size + " bytes";
            }
        }
        return null;
    }

    private MockResponse token(RecordedRequest request, long receivedNanos) {
        Map<String, String> form = parseForm(request.getUtf8Body());
        String grant = form.get("grant_type");
        String assertion = form.get("assertion");
        JsonNode claims = JWT_BEARER.equals(grant) && assertion != null ? verifiedClaims(assertion) : null;
        String scope = claims == null ? null : claims.path("scope").asText(null);
        TokenReply outage = tokenReply;
        tokenRequests.add(new TokenRequest(receivedNanos, Instant.now(), scope,
                claims == null ? null : claims.path("iss").asText(null), claims != null && outage.status == 200));
        if (outage.status != 200) {
            return outage.toResponse();
        }
        if (claims == null) {
            return new MockResponse().setResponseCode(400).setHeader("Content-Type", "application/json")
                    .setBody("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
        }
        String token = "fake-access-token-" + tokenCounter.incrementAndGet() + "-" + UUID.randomUUID();
        validTokens.add(token);
        ObjectNode body = JSON.createObjectNode();
        body.put("access_token", token);
        body.put("expires_in", tokenLifetime.toSeconds());
        body.put("token_type", "Bearer");
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }

    /** The JWT's claims when its RS256 signature verifies with this fake's key and it is for a token endpoint. */
    private JsonNode verifiedClaims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(keyPair.getPublic());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return null;
            }
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            String audience = claims.path("aud").asText();
            boolean forUs = clientEmail.equals(claims.path("iss").asText())
                    && (GOOGLE_TOKEN_URI.equals(audience) || tokenUri().toString().equals(audience));
            return forUs ? claims : null;
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static KeyPair newRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no RSA key generator", e);
        }
    }

    private static String pem(byte[] pkcs8) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8);
        return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    }

    private static ErrorBody error(int status, String rpcStatus, String fcmErrorCode, String message) {
        return new ErrorBody(status, rpcStatus, fcmErrorCode, message);
    }

    /**
     * Server sockets whose connections send small segments at once. MockWebServer flushes a response's headers
     * before its body; with Nagle's algorithm the body then waits for the client's delayed ACK (40 ms on Linux),
     * which would make every answer slow and benchmarks meaningless.
     */
    private static final class NoDelayServerSocketFactory extends ServerSocketFactory {
        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new ServerSocket() {
                @Override
                public Socket accept() throws IOException {
                    Socket socket = new Socket();
                    implAccept(socket);
                    socket.setTcpNoDelay(true);
                    return socket;
                }
            };
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            throw new UnsupportedOperationException("MockWebServer binds the socket itself");
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            throw new UnsupportedOperationException("MockWebServer binds the socket itself");
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            throw new UnsupportedOperationException("MockWebServer binds the socket itself");
        }
    }

    /** A google.rpc error body as FCM HTTP v1 writes it. */
    private record ErrorBody(int status, String rpcStatus, String fcmErrorCode, String message) {
        String json() {
            ObjectNode error = JSON.createObjectNode();
            error.put("code", status);
            error.put("message", message);
            error.put("status", rpcStatus);
            if (fcmErrorCode != null) {
                ObjectNode detail = error.putArray("details").addObject();
                detail.put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError");
                detail.put("errorCode", fcmErrorCode);
            }
            ObjectNode root = JSON.createObjectNode();
            root.set("error", error);
            return root.toString();
        }

        Reply asReply() {
            return new Reply(status, json(), null, Duration.ZERO, null);
        }
    }

    /**
     * A scripted answer to one send: a status and body as FCM HTTP v1 writes them, optionally late, or a dropped
     * connection. Immutable.
     */
    public static final class Reply {
        private final int status;
        private final String body;
        private final Duration retryAfter;
        private final Duration delay;
        private final SocketPolicy socketPolicy;

        private Reply(int status, String body, Duration retryAfter, Duration delay, SocketPolicy socketPolicy) {
            this.status = status;
            this.body = body;
            this.retryAfter = retryAfter;
            this.delay = delay;
            this.socketPolicy = socketPolicy;
        }

        /** {@code 200} with the message's name, as FCM answers a send it accepted. */
        public static Reply ok() {
            return new Reply(200, null, null, Duration.ZERO, null);
        }

        /** {@code 404 NOT_FOUND / UNREGISTERED}: the app was uninstalled or the token expired. */
        public static Reply unregistered() {
            return error(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.").asReply();
        }

        /** {@code 400 INVALID_ARGUMENT} about the registration token: the token is malformed. */
        public static Reply invalidRegistrationToken() {
            return error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT",
                    "The registration token is not a valid FCM registration token").asReply();
        }

        /** {@code 400 INVALID_ARGUMENT} about something other than the token (here: a reserved data key). */
        public static Reply invalidArgument() {
            return error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT",
                    "Invalid data payload key: from").asReply();
        }

        /** {@code 400 INVALID_ARGUMENT}: the data payload exceeds 4096 bytes. */
        public static Reply messageTooBig() {
            return error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT",
                    "Message too big. Data payload must be at most 4096 bytes").asReply();
        }

        /** {@code 403 PERMISSION_DENIED / SENDER_ID_MISMATCH}: the token belongs to another Firebase project. */
        public static Reply senderIdMismatch() {
            return error(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH", "SenderId mismatch").asReply();
        }

        /** {@code 401 UNAUTHENTICATED}: the access token is missing, expired or revoked. */
        public static Reply unauthenticated() {
            return error(401, "UNAUTHENTICATED", null, "Request had invalid authentication credentials. "
                    + "Expected OAuth 2 access token, login cookie or other valid authentication credential.")
                    .asReply();
        }

        /** {@code 429 RESOURCE_EXHAUSTED / QUOTA_EXCEEDED}, with {@code Retry-After} when given. */
        public static Reply quotaExceeded(Duration retryAfter) {
            return error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED",
                    "Quota exceeded for quota metric 'Send messages'").asReply().retryAfter(retryAfter);
        }

        /** {@code 503 UNAVAILABLE}, with {@code Retry-After} when given. */
        public static Reply unavailable(Duration retryAfter) {
            return error(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable.").asReply()
                    .retryAfter(retryAfter);
        }

        /** {@code 500 INTERNAL}. */
        public static Reply internal() {
            return error(500, "INTERNAL", "INTERNAL", "Internal error encountered.").asReply();
        }

        /** The server reads the request and closes the connection without answering. */
        public static Reply dropConnection() {
            return new Reply(0, null, null, Duration.ZERO, SocketPolicy.DISCONNECT_AFTER_REQUEST);
        }

        /** This reply, sent only after {@code delay}. */
        public Reply delayed(Duration delay) {
            return new Reply(status, body, retryAfter, Objects.requireNonNull(delay, "delay"), socketPolicy);
        }

        private Reply retryAfter(Duration retryAfter) {
            return new Reply(status, body, retryAfter, delay, socketPolicy);
        }

        private MockResponse toResponse(String messageName) {
            MockResponse response = new MockResponse();
            if (socketPolicy != null) {
                return response.setSocketPolicy(socketPolicy);
            }
            response.setResponseCode(status).setHeader("Content-Type", "application/json; charset=UTF-8");
            if (body == null) {
                response.setBody("{\"name\":\"" + messageName + "\"}");
            } else {
                response.setBody(body);
            }
            if (retryAfter != null) {
                response.setHeader("Retry-After", retryAfter.toSeconds());
            }
            if (!delay.isZero()) {
                response.setHeadersDelay(delay.toNanos(), TimeUnit.NANOSECONDS);
            }
            return response;
        }

        @Override
        public String toString() {
            return socketPolicy != null ? "Reply[drop connection]" : "Reply[" + status
                    + (retryAfter == null ? "" : ", Retry-After " + retryAfter.toSeconds() + "s")
                    + (delay.isZero() ? "" : ", after " + delay) + "]";
        }
    }

    /**
     * How the token endpoint answers: issuing tokens, or one of the ways Google's OAuth endpoint fails. Immutable.
     */
    public static final class TokenReply {
        private final int status;
        private final String body;
        private final Duration retryAfter;

        private TokenReply(int status, String body, Duration retryAfter) {
            this.status = status;
            this.body = body;
            this.retryAfter = retryAfter;
        }

        /** A fresh access token for a valid assertion, {@code 400 invalid_grant} for any other: the default. */
        public static TokenReply issue() {
            return new TokenReply(200, null, null);
        }

        /** {@code 429 Too Many Requests}, with {@code Retry-After} when given ({@code null}: none). */
        public static TokenReply rateLimited(Duration retryAfter) {
            return new TokenReply(429, "{\"error\":\"rate_limit_exceeded\",\"error_description\":\"Rate limit "
                    + "exceeded\"}", retryAfter);
        }

        /** {@code 503 Service Unavailable}, with {@code Retry-After} when given ({@code null}: none). */
        public static TokenReply unavailable(Duration retryAfter) {
            return new TokenReply(503, "{\"error\":\"temporarily_unavailable\"}", retryAfter);
        }

        /** The server reads the request and closes the connection without answering. */
        public static TokenReply dropConnection() {
            return new TokenReply(0, null, null);
        }

        private MockResponse toResponse() {
            if (status == 0) {
                return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
            }
            MockResponse response = new MockResponse().setResponseCode(status)
                    .setHeader("Content-Type", "application/json").setBody(body);
            if (retryAfter != null) {
                response.setHeader("Retry-After", retryAfter.toSeconds());
            }
            return response;
        }

        @Override
        public String toString() {
            return status == 0 ? "TokenReply[drop connection]" : "TokenReply[" + status
                    + (retryAfter == null ? "" : ", Retry-After " + retryAfter.toSeconds() + "s") + "]";
        }
    }

    /**
     * One request to {@code messages:send}.
     *
     * @param project       the project in the URL
     * @param json          the request body; {@code null} when it was not JSON
     * @param authorization the {@code Authorization} header as sent; {@code null} when absent
     * @param receivedNanos {@link System#nanoTime()} when it arrived, for measuring intervals between requests
     * @param receivedAt    wall-clock time when it arrived
     * @param answeredWith  the HTTP status it was answered with; 0 for a dropped connection
     */
    public record ReceivedMessage(String project, JsonNode json, String authorization, long receivedNanos,
                                  Instant receivedAt, int answeredWith) {

        /** {@code message.token}, or {@code null}. */
        public String token() {
            return json == null ? null : json.path("message").path("token").asText(null);
        }

        /** {@code message.data} as a map, in the order sent; empty when absent. */
        public Map<String, String> data() {
            Map<String, String> data = new LinkedHashMap<>();
            if (json != null) {
                json.path("message").path("data").fields()
                        .forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
            }
            return Collections.unmodifiableMap(data);
        }

        /** {@code message.android.priority}, or {@code null}. */
        public String androidPriority() {
            return json == null ? null : json.path("message").path("android").path("priority").asText(null);
        }

        /** The time between {@code earlier} arriving and this one arriving. */
        public Duration since(ReceivedMessage earlier) {
            return Duration.ofNanos(receivedNanos - earlier.receivedNanos);
        }

        /** Shows the token shortened and never the access token. */
        @Override
        public String toString() {
            String token = token();
            return "ReceivedMessage[project=" + project + ", token="
                    + Redaction.token(token) + ", data keys=" + data().keySet()
                    + ", answeredWith=" + answeredWith + "]";
        }
    }

    /**
     * One request to the token endpoint.
     *
     * @param receivedNanos {@link System#nanoTime()} when it arrived
     * @param receivedAt    wall-clock time when it arrived
     * @param scope         the {@code scope} claim of the assertion; {@code null} when the assertion was refused
     * @param issuer        the {@code iss} claim (the service account's e-mail); {@code null} when refused
     * @param accepted      {@code true} when a token was issued
     */
    public record TokenRequest(long receivedNanos, Instant receivedAt, String scope, String issuer,
                               boolean accepted) {
    }
}
