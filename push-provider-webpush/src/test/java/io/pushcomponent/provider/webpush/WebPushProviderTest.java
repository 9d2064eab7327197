package io.pushcomponent.provider.webpush;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.DeliveryResult;
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
import io.pushcomponent.testkit.ClosedPort;
import io.pushcomponent.testkit.webpush.FakeWebPushService;
import io.pushcomponent.testkit.webpush.FakeWebPushService.Received;
import io.pushcomponent.testkit.webpush.FakeWebPushService.Reply;
import io.pushcomponent.testkit.webpush.FakeWebPushService.Subscription;
import io.pushcomponent.webpush.crypto.PushSubscription;
import io.pushcomponent.webpush.crypto.Vapid;
import io.pushcomponent.webpush.crypto.VapidKeys;
import io.pushcomponent.webpush.crypto.WebPushEncryption;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Web Push provider against the fake push service: what arrives decrypts, with the browser's keys, to what was
 * sent; the VAPID token verifies with our public key for the push service's origin; each status of RFC 8030 maps to
 * its result.
 */
class WebPushProviderTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String SUBJECT = "mailto:push-admin@example.com";

    @TempDir
    Path dir;

    private FakeWebPushService service;
    private VapidKeys vapid;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        service = FakeWebPushService.start();
        vapid = VapidKeys.generate();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        service.close();
    }

    static Path keyFile(Path dir, VapidKeys keys) throws Exception {
        return Files.writeString(dir.resolve("vapid.properties"), "# VAPID keys\npublic-key = "
                + keys.publicKeyBase64Url() + "\nprivate-key = " + keys.privateKeyBase64Url() + "\n");
    }

    PushProvider provider(Object... extraSettings) throws Exception {
        Map<String, Object> settings = new HashMap<>();
        settings.put(WebPushProviderFactory.VAPID_KEY_FILE, keyFile(dir, vapid).toString());
        settings.put(WebPushProviderFactory.VAPID_SUBJECT, SUBJECT);
        settings.put(WebPushProviderFactory.ALLOW_LOCAL_ENDPOINTS, true);
        settings.put(WebPushProviderFactory.RETRY_BASE_DELAY, "PT0.01S");
        for (int i = 0; i < extraSettings.length; i += 2) {
            settings.put((String) extraSettings[i], extraSettings[i + 1]);
        }
        PushProvider p = new WebPushProviderFactory().create(ProviderSettings.of(WebPushProviderFactory.ID, settings));
        toClose.add(p);
        return p;
    }

    static PushRequest message(String token) {
        return PushRequest.message(Device.of(WebPushProviderFactory.ID, token), "juliet@example.com",
                new Summary(1, "romeo@example.net", "Wherefore art thou?", null, "Romeo"));
    }

    static DeliveryResult await(PushProvider provider, PushRequest request) throws Exception {
        return provider.send(request).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void theBrowserDecryptsTheMessageThatWasSent() throws Exception {
        Subscription browser = service.subscribe(vapid);

        DeliveryResult result = await(provider(), message(browser.json()));

        assertThat(result.isDelivered()).isTrue();
        Received received = service.takeMessage(WAIT);
        assertThat(received.answeredWith()).isEqualTo(201);
        assertThat(received.text()).isEqualTo("{\"kind\":\"message\",\"account\":\"juliet@example.com\","
                + "\"unread-messages\":\"1\",\"sender\":\"romeo@example.net\",\"nickname\":\"Romeo\","
                + "\"body\":\"Wherefore art thou?\"}");
        assertThat(received.contentEncoding()).isEqualTo("aes128gcm");
    }

    @Test
    void theVapidTokenVerifiesWithOurPublicKeyForThePushServicesOrigin() throws Exception {
        Subscription browser = service.subscribe(vapid);

        await(provider(), message(browser.json()));

        Received received = service.takeMessage(WAIT);
        assertThat(received.vapid().publicKey()).isEqualTo(vapid.publicKey());
        assertThat(received.vapid().audience()).isEqualTo(service.origin());
        assertThat(received.vapid().subject()).isEqualTo(SUBJECT);
        assertThat(received.vapid().expiresAt()).isBefore(java.time.Instant.now().plus(Duration.ofHours(12).plusMinutes(1)));
        assertThat(received.authorization()).startsWith("vapid t=").contains(", k=" + vapid.publicKeyBase64Url());
    }

    @Test
    void ttlUrgencyAndTopicFollowThePush() throws Exception {
        Subscription browser = service.subscribe();
        PushProvider provider = provider(WebPushProviderFactory.TTL, "PT1H", WebPushProviderFactory.CALL_TTL, "PT30S");

        await(provider, message(browser.json()));
        await(provider, new PushRequest(Device.of("webpush", browser.json()), "juliet@example.com", Summary.EMPTY,
                PushKind.BACKGROUND, PushPriority.NORMAL, null, null));
        await(provider, new PushRequest(Device.of("webpush", browser.json()), null, Summary.EMPTY, PushKind.CALL,
                PushPriority.HIGH, null, null));

        Received message = service.takeMessage(WAIT);
        Received wakeUp = service.takeMessage(WAIT);
        Received call = service.takeMessage(WAIT);
        assertThat(message.ttl()).isEqualTo("3600");
        assertThat(message.urgency()).isEqualTo("high");
        assertThat(message.topic()).as("the account, hashed into a topic's alphabet").hasSize(32)
                .matches("[A-Za-z0-9_-]+").doesNotContain("juliet").isEqualTo(wakeUp.topic());
        assertThat(wakeUp.urgency()).isEqualTo("low");
        assertThat(wakeUp.text()).isEqualTo("{\"kind\":\"background\",\"account\":\"juliet@example.com\"}");
        assertThat(call.ttl()).isEqualTo("30");
        assertThat(call.urgency()).isEqualTo("high");
        assertThat(call.topic()).as("nothing to collapse by").isNull();
        assertThat(call.text()).isEqualTo("{\"kind\":\"call\"}");
    }

    @Test
    void anEndToEndEncryptedPayloadTravelsInsideTheMessage() throws Exception {
        Subscription browser = service.subscribe();
        PushRequest request = new PushRequest(Device.of("webpush", browser.json()), "juliet@example.com",
                Summary.EMPTY, PushKind.MESSAGE, PushPriority.HIGH,
                new EncryptedPayload("AAECAwQFBgcICQoL", "c2VjcmV0IG1lc3NhZ2U=", null), null);

        await(provider(), request);

        assertThat(service.takeMessage(WAIT).text()).isEqualTo("{\"kind\":\"message\",\"account\":\"juliet@example.com\","
                + "\"encrypted\":\"c2VjcmV0IG1lc3NhZ2U=\",\"iv\":\"AAECAwQFBgcICQoL\"}");
    }

    @Test
    void anAes128gcmBodyThePublisherEncryptedIsSentUnchangedWithThePublishersVapidToken() throws Exception {
        VapidKeys publishers = VapidKeys.generate();
        Subscription browser = service.subscribe(publishers);
        byte[] body = WebPushEncryption.encrypt(browser.pushSubscription(),
                "<message xmlns='jabber:client'/>".getBytes(StandardCharsets.UTF_8));
        String token = Vapid.token(publishers, service.origin(), Instant.now().plus(Duration.ofHours(1)),
                "xmpp:juliet@example.com");

        DeliveryResult result = await(provider(), forwarded(browser, body, token, publishers.publicKeyBase64Url()));

        assertThat(result.isDelivered()).isTrue();
        Received received = service.takeMessage(WAIT);
        assertThat(received.body()).as("the bytes as the publisher encrypted them").isEqualTo(body);
        assertThat(received.text()).isEqualTo("<message xmlns='jabber:client'/>");
        assertThat(received.vapid().publicKey()).as("the publisher's token, not ours").isEqualTo(publishers.publicKey());
        assertThat(received.vapid().subject()).isEqualTo("xmpp:juliet@example.com");
    }

    @Test
    void anAes128gcmBodyWithoutATokenIsSignedWithOurKeyAndAnOversizedOneIsRefused() throws Exception {
        Subscription browser = service.subscribe(vapid);
        byte[] body = WebPushEncryption.encrypt(browser.pushSubscription(), new byte[] {1, 2, 3});
        PushProvider provider = provider();

        assertThat(await(provider, forwarded(browser, body, null, null)).isDelivered()).isTrue();
        assertThat(service.takeMessage(WAIT).vapid().publicKey()).isEqualTo(vapid.publicKey());
        assertThat(await(provider, forwarded(browser, new byte[4097], null, null))).isInstanceOfSatisfying(
                Rejected.class, r -> assertThat(r.reason()).isEqualTo(RejectionReason.PAYLOAD_TOO_LARGE));
        assertThat(service.messageCount()).isEqualTo(1);
    }

    @Test
    void anAes128gcmPayloadThatIsNotBase64IsTheRequestsFaultNotATransportFailure() throws Exception {
        Subscription browser = service.subscribe(vapid);
        PushRequest request = new PushRequest(Device.of("webpush", browser.json()), null, Summary.EMPTY,
                PushKind.MESSAGE, PushPriority.HIGH, EncryptedPayload.aes128gcm("not base64!", null, null), null);

        assertThat(await(provider(), request)).isEqualTo(Rejected.of(RejectionReason.BAD_REQUEST,
                "the aes128gcm payload is not base64"));
        assertThat(service.messageCount()).isZero();
    }

    @Test
    void aRefusedPublisherTokenIsNotSignedAgainByUs() throws Exception {
        Subscription browser = service.subscribe(vapid);
        VapidKeys publishers = VapidKeys.generate();
        String token = Vapid.token(publishers, service.origin(), Instant.now().plus(Duration.ofHours(1)), null);

        DeliveryResult result = await(provider(), forwarded(browser, WebPushEncryption.encrypt(
                browser.pushSubscription(), new byte[1]), token, publishers.publicKeyBase64Url()));

        assertThat(result).isEqualTo(Rejected.of(RejectionReason.AUTH_FAILED,
                "HTTP 403: the push service refused the sender's VAPID token"));
        assertThat(service.messageCount()).isEqualTo(1);
    }

    private static PushRequest forwarded(Subscription browser, byte[] body, String token, String key) {
        return new PushRequest(Device.of("webpush", browser.json()), "juliet@example.com", Summary.EMPTY,
                PushKind.MESSAGE, PushPriority.HIGH,
                EncryptedPayload.aes128gcm(Base64.getEncoder().encodeToString(body), token, key), null);
    }

    @Test
    void aLongBodyIsShortenedToFitAWebPushMessage() throws Exception {
        Subscription browser = service.subscribe();
        PushRequest request = PushRequest.message(Device.of("webpush", browser.json()), "juliet@example.com",
                new Summary(1, null, "é".repeat(5000), null, null));

        assertThat(await(provider(), request).isDelivered()).isTrue();

        String text = service.takeMessage(WAIT).text();
        assertThat(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(3993);
        assertThat(text).contains("éé…\"}");
    }

    @Test
    void notFoundAndGoneMeanTheSubscriptionIsDead() throws Exception {
        PushProvider provider = provider();
        Subscription expired = service.subscribe();
        Subscription ended = service.subscribe();
        service.unsubscribe(ended);
        service.enqueue(Reply.notFound());

        assertThat(await(provider, message(expired.json()))).isEqualTo(Rejected.of(RejectionReason.INVALID_TOKEN, "HTTP 404"));
        assertThat(await(provider, message(ended.json()))).isEqualTo(Rejected.of(RejectionReason.INVALID_TOKEN, "HTTP 410"));
        assertThat(RejectionReason.INVALID_TOKEN.invalidatesDevice()).isTrue();
    }

    @Test
    void payloadTooLargeIsRejectedWithoutRetry() throws Exception {
        Subscription browser = service.subscribe();
        service.enqueue(Reply.payloadTooLarge());

        assertThat(await(provider(), message(browser.json())))
                .isEqualTo(Rejected.of(RejectionReason.PAYLOAD_TOO_LARGE, "HTTP 413"));
        assertThat(service.messageCount()).isEqualTo(1);
    }

    @Test
    void tooManyRequestsAndServerErrorsAreRetriedThroughTheRetryPolicy() throws Exception {
        Subscription browser = service.subscribe();
        service.enqueue(Reply.tooManyRequests(Duration.ofSeconds(1))).enqueue(Reply.status(500))
                .enqueue(Reply.unavailable(null));

        assertThat(await(provider(), message(browser.json())).isDelivered()).isTrue();

        List<Received> arrived = service.messages();
        assertThat(arrived).extracting(Received::answeredWith).containsExactly(429, 500, 503, 201);
        assertThat(arrived.get(1).since(arrived.get(0))).as("the push service's Retry-After is waited out")
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(arrived.get(3).text()).as("every retry carries the same message")
                .isEqualTo(arrived.get(0).text());
    }

    @Test
    void whenRetriesRunOutTheRejectionIsTransientAndCarriesTheAdvice() throws Exception {
        Subscription browser = service.subscribe();
        service.defaultReply(Reply.unavailable(null));

        DeliveryResult unavailable = await(provider(WebPushProviderFactory.MAX_RETRIES, 2), message(browser.json()));

        assertThat(unavailable).isEqualTo(Rejected.of(RejectionReason.UNAVAILABLE, "HTTP 503"));
        assertThat(service.messageCount()).as("one send and two retries").isEqualTo(3);
        assertThat(RejectionReason.UNAVAILABLE.isPermanent()).isFalse();

        service.defaultReply(Reply.tooManyRequests(Duration.ofSeconds(120)));
        assertThat(await(provider(), message(browser.json()))).as("a Retry-After beyond max-retry-delay is passed on,"
                + " for the app server to pause the provider")
                .isEqualTo(new Rejected(RejectionReason.QUOTA_EXCEEDED, "HTTP 429", Duration.ofSeconds(120)));
    }

    @Test
    void aRefusedTokenIsSignedAgainOnceThenReportedAsOurs() throws Exception {
        Subscription forAnotherKey = service.subscribe(VapidKeys.generate());

        assertThat(await(provider(), message(forAnotherKey.json())))
                .isEqualTo(Rejected.of(RejectionReason.AUTH_FAILED, "HTTP 403"));
        assertThat(service.messages()).extracting(Received::answeredWith).containsExactly(403, 403);
        assertThat(RejectionReason.AUTH_FAILED.invalidatesDevice()).as("a wrong key is ours to fix; the device stays")
                .isFalse();

        Subscription browser = service.subscribe();
        service.enqueue(Reply.status(401));
        assertThat(await(provider(), message(browser.json())).isDelivered()).as("a fresh token passes").isTrue();
    }

    @Test
    void otherClientErrorsAreBadRequests() throws Exception {
        Subscription browser = service.subscribe();
        service.enqueue(Reply.status(400));

        assertThat(await(provider(), message(browser.json()))).isEqualTo(Rejected.of(RejectionReason.BAD_REQUEST, "HTTP 400"));
    }

    @Test
    void aRefusedEndpointFailsTheSendWithinASecondAsATransportFailure() throws Exception {
        try (ClosedPort closed = ClosedPort.open()) {
            Subscription browser = service.subscribe();
            String token = new PushSubscription(closed.httpUrl("/push/x").toString(), browser.pushSubscription().p256dh(),
                    browser.pushSubscription().auth()).toJson();
            PushProvider provider = provider();

            long start = System.nanoTime();
            CompletableFuture<DeliveryResult> send = provider.send(message(token)).toCompletableFuture();

            assertThatThrownBy(() -> send.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ConnectException.class);
            System.out.printf("push service refusing connections: send failed after %.1f ms%n",
                    (System.nanoTime() - start) / 1e6);
        }
    }

    @Test
    void anUnreachableEndpointFailsTheSendWithinTheConnectTimeoutAsATransportFailure() throws Exception {
        Subscription browser = service.subscribe();
        // TEST-NET-1 (RFC 5737): never routed, so the connection attempt gets no answer (or at once "unreachable")
        String token = new PushSubscription("https://192.0.2.1/push/x", browser.pushSubscription().p256dh(),
                browser.pushSubscription().auth()).toJson();
        PushProvider provider = provider(WebPushProviderFactory.CONNECT_TIMEOUT, "PT1S");

        long start = System.nanoTime();
        CompletableFuture<DeliveryResult> send = provider.send(message(token)).toCompletableFuture();

        assertThatThrownBy(() -> send.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("no answer is a transport failure, not a rejection of the device")
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(java.io.IOException.class);
        System.out.printf("push service unreachable: send failed after %.1f ms%n", (System.nanoTime() - start) / 1e6);
    }

    @Test
    void aPushServiceThatDropsTheConnectionIsATransportFailure() throws Exception {
        Subscription browser = service.subscribe();
        service.enqueue(Reply.dropConnection());

        CompletableFuture<DeliveryResult> send = provider().send(message(browser.json())).toCompletableFuture();

        assertThatThrownBy(() -> send.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void aTokenThatIsNoSubscriptionIsAnInvalidTokenWithoutARequest() throws Exception {
        assertThat(await(provider(), message("not-a-subscription"))).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.INVALID_TOKEN));
        assertThat(service.messageCount()).isZero();
    }

    @Test
    void closingFailsSendsWaitingForARetry() throws Exception {
        Subscription browser = service.subscribe();
        service.enqueue(Reply.unavailable(Duration.ofSeconds(2)));
        PushProvider provider = provider(WebPushProviderFactory.MAX_RETRY_DELAY, "PT5S");

        CompletableFuture<DeliveryResult> send = provider.send(message(browser.json())).toCompletableFuture();
        service.takeMessage(WAIT);
        provider.close();

        assertThatThrownBy(() -> send.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> provider.send(message(browser.json())).toCompletableFuture().get(1, TimeUnit.SECONDS))
                .hasMessageContaining("closed");
    }

    @Test
    void manySendsAtOnceQueueBehindASmallMaxConcurrentAndAreAllDelivered() throws Exception {
        Subscription browser = service.subscribe();
        PushProvider provider = provider(WebPushProviderFactory.MAX_CONCURRENT, 2);
        service.defaultReply(Reply.created().delayed(Duration.ofMillis(20)));

        List<CompletableFuture<DeliveryResult>> sends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sends.add(provider.send(message(browser.json())).toCompletableFuture());
        }

        for (CompletableFuture<DeliveryResult> send : sends) {
            assertThat(send.get(WAIT.toSeconds(), TimeUnit.SECONDS).isDelivered()).isTrue();
        }
        assertThat(service.messageCount()).isEqualTo(20);
    }

    @Test
    void anEndpointWhoseNameResolvesToAPrivateAddressIsRefusedBeforeAnythingIsSent() throws Exception {
        Map<String, Object> settings = new HashMap<>();
        settings.put(WebPushProviderFactory.VAPID_KEY_FILE, keyFile(dir, vapid).toString());
        settings.put(WebPushProviderFactory.VAPID_SUBJECT, SUBJECT);
        WebPushProvider provider = new WebPushProvider(WebPushConfig.from(ProviderSettings.of(
                WebPushProviderFactory.ID, settings)), host -> new InetAddress[] {InetAddress.getByName("10.0.0.7")});
        toClose.add(provider);
        String subscription = service.subscribe(vapid).json().replaceFirst("\"endpoint\":\"http://[^/]+/",
                "\"endpoint\":\"https://push.attacker.example/");

        assertThat(provider.checkTokens(Device.of(WebPushProviderFactory.ID, subscription)))
                .as("an https URL with a host name passes the registration's check").isEmpty();
        DeliveryResult result = await(provider, message(subscription));

        assertThat(result).isInstanceOfSatisfying(DeliveryResult.Rejected.class, r -> {
            assertThat(r.reason()).as("refused, yet kept registered: the name may point elsewhere later")
                    .isEqualTo(RejectionReason.BAD_REQUEST);
            assertThat(r.detail()).contains("resolves to a local or private address");
        });
    }
}
