package io.pushcomponent.provider.fcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.DeliveryResult.Rejected;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.RetryPolicy;
import io.pushcomponent.api.Summary;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.CircuitBreakerPolicy;
import io.pushcomponent.core.app.ProviderStatus;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.testkit.ClosedPort;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import io.pushcomponent.testkit.fcm.FakeFcmServer.Reply;
import io.pushcomponent.testkit.fcm.FakeFcmServer.TokenReply;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FCM under outage: the token endpoint or FCM refusing, failing or rate-limiting. Every answer is a {@code wait}
 * error, no library retries hold a publish, the circuit breaker answers at once once it is open, and
 * {@code Retry-After} pauses the whole provider.
 */
class FcmOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String JID = "push.localhost";

    @TempDir
    Path tempDir;

    private FakeFcmServer fcm;
    private final List<AutoCloseable> toClose = new java.util.ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fcm = FakeFcmServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        fcm.close();
    }

    private PushProvider provider(Object... extraSettings) throws Exception {
        Map<String, Object> settings = new HashMap<>();
        settings.put(FcmPushProviderFactory.SERVICE_ACCOUNT_FILE, fcm.writeServiceAccountJson(tempDir).toString());
        settings.put(FcmPushProviderFactory.BASE_URL, fcm.baseUrl());
        settings.put(FcmPushProviderFactory.RETRY_BASE_DELAY, "PT0.01S");
        for (int i = 0; i < extraSettings.length; i += 2) {
            settings.put((String) extraSettings[i], extraSettings[i + 1]);
        }
        PushProvider p = new FcmPushProviderFactory().create(ProviderSettings.of(FcmPushProviderFactory.ID, settings));
        toClose.add(p);
        return p;
    }

    private static PushRequest push() {
        return PushRequest.message(Device.of(FcmPushProviderFactory.ID, FcmPushProviderTest.DEVICE_TOKEN), "romeo@localhost",
                new Summary(1, null, "hi", null, null));
    }

    private static DeliveryResult await(PushProvider provider) throws Exception {
        return provider.send(push()).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aTokenEndpointRefusingConnectionsFailsTheSendAtOnceWithoutRetries() throws Exception {
        try (ClosedPort closed = ClosedPort.open()) {
            PushProvider provider = provider(FcmPushProviderFactory.TOKEN_URI, closed.httpUrl("/token").toString());

            long start = System.nanoTime();
            CompletableFuture<DeliveryResult> send = provider.send(push()).toCompletableFuture();

            assertThatThrownBy(() -> send.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("no answer at all from the token endpoint: a transport failure, the device is kept")
                    .isInstanceOf(ExecutionException.class).hasRootCauseInstanceOf(ConnectException.class)
                    .hasMessageContaining("could not fetch an FCM access token");
            System.out.printf("token endpoint refusing connections: send failed after %.1f ms%n",
                    (System.nanoTime() - start) / 1e6);
            assertThat(fcm.messageCount()).as("nothing is sent without a token").isZero();
        }
    }

    @Test
    void aTokenEndpointAnswering503IsAskedOnceNotRetriedInsideGoogleAuth() throws Exception {
        PushProvider provider = provider();
        fcm.tokenReply(TokenReply.unavailable(null));

        DeliveryResult result = await(provider);

        assertThat(result).as("5xx from the token endpoint is UNAVAILABLE: a wait error, counted by the breaker")
                .isEqualTo(Rejected.of(RejectionReason.UNAVAILABLE, "token endpoint HTTP 503"));
        assertThat(fcm.tokenRequestCount()).as("google-auth's own retries (3, over ~7 s) are off").isEqualTo(1);
    }

    @Test
    void aTokenEndpoint429IsARateLimitWithItsRetryAfterNotAnAuthFailure() throws Exception {
        PushProvider provider = provider();
        fcm.tokenReply(TokenReply.rateLimited(Duration.ofSeconds(30)));

        DeliveryResult result = await(provider);

        assertThat(result).as("429 from the token endpoint means 'later', not 'your key is gone'")
                .isEqualTo(new Rejected(RejectionReason.QUOTA_EXCEEDED, "token endpoint HTTP 429",
                        Duration.ofSeconds(30)));
        assertThat(fcm.tokenRequestCount()).isEqualTo(1);
    }

    @Test
    void aTokenEndpoint429WithoutRetryAfterStillPausesTheProviderBriefly() throws Exception {
        PushProvider provider = provider(FcmPushProviderFactory.RETRY_BASE_DELAY, "PT0.5S",
                FcmPushProviderFactory.MAX_RETRY_DELAY, "PT2S");
        fcm.tokenReply(TokenReply.rateLimited(null));

        DeliveryResult result = await(provider);

        assertThat(result).isInstanceOfSatisfying(Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.QUOTA_EXCEEDED);
            assertThat(r.retryAfter()).as("the shared access token makes the limit provider-wide: a back-off")
                    .isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
        });
    }

    @Test
    void aTokenEndpointRefusingTheAssertionStaysAnAuthFailure() throws Exception {
        String foreignKey;
        try (FakeFcmServer other = FakeFcmServer.start()) {
            foreignKey = other.serviceAccountJson().replace(other.tokenUri().toString(), fcm.tokenUri().toString());
        }
        PushProvider provider = new FcmPushProviderFactory().create(ProviderSettings.of(FcmPushProviderFactory.ID, Map.of(
                FcmPushProviderFactory.SERVICE_ACCOUNT_JSON, foreignKey, FcmPushProviderFactory.BASE_URL, fcm.baseUrl())));
        toClose.add(provider);

        DeliveryResult result = await(provider);

        assertThat(result).as("400 invalid_grant: a deleted or disabled key, an operator must act")
                .isEqualTo(Rejected.of(RejectionReason.AUTH_FAILED, "token endpoint HTTP 400"));
    }

    @Test
    void plainHttpToAHostOtherThanLoopbackIsRefused() throws Exception {
        for (String key : List.of(FcmPushProviderFactory.BASE_URL, FcmPushProviderFactory.TOKEN_URI)) {
            assertThatThrownBy(() -> provider(key, "http://fcm.example.com"))
                    .as("'%s' over plain http would carry the access token in clear text", key)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + key + "' must be an https URL, was 'http://fcm.example.com'")
                    .hasMessageContaining("loopback");
            assertThatThrownBy(() -> provider(key, "http://10.1.2.3:8080")).isInstanceOf(IllegalArgumentException.class);
        }
        String json = fcm.serviceAccountJson().replace(fcm.tokenUri().toString(), "http://oauth2.example.com/token");
        assertThatThrownBy(() -> new FcmPushProviderFactory().create(ProviderSettings.of(FcmPushProviderFactory.ID,
                Map.of(FcmPushProviderFactory.SERVICE_ACCOUNT_JSON, json))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the service account's token_uri must be an https URL");
        assertThat(provider(FcmPushProviderFactory.BASE_URL, "https://fcm.example.com")).isNotNull();
        assertThat(provider(FcmPushProviderFactory.BASE_URL, "http://localhost:1")).isNotNull();
        assertThat(provider(FcmPushProviderFactory.BASE_URL, "http://[::1]:1")).isNotNull();
    }

    /** The whole publish path: {@code PushAppServer} in front of the FCM provider. */
    @Test
    void publishesDuringATokenOutageAreWaitErrorsThenTheOpenBreakerAnswersAtOnceUntilATrialSucceeds()
            throws Exception {
        PushProvider provider = provider();
        DeviceRegistrationStore store = Stores.inMemoryDeviceStore();
        PushAppServer server = PushAppServer.builder().jid(JID).store(store).provider(FcmPushProviderFactory.ID, provider)
                .circuitBreaker(new CircuitBreakerPolicy(3,
                        RetryPolicy.unlimited(Duration.ofMillis(200), Duration.ofMillis(200)), Duration.ofMinutes(5)))
                .build();
        toClose.add(store);
        toClose.add(server);
        String node = register(server);
        fcm.tokenReply(TokenReply.dropConnection());

        for (int i = 0; i < 3; i++) {
            String answer = handle(server, publish(node));
            assertThat(answer).as("a transport failure is a wait error; Prosody keeps the device")
                    .contains("type='wait'").doesNotContain("type='cancel'");
        }
        int tokenRequests = fcm.tokenRequestCount();
        CompletableFuture<List<String>> open = server.handleXml(publish(node)).toCompletableFuture();
        boolean answeredAtOnce = open.isDone();
        String openAnswer = open.get(WAIT.toSeconds(), TimeUnit.SECONDS).get(0);
        ProviderStatus status = server.providerStatus().get(0);

        assertThat(answeredAtOnce).as("the open breaker answers on the caller's thread").isTrue();
        assertThat(openAnswer).contains("type='wait'").contains("<resource-constraint");
        assertThat(fcm.tokenRequestCount()).as("no provider call while open").isEqualTo(tokenRequests);
        assertThat(status.state()).isEqualTo(ProviderStatus.State.OPEN);

        fcm.tokenReply(TokenReply.issue());
        String answer = "";
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!answer.contains("type='result'") && System.nanoTime() < deadline) {
            answer = handle(server, publish(node));
            assertThat(answer).doesNotContain("type='cancel'");
        }

        assertThat(answer).as("after the open time a trial send goes out and succeeds").contains("type='result'");
        assertThat(server.providerStatus().get(0).state()).isEqualTo(ProviderStatus.State.CLOSED);
        assertThat(fcm.messageCount()).isEqualTo(1);
    }

    @Test
    void withTheTokenEndpointRefusingConnectionsEveryPublishIsAWaitErrorAndTheBreakerOpensAfterFive()
            throws Exception {
        try (ClosedPort closed = ClosedPort.open()) {
            PushProvider provider = provider(FcmPushProviderFactory.TOKEN_URI, closed.httpUrl("/token").toString());
            DeviceRegistrationStore store = Stores.inMemoryDeviceStore();
            PushAppServer server = PushAppServer.builder().jid(JID).store(store)
                    .provider(FcmPushProviderFactory.ID, provider).build();
            toClose.add(store);
            toClose.add(server);
            String node = register(server);

            for (int i = 0; i < CircuitBreakerPolicy.DEFAULT.failures(); i++) {
                assertThat(handle(server, publish(node))).as("publish %d: the token endpoint refused", i)
                        .contains("type='wait'").doesNotContain("type='cancel'");
            }
            CompletableFuture<List<String>> open = server.handleXml(publish(node)).toCompletableFuture();

            assertThat(open).as("the open breaker answers on the caller's thread").isDone();
            assertThat(open.get().get(0)).contains("type='wait'").contains("<resource-constraint");
            assertThat(server.providerStatus().get(0).isOpen()).isTrue();
        }
    }

    @Test
    void retryAfterFromFcmPausesTheWholeProviderWithoutFurtherSends() throws Exception {
        PushProvider provider = provider();
        DeviceRegistrationStore store = Stores.inMemoryDeviceStore();
        PushAppServer server = PushAppServer.builder().jid(JID).store(store).provider(FcmPushProviderFactory.ID, provider)
                .build();
        toClose.add(store);
        toClose.add(server);
        String node = register(server);
        fcm.enqueue(Reply.quotaExceeded(Duration.ofSeconds(120)));

        String first = handle(server, publish(node));
        CompletableFuture<List<String>> next = server.handleXml(publish(node)).toCompletableFuture();

        assertThat(first).contains("type='wait'").contains("<resource-constraint");
        assertThat(next.isDone()).as("the pause answers at once").isTrue();
        assertThat(next.get().get(0)).contains("type='wait'").contains("<resource-constraint");
        assertThat(fcm.messageCount()).as("one send: FCM's advice applies to every device").isEqualTo(1);
        assertThat(server.providerStatus().get(0).state()).isEqualTo(ProviderStatus.State.PAUSED);
    }

    private static String handle(PushAppServer server, String xml) throws Exception {
        return server.handleXml(xml).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS).get(0);
    }

    private static String register(PushAppServer server) throws Exception {
        String reply = handle(server, "<iq type='set' id='reg1' from='romeo@localhost/stork' to='" + JID + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device'>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='provider'><value>fcm-http-v1</value></field>"
                + "<field var='device-token'><value>" + FcmPushProviderTest.DEVICE_TOKEN + "</value></field></x>"
                + "</command></iq>");
        Matcher m = Pattern.compile("<field var='node'[^>]*><value>([^<]+)</value>").matcher(reply);
        assertThat(m.find()).as("registered: %s", reply).isTrue();
        return m.group(1);
    }

    private static String publish(String node) {
        return "<iq type='set' to='" + JID + "' id='p1' from='localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                + "<publish node='" + node + "'><item><notification xmlns='urn:xmpp:push:0'>"
                + "<x xmlns='jabber:x:data' type='form'><field type='hidden' var='FORM_TYPE'>"
                + "<value>urn:xmpp:push:summary</value></field><field var='message-count'><value>1</value></field>"
                + "</x></notification></item></publish></pubsub></iq>";
    }
}
