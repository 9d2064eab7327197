package io.pushcomponent.provider.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.CircuitBreakerPolicy;
import io.pushcomponent.core.app.ProviderStatus;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.testkit.ClosedPort;
import io.pushcomponent.testkit.webpush.FakeWebPushService;
import io.pushcomponent.testkit.webpush.FakeWebPushService.Reply;
import io.pushcomponent.testkit.webpush.FakeWebPushService.Subscription;
import io.pushcomponent.webpush.crypto.PushSubscription;
import io.pushcomponent.webpush.crypto.VapidKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole publish path, {@code PushAppServer} in front of the Web Push provider: a registration whose token is the
 * browser's subscription, a publish that the browser decrypts, a dead subscription that removes the registration,
 * and the outage behaviour every provider gets (wait errors, the circuit breaker, a provider-wide pause).
 */
class WebPushPublishPathTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String JID = "push.localhost";

    @TempDir
    Path dir;

    private FakeWebPushService service;
    private DeviceRegistrationStore store;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        service = FakeWebPushService.start();
        store = Stores.inMemoryDeviceStore();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        store.close();
        service.close();
    }

    private PushAppServer server(CircuitBreakerPolicy breaker) throws Exception {
        PushProvider provider = new WebPushProviderFactory().create(ProviderSettings.of(WebPushProviderFactory.ID, Map.of(
                WebPushProviderFactory.VAPID_KEY_FILE, WebPushProviderTest.keyFile(dir, VapidKeys.generate()).toString(),
                WebPushProviderFactory.VAPID_SUBJECT, "mailto:push-admin@example.com",
                WebPushProviderFactory.ALLOW_LOCAL_ENDPOINTS, true,
                WebPushProviderFactory.RETRY_BASE_DELAY, "PT0.01S")));
        toClose.add(provider);
        PushAppServer server = PushAppServer.builder().jid(JID).store(store).provider(WebPushProviderFactory.ID, provider)
                .circuitBreaker(breaker).build();
        toClose.add(server);
        return server;
    }

    @Test
    void aPublishReachesTheBrowserThatRegistered() throws Exception {
        PushAppServer server = server(CircuitBreakerPolicy.DEFAULT);
        Subscription browser = service.subscribe();
        String node = register(server, browser.json());

        String answer = handle(server, publish(node, "<field var='message-count'><value>2</value></field>"
                + "<field var='last-message-sender'><value>romeo@example.net/orchard</value></field>"));

        assertThat(answer).contains("type='result'");
        assertThat(service.takeMessage(WAIT).text()).isEqualTo("{\"kind\":\"message\",\"account\":\"juliet@localhost\",\"unread-messages\":\"2\","
                + "\"sender\":\"romeo@example.net/orchard\"}");
    }

    @Test
    void anEndedSubscriptionRemovesItsRegistrationAndTellsTheServerToDisablePush() throws Exception {
        PushAppServer server = server(CircuitBreakerPolicy.DEFAULT);
        Subscription browser = service.subscribe();
        String node = register(server, browser.json());
        service.unsubscribe(browser);

        String answer = handle(server, publish(node, ""));

        assertThat(answer).contains("type='cancel'").contains("<item-not-found");
        assertThat(store.findByNode(node)).isEmpty();
    }

    @Test
    void aPushServiceRefusingConnectionsIsPausedAloneAfterFiveFailuresAndTheOthersKeepDelivering() throws Exception {
        try (ClosedPort closed = ClosedPort.open()) {
            PushAppServer server = server(CircuitBreakerPolicy.DEFAULT);
            Subscription browser = service.subscribe();
            String token = new PushSubscription(closed.httpUrl("/push/x").toString(),
                    browser.pushSubscription().p256dh(), browser.pushSubscription().auth()).toJson();
            String node = register(server, token);
            String healthy = register(server, service.subscribe().json());

            for (int i = 0; i < PushServiceHealth.FAILURES; i++) {
                assertThat(handle(server, publish(node, ""))).as("publish %d: the push service refused", i)
                        .contains("type='wait'").doesNotContain("type='cancel'");
            }
            CompletableFuture<List<String>> paused = server.handleXml(publish(node, "")).toCompletableFuture();

            assertThat(paused).as("the paused push service is answered on the caller's thread").isDone();
            assertThat(paused.get().get(0)).contains("type='wait'").contains("<resource-constraint");
            assertThat(handle(server, publish(healthy, ""))).as("another push service's subscriber still gets pushes")
                    .contains("type='result'");
            assertThat(service.messageCount()).isEqualTo(1);
            assertThat(server.providerStatus().get(0).state()).as("one user's push service never opens the breaker "
                    + "for everybody").isEqualTo(ProviderStatus.State.CLOSED);
            assertThat(store.findByNode(node)).as("an outage never removes a registration").isPresent();
        }
    }

    @Test
    void aRetryAfterBeyondTheRetryDelayPausesThatPushServiceAlone() throws Exception {
        PushAppServer server = server(CircuitBreakerPolicy.DEFAULT);
        String node = register(server, service.subscribe().json());
        service.enqueue(Reply.tooManyRequests(Duration.ofSeconds(120)));
        try (FakeWebPushService other = FakeWebPushService.start()) {
            String elsewhere = register(server, other.subscribe().json());

            String first = handle(server, publish(node, ""));
            CompletableFuture<List<String>> next = server.handleXml(publish(node, "")).toCompletableFuture();

            assertThat(first).contains("type='wait'").contains("<resource-constraint");
            assertThat(next).as("the pause answers at once").isDone();
            assertThat(next.get().get(0)).contains("type='wait'");
            assertThat(service.messageCount()).isEqualTo(1);
            assertThat(handle(server, publish(elsewhere, ""))).as("another push service is not paused")
                    .contains("type='result'");
            assertThat(other.messageCount()).isEqualTo(1);
            assertThat(server.providerStatus().get(0).state()).isEqualTo(ProviderStatus.State.CLOSED);
        }
    }

    @Test
    void aTokenThatIsNoSubscriptionIsRefusedAtRegistration() throws Exception {
        PushAppServer server = server(CircuitBreakerPolicy.DEFAULT);

        String reply = handle(server, registration("fcm-token-not-a-subscription"));

        assertThat(reply).contains("type='error'").contains("<not-acceptable").contains("not a Web Push subscription");
    }

    private static String handle(PushAppServer server, String xml) throws Exception {
        return server.handleXml(xml).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS).get(0);
    }

    private static String registration(String token) {
        return "<iq type='set' id='reg1' from='juliet@localhost/browser' to='" + JID + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device'>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='provider'><value>webpush</value></field>"
                + "<field var='device-token'><value>" + token.replace("&", "&amp;").replace("<", "&lt;")
                + "</value></field></x></command></iq>";
    }

    private static String register(PushAppServer server, String token) throws Exception {
        String reply = handle(server, registration(token));
        Matcher m = Pattern.compile("<field var='node'[^>]*><value>([^<]+)</value>").matcher(reply);
        assertThat(m.find()).as("registered: %s", reply).isTrue();
        return m.group(1);
    }

    private static String publish(String node, String fields) {
        return "<iq type='set' to='" + JID + "' id='p1' from='localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                + "<publish node='" + node + "'><item><notification xmlns='urn:xmpp:push:0'>"
                + "<x xmlns='jabber:x:data' type='form'><field type='hidden' var='FORM_TYPE'>"
                + "<value>urn:xmpp:push:summary</value></field>" + fields
                + "</x></notification></item></publish></pubsub></iq>";
    }
}
