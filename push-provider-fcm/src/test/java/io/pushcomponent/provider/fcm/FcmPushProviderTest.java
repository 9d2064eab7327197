package io.pushcomponent.provider.fcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.DeliveryResult.Delivered;
import io.pushcomponent.api.DeliveryResult.Rejected;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.Summary;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import io.pushcomponent.testkit.fcm.FakeFcmServer.ReceivedMessage;
import io.pushcomponent.testkit.fcm.FakeFcmServer.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FcmPushProviderTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Shaped like a real FCM registration token (152 characters). */
    static final String DEVICE_TOKEN = "dQw4w9WgXcQ:APA91bH" + "x".repeat(133);

    @TempDir
    Path tempDir;

    private FakeFcmServer fcm;
    private final List<PushProvider> providers = new ArrayList<>();

    @BeforeEach
    void startFake() throws IOException {
        fcm = FakeFcmServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        providers.forEach(PushProvider::close);
        fcm.close();
    }

    private PushProvider provider(Object... extraSettings) throws IOException {
        Map<String, Object> settings = new HashMap<>();
        settings.put(FcmPushProviderFactory.SERVICE_ACCOUNT_FILE, fcm.writeServiceAccountJson(tempDir).toString());
        settings.put(FcmPushProviderFactory.BASE_URL, fcm.baseUrl());
        settings.put(FcmPushProviderFactory.RETRY_BASE_DELAY, "PT0.01S");
        for (int i = 0; i < extraSettings.length; i += 2) {
            settings.put((String) extraSettings[i], extraSettings[i + 1]);
        }
        PushProvider p = new FcmPushProviderFactory().create(ProviderSettings.of(FcmPushProviderFactory.ID, settings));
        providers.add(p);
        return p;
    }

    private static DeliveryResult await(CompletionStage<DeliveryResult> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static Device device() {
        return Device.of(FcmPushProviderFactory.ID, DEVICE_TOKEN);
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void aMessageArrivesAsADataMessageWithTheSummaryKeysStorkReads() throws Exception {
        PushProvider provider = provider();
        Summary summary = new Summary(3, "romeo@example.net/orchard", "Wherefore art thou?", null, "Romeo");

        DeliveryResult result = await(provider.send(PushRequest.message(device(), "juliet@example.com", summary)));

        assertThat(result).as("FCM's 200 answer is a delivery carrying the message name")
                .isInstanceOfSatisfying(Delivered.class,
                        d -> assertThat(d.providerMessageId()).startsWith("projects/fake-project/messages/"));
        ReceivedMessage m = fcm.takeMessage(WAIT);
        assertThat(m.project()).isEqualTo("fake-project");
        assertThat(m.json()).as("the exact body FCM receives for a message with a body: data keys as strings, "
                        + "the sender's bare JID, high priority, TTL, collapse key per account")
                .isEqualTo(json("{'message': {'token': '" + DEVICE_TOKEN + "',"
                        + " 'data': {'account': 'juliet@example.com', 'unread-messages': '3',"
                        + "          'sender': 'romeo@example.net', 'nickname': 'Romeo',"
                        + "          'body': 'Wherefore art thou?'},"
                        + " 'android': {'priority': 'high', 'ttl': '86400s', 'collapse_key': 'juliet@example.com'}}}"));
        assertThat(m.authorization()).as("sends carry the OAuth access token from the token endpoint")
                .startsWith("Bearer fake-access-token-");
    }

    @Test
    void aBadgeClearIsANormalPriorityDataMessageWithoutNotificationText() throws Exception {
        PushProvider provider = provider();

        await(provider.send(PushRequest.message(device(), "juliet@example.com", new Summary(0, null, null, null, null))));

        assertThat(fcm.takeMessage(WAIT).json()).as("message-count 0: unread-messages '0' kept (it clears the "
                        + "badge), no sender or body, normal priority")
                .isEqualTo(json("{'message': {'token': '" + DEVICE_TOKEN + "',"
                        + " 'data': {'account': 'juliet@example.com', 'unread-messages': '0'},"
                        + " 'android': {'priority': 'normal', 'ttl': '86400s', 'collapse_key': 'juliet@example.com'}}}"));
    }

    @Test
    void anEmptyNotificationIsANormalPriorityWakeUpWithOnlyTheAccount() throws Exception {
        PushProvider provider = provider();

        await(provider.send(PushRequest.message(device(), "juliet@example.com", Summary.EMPTY)));

        ReceivedMessage m = fcm.takeMessage(WAIT);
        assertThat(m.data()).as("empty values are left out").containsExactly(Map.entry("account", "juliet@example.com"));
        assertThat(m.androidPriority()).isEqualTo("normal");
    }

    @Test
    void aCallIsHighPriorityWithTheShortCallTtl() throws Exception {
        PushProvider provider = provider();
        PushRequest call = new PushRequest(device(), "juliet@example.com",
                new Summary(null, "romeo@example.net/orchard", null, null, null), PushKind.CALL, PushPriority.HIGH,
                null, null);

        await(provider.send(call));

        assertThat(fcm.takeMessage(WAIT).json()).as("a call has no body but is high priority; a call push that "
                        + "arrives late is useless, so its TTL is call-ttl (60 s)")
                .isEqualTo(json("{'message': {'token': '" + DEVICE_TOKEN + "',"
                        + " 'data': {'account': 'juliet@example.com', 'sender': 'romeo@example.net'},"
                        + " 'android': {'priority': 'high', 'ttl': '60s', 'collapse_key': 'juliet@example.com'}}}"));
    }

    @Test
    void aCountWithoutBodyIsNormalPriority() throws Exception {
        PushProvider provider = provider();

        await(provider.send(PushRequest.message(device(), "juliet@example.com", new Summary(2, null, null, null, null))));

        assertThat(fcm.takeMessage(WAIT).androidPriority()).as("high only with a body or a call").isEqualTo("normal");
    }

    @Test
    void anEncryptedTigasePayloadIsPassedThroughAsDataKeys() throws Exception {
        PushProvider provider = provider();
        EncryptedPayload encrypted = new EncryptedPayload("q1w2e3r4t5y6u7i8", "Y2lwaGVydGV4dCt0YWc=", null);
        PushRequest request = new PushRequest(device(), "juliet@example.com", Summary.EMPTY, PushKind.MESSAGE,
                PushPriority.HIGH, encrypted, "juliet@example.com");

        await(provider.send(request));

        ReceivedMessage m = fcm.takeMessage(WAIT);
        assertThat(m.data()).as("the app server cannot read the payload; it passes ciphertext and IV on unchanged")
                .containsExactly(Map.entry("account", "juliet@example.com"),
                        Map.entry("encrypted", "Y2lwaGVydGV4dCt0YWc="), Map.entry("iv", "q1w2e3r4t5y6u7i8"));
        assertThat(m.androidPriority()).as("the body is hidden, so the publisher's priority decides").isEqualTo("high");
    }

    @Test
    void aBodyTooLongForFcmIsShortenedToFitTheLimit() throws Exception {
        PushProvider provider = provider();
        String body = "é".repeat(3000);

        DeliveryResult result = await(provider.send(
                PushRequest.message(device(), "juliet@example.com", new Summary(1, null, body, null, null))));

        assertThat(result.isDelivered()).as("a long message is still announced").isTrue();
        Map<String, String> data = fcm.takeMessage(WAIT).data();
        int size = data.entrySet().stream().mapToInt(e -> utf8(e.getKey()) + utf8(e.getValue())).sum();
        assertThat(size).as("data keys and values fit FCM's 4096 bytes").isLessThanOrEqualTo(4096).isGreaterThan(4000);
        assertThat(data.get("body")).as("shortened on a character boundary and marked").startsWith("éé").endsWith("…");
    }

    @Test
    void anEncryptedPayloadOverTheLimitIsRejectedWithoutCallingFcm() throws Exception {
        PushProvider provider = provider();
        EncryptedPayload huge = new EncryptedPayload("q1w2e3r4t5y6u7i8", "A".repeat(5000), null);

        DeliveryResult result = await(provider.send(new PushRequest(device(), "juliet@example.com", Summary.EMPTY,
                PushKind.MESSAGE, PushPriority.HIGH, huge, null)));

        assertThat(result).as("ciphertext cannot be shortened: PAYLOAD_TOO_LARGE, checked before sending")
                .isInstanceOfSatisfying(Rejected.class,
                        r -> assertThat(r.reason()).isEqualTo(RejectionReason.PAYLOAD_TOO_LARGE));
        assertThat(fcm.messageCount()).isZero();
    }

    @Test
    void aThousandSendsFetchOneAccessToken() throws Exception {
        // The rule is about token caching, not connect time-outs: the 1 s default can expire on a loaded machine
        // while the fake's accept queue fills with the first burst of connections.
        PushProvider provider = provider(FcmPushProviderFactory.CONNECT_TIMEOUT, "PT10S");
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<CompletionStage<DeliveryResult>>> submitted = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                Summary s = new Summary(i, null, "message " + i, null, null);
                submitted.add(CompletableFuture.supplyAsync(
                        () -> provider.send(PushRequest.message(device(), "juliet@example.com", s)), callers));
            }
            for (CompletableFuture<CompletionStage<DeliveryResult>> f : submitted) {
                assertThat(await(f.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isDelivered()).isTrue();
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(fcm.messageCount()).isEqualTo(1000);
        assertThat(fcm.tokenRequestCount()).as("the access token is cached: one token request for 1,000 sends, "
                + "concurrent first sends share one fetch").isEqualTo(1);
        assertThat(fcm.tokenRequests().get(0).scope()).as("the token is scoped for FCM")
                .isEqualTo("https://www.googleapis.com/auth/firebase.messaging");
    }

    @Test
    void aTokenNearExpiryIsRenewedAheadOfTimeOnce() throws Exception {
        fcm.tokenLifetime(Duration.ofMinutes(10));
        PushProvider provider = provider(FcmPushProviderFactory.TOKEN_REFRESH_MARGIN, "PT9M59.9S");
        Summary s = new Summary(1, null, "hi", null, null);
        await(provider.send(PushRequest.message(device(), "juliet@example.com", s)));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (fcm.tokenRequestCount() < 2 && System.nanoTime() < deadline) {
            await(provider.send(PushRequest.message(device(), "juliet@example.com", s)));
        }

        assertThat(fcm.tokenRequestCount()).as("inside the refresh margin a send triggers one background fetch")
                .isEqualTo(2);
        String firstToken = fcm.messages().get(0).authorization();
        assertThat(fcm.messages()).as("sends in the margin did not wait: they went out with the old token")
                .extracting(ReceivedMessage::authorization).contains(firstToken);
    }

    @Test
    void a429WithRetryAfterIsRetriedAfterThatDelay() throws Exception {
        PushProvider provider = provider();
        fcm.enqueue(Reply.quotaExceeded(Duration.ofSeconds(1)));

        DeliveryResult result = await(provider.send(
                PushRequest.message(device(), "juliet@example.com", new Summary(1, null, "hi", null, null))));

        assertThat(result.isDelivered()).as("the retry after QUOTA_EXCEEDED succeeds").isTrue();
        ReceivedMessage first = fcm.takeMessage(WAIT);
        ReceivedMessage retry = fcm.takeMessage(WAIT);
        assertThat(first.answeredWith()).isEqualTo(429);
        assertThat(retry.since(first)).as("the retry honours Retry-After: 1").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(retry.json()).as("the retry sends the same message").isEqualTo(first.json());
    }

    @Test
    void retriesAreBoundedThenTheRejectionIsTransient() throws Exception {
        PushProvider provider = provider(FcmPushProviderFactory.MAX_RETRIES, 2);
        fcm.defaultReply(Reply.unavailable(null));

        DeliveryResult result = await(provider.send(
                PushRequest.message(device(), "juliet@example.com", new Summary(1, null, "hi", null, null))));

        assertThat(result).as("after max-retries the push is rejected as UNAVAILABLE, which keeps the device")
                .isInstanceOfSatisfying(Rejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(RejectionReason.UNAVAILABLE);
                    assertThat(r.reason().isPermanent()).isFalse();
                    assertThat(r.detail()).contains("503");
                });
        assertThat(fcm.messageCount()).as("one send and two retries").isEqualTo(3);
        List<ReceivedMessage> m = fcm.messages();
        assertThat(m.get(2).since(m.get(1))).as("the backoff grows").isGreaterThanOrEqualTo(Duration.ofMillis(10));
    }

    @Test
    void aRetryAfterBeyondTheLongestRetryDelayIsReturnedToTheCaller() throws Exception {
        PushProvider provider = provider(FcmPushProviderFactory.MAX_RETRY_DELAY, "PT30S");
        fcm.enqueue(Reply.quotaExceeded(Duration.ofSeconds(120)));

        DeliveryResult result = await(provider.send(
                PushRequest.message(device(), "juliet@example.com", new Summary(1, null, "hi", null, null))));

        assertThat(result).as("FCM asked for more patience than max-retry-delay: no retry, the advice is passed on")
                .isEqualTo(new Rejected(RejectionReason.QUOTA_EXCEEDED, "HTTP 429 RESOURCE_EXHAUSTED QUOTA_EXCEEDED",
                        Duration.ofSeconds(120)));
        assertThat(fcm.messageCount()).isEqualTo(1);
    }

    @Test
    void a401FetchesANewTokenOnceAndSendsAgain() throws Exception {
        PushProvider provider = provider();
        fcm.enqueue(Reply.unauthenticated());

        DeliveryResult result = await(provider.send(
                PushRequest.message(device(), "juliet@example.com", new Summary(1, null, "hi", null, null))));

        assertThat(result.isDelivered()).isTrue();
        List<ReceivedMessage> m = fcm.messages();
        assertThat(m).extracting(ReceivedMessage::answeredWith).containsExactly(401, 200);
        assertThat(fcm.tokenRequestCount()).as("one fetch at start, one after the 401").isEqualTo(2);
        assertThat(m.get(1).authorization()).as("the retry carries the new token").isNotEqualTo(m.get(0).authorization());
    }

    @Test
    void a401AfterANewTokenIsAuthFailed() throws Exception {
        PushProvider provider = provider();
        fcm.enqueue(Reply.unauthenticated()).enqueue(Reply.unauthenticated());

        DeliveryResult result = await(provider.send(
                PushRequest.message(device(), "juliet@example.com", new Summary(1, null, "hi", null, null))));

        assertThat(result).as("refreshed once; still refused: AUTH_FAILED (an operator must act), device kept")
                .isInstanceOfSatisfying(Rejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(RejectionReason.AUTH_FAILED);
                    assertThat(r.reason().invalidatesDevice()).isFalse();
                });
        assertThat(fcm.tokenRequestCount()).as("exactly one refresh").isEqualTo(2);
        assertThat(fcm.messageCount()).isEqualTo(2);
    }

    @Test
    void aServiceAccountTheTokenEndpointRefusesIsAuthFailed() throws Exception {
        String foreignKey;
        try (FakeFcmServer other = FakeFcmServer.start()) {
            foreignKey = other.serviceAccountJson().replace(other.tokenUri().toString(), fcm.tokenUri().toString());
        }
        PushProvider provider = new FcmPushProviderFactory().create(ProviderSettings.of(FcmPushProviderFactory.ID, Map.of(
                FcmPushProviderFactory.SERVICE_ACCOUNT_JSON, foreignKey, FcmPushProviderFactory.BASE_URL, fcm.baseUrl())));
        providers.add(provider);

        DeliveryResult result = await(provider.send(
                PushRequest.message(device(), "juliet@example.com", new Summary(1, null, "hi", null, null))));

        assertThat(result).as("a key the token endpoint does not know (deleted, disabled): AUTH_FAILED, device kept")
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo(RejectionReason.AUTH_FAILED));
        assertThat(fcm.tokenRequests()).singleElement().satisfies(t -> assertThat(t.accepted()).isFalse());
        assertThat(fcm.messageCount()).as("nothing is sent without a token").isZero();
    }

    @Test
    void concurrentSendsRefusedForTheSameTokenShareOneRefresh() throws Exception {
        PushProvider provider = provider();
        Summary s = new Summary(1, null, "hi", null, null);
        await(provider.send(PushRequest.message(device(), "juliet@example.com", s)));
        fcm.revokeTokens();

        List<CompletionStage<DeliveryResult>> sends = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sends.add(provider.send(PushRequest.message(device(), "juliet@example.com", s)));
        }
        for (CompletionStage<DeliveryResult> send : sends) {
            assertThat(await(send).isDelivered()).as("every send gets through with the renewed token").isTrue();
        }
        assertThat(fcm.tokenRequestCount()).as("50 refusals of one token cause one fetch").isEqualTo(2);
    }

    static Stream<Arguments> errorAnswers() {
        return Stream.of(
                Arguments.of(Reply.unregistered(), RejectionReason.INVALID_TOKEN),
                Arguments.of(Reply.invalidRegistrationToken(), RejectionReason.INVALID_TOKEN),
                Arguments.of(Reply.senderIdMismatch(), RejectionReason.INVALID_TOKEN),
                Arguments.of(Reply.invalidArgument(), RejectionReason.BAD_REQUEST),
                Arguments.of(Reply.messageTooBig(), RejectionReason.PAYLOAD_TOO_LARGE),
                Arguments.of(Reply.internal(), RejectionReason.UNAVAILABLE),
                Arguments.of(Reply.unavailable(null), RejectionReason.UNAVAILABLE),
                Arguments.of(Reply.quotaExceeded(null), RejectionReason.QUOTA_EXCEEDED));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("errorAnswers")
    void fcmErrorsAreNormalised(Reply answer, RejectionReason expected) throws Exception {
        PushProvider provider = provider(FcmPushProviderFactory.MAX_RETRIES, 0);
        fcm.enqueue(answer);

        DeliveryResult result = await(provider.send(
                PushRequest.message(device(), "juliet@example.com", new Summary(1, null, "hi", null, null))));

        assertThat(result).as("FCM's %s becomes %s", answer, expected)
                .isInstanceOfSatisfying(Rejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(expected);
                    assertThat(r.detail()).doesNotContain(DEVICE_TOKEN);
                });
    }

    @Test
    void aBare404DoesNotCondemnTheDevice() throws Exception {
        PushProvider provider = provider(FcmPushProviderFactory.PROJECT_ID, "another-project");

        DeliveryResult result = await(provider.send(
                PushRequest.message(device(), "juliet@example.com", new Summary(1, null, "hi", null, null))));

        assertThat(fcm.takeMessage(WAIT).project()).as("project-id overrides the service account's")
                .isEqualTo("another-project");
        assertThat(result).as("a 404 without FCM's UNREGISTERED (wrong project, a proxy) must not remove devices")
                .isInstanceOfSatisfying(Rejected.class,
                        r -> assertThat(r.reason().invalidatesDevice()).isFalse());
    }

    @Test
    void aDroppedConnectionCompletesTheStageExceptionally() throws Exception {
        PushProvider provider = provider();
        fcm.defaultReply(Reply.dropConnection());

        CompletionStage<DeliveryResult> send = provider.send(
                PushRequest.message(device(), "juliet@example.com", new Summary(1, null, "hi", null, null)));

        assertThatThrownBy(() -> await(send)).as("no answer from FCM is a transport failure, not a rejection")
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void sendReturnsBeforeFcmAnswers() throws Exception {
        PushProvider provider = provider();
        fcm.enqueue(Reply.ok().delayed(Duration.ofSeconds(2)));

        CompletionStage<DeliveryResult> send = provider.send(
                PushRequest.message(device(), "juliet@example.com", new Summary(1, null, "hi", null, null)));

        assertThat(send.toCompletableFuture().isDone()).as("send never waits for the token endpoint or FCM").isFalse();
        assertThat(await(send).isDelivered()).isTrue();
    }

    @Test
    void maxConcurrentBoundsTheRequestsInFlight() throws Exception {
        PushProvider provider = provider(FcmPushProviderFactory.POOL_SIZE, 2);
        Duration answerTime = Duration.ofMillis(300);
        for (int i = 0; i < 4; i++) {
            fcm.enqueue(Reply.ok().delayed(answerTime));
        }
        List<CompletionStage<DeliveryResult>> sends = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sends.add(provider.send(
                    PushRequest.message(device(), "juliet@example.com", new Summary(i, null, "hi", null, null))));
        }
        for (CompletionStage<DeliveryResult> send : sends) {
            assertThat(await(send).isDelivered()).isTrue();
        }

        List<ReceivedMessage> m = fcm.messages();
        assertThat(m.get(2).since(m.get(0))).as("with pool-size 2 the third request leaves only when an earlier one "
                + "has been answered").isGreaterThanOrEqualTo(answerTime);
    }

    @Test
    void closeFailsSendsInFlightAndLaterSends() throws Exception {
        PushProvider provider = provider();
        fcm.enqueue(Reply.ok().delayed(Duration.ofSeconds(2)));
        CompletionStage<DeliveryResult> inFlight = provider.send(
                PushRequest.message(device(), "juliet@example.com", new Summary(1, null, "hi", null, null)));
        fcm.takeMessage(WAIT);

        provider.close();

        assertThatThrownBy(() -> inFlight.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("a send in flight at close completes exceptionally instead of hanging")
                .isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> await(provider.send(PushRequest.message(device(), "juliet@example.com",
                Summary.EMPTY)))).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void theProviderAdvertisesEncryptedPassThrough() throws Exception {
        PushProvider provider = provider();

        assertThat(provider.acceptsEncryptedPayload()).as("an encrypted payload is passed through").isTrue();
        assertThat(provider.maxPayloadSize()).as("room for the encrypted payload within FCM's 4096 bytes")
                .isPositive().isLessThan(4096);
        assertThat(provider.toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void noSecretReachesTheLogs() throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            PushProvider provider = provider(FcmPushProviderFactory.MAX_RETRIES, 1);
            fcm.enqueue(Reply.unavailable(null)).enqueue(Reply.unauthenticated()).enqueue(Reply.unauthenticated())
                    .enqueue(Reply.unregistered());
            Summary s = new Summary(1, null, "hi", null, null);
            await(provider.send(PushRequest.message(device(), "juliet@example.com", s)));
            await(provider.send(PushRequest.message(device(), "juliet@example.com", s)));
            String accessToken = fcm.messages().get(0).authorization().substring("Bearer ".length());

            assertThat(logs.text()).as("retries, refreshes and rejections were logged").isNotBlank()
                    .as("logs show device tokens shortened and never the access token or the key")
                    .doesNotContain(DEVICE_TOKEN).doesNotContain(accessToken).doesNotContain("PRIVATE KEY");
        }
    }

    @Test
    void aSlowFcmTimesOut() throws Exception {
        PushProvider provider = provider(FcmPushProviderFactory.REQUEST_TIMEOUT, "PT0.3S");
        fcm.enqueue(Reply.ok().delayed(Duration.ofSeconds(2)));

        CompletionStage<DeliveryResult> send = provider.send(
                PushRequest.message(device(), "juliet@example.com", new Summary(1, null, "hi", null, null)));

        assertThatThrownBy(() -> await(send)).as("request-timeout bounds the exchange")
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
