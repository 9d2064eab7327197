package io.pushcomponent.provider.apns;

import static io.pushcomponent.provider.apns.ApnsTestSupport.BUNDLE;
import static io.pushcomponent.provider.apns.ApnsTestSupport.TOKEN;
import static io.pushcomponent.provider.apns.ApnsTestSupport.VOIP_TOKEN;
import static io.pushcomponent.provider.apns.ApnsTestSupport.WAIT;
import static io.pushcomponent.provider.apns.ApnsTestSupport.json;
import static io.pushcomponent.provider.apns.ApnsTestSupport.provider;
import static io.pushcomponent.provider.apns.ApnsTestSupport.sendAndWait;
import static io.pushcomponent.provider.apns.ApnsTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.Summary;
import io.pushcomponent.provider.apns.ApnsTestSupport.Auth;
import io.pushcomponent.testkit.ClosedPort;
import io.pushcomponent.testkit.apns.FakeApnsServer;
import io.pushcomponent.testkit.apns.FakeApnsServer.ReceivedNotification;
import io.pushcomponent.testkit.apns.FakeApnsServer.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ApnsPushProviderTest {
    private static final String ACCOUNT = "juliet@capulet.example";
    private static final String SENDER = "romeo@montague.example";
    private static final Device DEVICE = new Device("apns", TOKEN, VOIP_TOKEN, null, false);

    private FakeApnsServer server;
    private FakeApnsServer sandboxServer;
    private PushProvider provider;

    @AfterEach
    void tearDown() {
        if (provider != null) {
            provider.close();
        }
        if (sandboxServer != null) {
            sandboxServer.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(Auth auth) {
        server = FakeApnsServer.startValidating().addDeviceToken(BUNDLE, TOKEN).addDeviceToken(BUNDLE + ".voip",
                VOIP_TOKEN);
        provider = provider(settings(server, auth));
    }

    private static PushRequest message(int count, String body) {
        return PushRequest.message(DEVICE, ACCOUNT, new Summary(count, SENDER, body, null, "Romeo"));
    }

    @ParameterizedTest
    @EnumSource(Auth.class)
    void aMessageIsAVisibleMutableAlertWithTheKeysSiskinReads(Auth auth) {
        start(auth);

        DeliveryResult result = sendAndWait(provider, message(3, "Wherefore art thou?"));

        assertThat(result.isDelivered()).as("the validating server accepts the push").isTrue();
        ReceivedNotification n = server.takeNotification(WAIT);
        assertThat(n.token()).isEqualTo(TOKEN);
        assertThat(n.topic()).as("messages go to the app's bundle id").isEqualTo(BUNDLE);
        assertThat(n.pushType()).isEqualTo("alert");
        assertThat(n.priority()).as("alerts are sent with priority 10").isEqualTo(10);
        assertThat(n.collapseId()).as("one collapse id per account").isEqualTo(ACCOUNT);
        assertThat(n.expiration()).as("expiration defaults to one day")
                .isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
        JsonNode payload = json(n.payload());
        JsonNode aps = payload.get("aps");
        assertThat(aps.get("mutable-content").asInt()).as("a notification service extension may rewrite it")
                .isEqualTo(1);
        assertThat(aps.get("alert").get("body").asText()).isEqualTo("Wherefore art thou?");
        assertThat(aps.get("alert").get("title").asText()).as("the nickname titles the alert").isEqualTo("Romeo");
        assertThat(aps.get("badge").asInt()).as("the badge shows the unread count").isEqualTo(3);
        assertThat(aps.get("thread-id").asText()).as("notifications are grouped per account").isEqualTo(ACCOUNT);
        assertThat(aps.has("content-available")).isFalse();
        assertThat(payload.get("account").asText()).isEqualTo(ACCOUNT);
        assertThat(payload.get("sender").asText()).isEqualTo(SENDER);
        assertThat(payload.get("body").asText()).isEqualTo("Wherefore art thou?");
        assertThat(payload.get("nickname").asText()).isEqualTo("Romeo");
        assertThat(payload.get("unread-messages").isInt()).as("Siskin reads unread-messages as a number").isTrue();
        assertThat(payload.get("unread-messages").asInt()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Auth.class)
    void aZeroCountIsABackgroundPushThatClearsTheBadge(Auth auth) {
        start(auth);

        DeliveryResult result = sendAndWait(provider, PushRequest.message(DEVICE, ACCOUNT,
                new Summary(0, null, null, null, null)));

        assertThat(result.isDelivered()).isTrue();
        ReceivedNotification n = server.takeNotification(WAIT);
        assertThat(n.pushType()).as("nothing to show: a background push").isEqualTo("background");
        assertThat(n.priority()).as("background pushes must use priority 5").isEqualTo(5);
        assertThat(n.topic()).isEqualTo(BUNDLE);
        JsonNode payload = json(n.payload());
        assertThat(payload.get("aps").get("content-available").asInt()).isEqualTo(1);
        assertThat(payload.get("aps").get("badge").asInt()).as("message-count 0 clears the badge").isEqualTo(0);
        assertThat(payload.get("aps").has("alert")).isFalse();
        assertThat(payload.get("unread-messages").asInt()).isEqualTo(0);
        assertThat(payload.get("account").asText()).isEqualTo(ACCOUNT);
        assertThat(payload.has("sender")).as("a clear carries no sender or body").isFalse();
        assertThat(payload.has("body")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Auth.class)
    void aCallIsAVoipPushToTheSecondTokenOnTheVoipTopic(Auth auth) {
        start(auth);

        DeliveryResult result = sendAndWait(provider, new PushRequest(DEVICE, ACCOUNT,
                new Summary(null, SENDER, null, null, "Romeo"), PushKind.CALL, PushPriority.HIGH, null, ACCOUNT));

        assertThat(result.isDelivered()).isTrue();
        ReceivedNotification n = server.takeNotification(WAIT);
        assertThat(n.token()).as("calls use the PushKit token").isEqualTo(VOIP_TOKEN);
        assertThat(n.topic()).isEqualTo(BUNDLE + ".voip");
        assertThat(n.pushType()).isEqualTo("voip");
        assertThat(n.priority()).isEqualTo(10);
        assertThat(n.expiration()).as("a call nobody can answer any more is not worth storing")
                .isBefore(Instant.now().plus(Duration.ofMinutes(1)));
        JsonNode payload = json(n.payload());
        assertThat(payload.get("account").asText()).isEqualTo(ACCOUNT);
        assertThat(payload.get("sender").asText()).isEqualTo(SENDER);
        assertThat(payload.get("aps").has("alert")).isFalse();
    }

    @Test
    void expirationIsConfigurableAndZeroMeansNowOrNever() {
        server = FakeApnsServer.start();
        Map<String, Object> settings = settings(server, Auth.TOKEN);
        settings.put(ApnsPushProviderFactory.EXPIRATION, "PT1H");
        settings.put(ApnsPushProviderFactory.CALL_EXPIRATION, "PT0S");
        provider = provider(settings);

        sendAndWait(provider, message(1, "hi"));
        sendAndWait(provider, new PushRequest(DEVICE, ACCOUNT, Summary.EMPTY, PushKind.CALL, PushPriority.HIGH, null,
                ACCOUNT));

        assertThat(server.takeNotification(WAIT).expiration()).as("expiration = PT1H")
                .isBetween(Instant.now().plus(Duration.ofMinutes(50)), Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(server.takeNotification(WAIT).expiration()).as("PT0S is APNs' expiration 0: deliver once or drop")
                .isEqualTo(Instant.EPOCH);
    }

    @Test
    void aCallToADeviceWithoutVoipTokenBecomesAnAlertSoTheUserStillSeesIt() {
        start(Auth.TOKEN);
        Device noVoip = new Device("apns", TOKEN, null, null, false);

        DeliveryResult result = sendAndWait(provider, new PushRequest(noVoip, ACCOUNT,
                new Summary(null, SENDER, null, null, null), PushKind.CALL, PushPriority.HIGH, null, ACCOUNT));

        assertThat(result.isDelivered()).isTrue();
        ReceivedNotification n = server.takeNotification(WAIT);
        assertThat(n.token()).isEqualTo(TOKEN);
        assertThat(n.topic()).isEqualTo(BUNDLE);
        assertThat(n.pushType()).isEqualTo("alert");
        assertThat(n.priority()).isEqualTo(10);
        assertThat(json(n.payload()).get("aps").get("alert").get("body").asText()).isEqualTo("Incoming call");
    }

    @Test
    void anEndedCallIsABackgroundPushBecauseEveryVoipPushMustRing() {
        start(Auth.TOKEN);

        sendAndWait(provider, new PushRequest(DEVICE, ACCOUNT, new Summary(null, SENDER, null, null, null),
                PushKind.CALL_ENDED, PushPriority.HIGH, null, ACCOUNT));

        ReceivedNotification n = server.takeNotification(WAIT);
        assertThat(n.token()).isEqualTo(TOKEN);
        assertThat(n.pushType()).isEqualTo("background");
        assertThat(n.priority()).isEqualTo(5);
    }

    @Test
    void anEncryptedNotificationPassesCiphertextAndIvThroughAndShowsNoPlaintext() {
        start(Auth.TOKEN);
        EncryptedPayload encrypted = new EncryptedPayload("aXYxMjM0NTY3ODkw", "Y2lwaGVydGV4dA==", null);

        sendAndWait(provider, new PushRequest(DEVICE, ACCOUNT, Summary.EMPTY, PushKind.MESSAGE, PushPriority.HIGH,
                encrypted, ACCOUNT));

        JsonNode payload = json(server.takeNotification(WAIT).payload());
        assertThat(payload.get("encrypted").asText()).isEqualTo("Y2lwaGVydGV4dA==");
        assertThat(payload.get("iv").asText()).isEqualTo("aXYxMjM0NTY3ODkw");
        assertThat(payload.get("aps").get("mutable-content").asInt()).as("the extension decrypts it").isEqualTo(1);
        assertThat(payload.get("aps").get("alert").get("body").asText()).isEqualTo("New message");
    }

    @ParameterizedTest
    @EnumSource(Auth.class)
    void tooManyRequestsIsTriedAgainUntilAccepted(Auth auth) {
        start(auth);
        server.rejectNext(2, Rejection.of("TooManyRequests"));

        DeliveryResult result = sendAndWait(provider, message(1, "hi"));

        assertThat(result.isDelivered()).as("the third attempt is accepted").isTrue();
        assertThat(server.rejectedCount()).as("two attempts were refused before").isEqualTo(2);
        assertThat(server.takeRejection(WAIT).reason()).isEqualTo("TooManyRequests");
        assertThat(server.takeNotification(WAIT).token()).isEqualTo(TOKEN);
    }

    @Test
    void overloadThatOutlastsTheRetriesIsTransient() {
        start(Auth.TOKEN);
        server.rejectNext(4, Rejection.of("ServiceUnavailable"));

        DeliveryResult result = sendAndWait(provider, message(1, "hi"));

        assertThat(result).isInstanceOf(DeliveryResult.Rejected.class);
        DeliveryResult.Rejected rejected = (DeliveryResult.Rejected) result;
        assertThat(rejected.reason()).isEqualTo(RejectionReason.UNAVAILABLE);
        assertThat(rejected.reason().isPermanent()).as("the device may be reached later").isFalse();
        assertThat(rejected.detail()).contains("ServiceUnavailable", "503", "4 attempts");
        assertThat(server.rejectedCount()).as("one attempt plus three retries (the default)").isEqualTo(4);
        assertThat(server.acceptedCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Auth.class)
    void unregisteredIsAnInvalidTokenWithItsTimestamp(Auth auth) {
        start(auth);
        Instant since = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MILLIS);
        server.unregisterDeviceToken(TOKEN, since);

        DeliveryResult result = sendAndWait(provider, message(1, "hi"));

        DeliveryResult.Rejected rejected = (DeliveryResult.Rejected) result;
        assertThat(rejected.reason()).isEqualTo(RejectionReason.INVALID_TOKEN);
        assertThat(rejected.reason().invalidatesDevice()).isTrue();
        assertThat(rejected.detail()).contains("Unregistered", "410", since.toString());
        assertThat(rejected.detail()).as("details never carry the token").doesNotContain(TOKEN);
        assertThat(server.rejectedCount()).as("a dead token is not tried again").isEqualTo(1);
    }

    @Test
    void aTokenOfAnotherAppIsATopicMismatchThatInvalidatesTheDevice() {
        start(Auth.TOKEN);
        String foreign = "99".repeat(32);

        DeliveryResult.Rejected rejected = (DeliveryResult.Rejected) sendAndWait(provider,
                PushRequest.message(Device.of("apns", foreign), ACCOUNT, new Summary(1, null, "hi", null, null)));

        assertThat(rejected.reason()).isEqualTo(RejectionReason.TOPIC_MISMATCH);
        assertThat(rejected.reason().invalidatesDevice()).isTrue();
    }

    @Test
    void badDeviceTokenIsAnInvalidToken() {
        start(Auth.TOKEN);
        server.rejectNext(1, Rejection.of("BadDeviceToken"));

        DeliveryResult.Rejected rejected = (DeliveryResult.Rejected) sendAndWait(provider, message(1, "hi"));

        assertThat(rejected.reason()).isEqualTo(RejectionReason.INVALID_TOKEN);
    }

    @Test
    void payloadTooLargeFromApnsIsPermanentForTheMessageOnly() {
        start(Auth.TOKEN);
        server.rejectNext(1, Rejection.of("PayloadTooLarge"));

        DeliveryResult.Rejected rejected = (DeliveryResult.Rejected) sendAndWait(provider, message(1, "hi"));

        assertThat(rejected.reason()).isEqualTo(RejectionReason.PAYLOAD_TOO_LARGE);
        assertThat(rejected.reason().isPermanent()).isTrue();
        assertThat(rejected.reason().invalidatesDevice()).as("the device is fine").isFalse();
    }

    @Test
    void aPayloadOverTheLimitIsRefusedBeforeSending() {
        start(Auth.TOKEN);
        EncryptedPayload huge = new EncryptedPayload("aXYxMjM0NTY3ODkw", "A".repeat(5000), null);

        DeliveryResult.Rejected rejected = (DeliveryResult.Rejected) sendAndWait(provider, new PushRequest(DEVICE,
                ACCOUNT, Summary.EMPTY, PushKind.MESSAGE, PushPriority.HIGH, huge, ACCOUNT));

        assertThat(rejected.reason()).isEqualTo(RejectionReason.PAYLOAD_TOO_LARGE);
        assertThat(rejected.detail()).contains("4096");
        assertThat(server.pollNotification(Duration.ofMillis(200))).as("nothing reached APNs").isNull();
        assertThat(server.rejectedCount()).isZero();
    }

    @Test
    void voipPushesMayUseApnsLargerVoipLimit() {
        server = FakeApnsServer.start();
        provider = provider(settings(server, Auth.TOKEN));
        EncryptedPayload big = new EncryptedPayload("aXYxMjM0NTY3ODkw", "A".repeat(4500), "voip");

        DeliveryResult result = sendAndWait(provider, new PushRequest(DEVICE, ACCOUNT, Summary.EMPTY, PushKind.CALL,
                PushPriority.HIGH, big, ACCOUNT));

        assertThat(result.isDelivered()).as("4.5 KB fits the 5 KB VoIP limit").isTrue();
        assertThat(server.takeNotification(WAIT).payload().length()).isGreaterThan(4096);
    }

    @Test
    void aLongBodyIsShortenedToFitRatherThanDropped() {
        start(Auth.TOKEN);
        String body = "ü".repeat(3000);

        DeliveryResult result = sendAndWait(provider, message(1, body));

        assertThat(result.isDelivered()).isTrue();
        ReceivedNotification n = server.takeNotification(WAIT);
        assertThat(n.payload().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
        String sent = json(n.payload()).get("body").asText();
        assertThat(sent).as("the start of the body survives, marked as cut").startsWith("üüü").endsWith("…");
        assertThat(sent.length()).isGreaterThan(500);
    }

    @Test
    void sandboxRegistrationsGoToTheSandboxEnvironment() {
        server = FakeApnsServer.startValidating().addDeviceToken(BUNDLE, TOKEN);
        sandboxServer = FakeApnsServer.builder().validating().sharingCredentialsWith(server).start()
                .addDeviceToken(BUNDLE, TOKEN);
        Map<String, Object> settings = settings(server, Auth.TOKEN);
        settings.put(ApnsPushProviderFactory.APNS_SANDBOX_PORT, sandboxServer.port());
        provider = provider(settings);
        Device sandboxDevice = new Device("apns", TOKEN, null, null, true);

        sendAndWait(provider, PushRequest.message(sandboxDevice, ACCOUNT, new Summary(1, null, "hi", null, null)));
        sendAndWait(provider, message(1, "production"));

        assertThat(sandboxServer.acceptedCount()).as("the sandbox device's push").isEqualTo(1);
        assertThat(server.acceptedCount()).as("the production device's push").isEqualTo(1);
    }

    /**
     * Servers send the sender's full JID; the payload's sender and the alert's title carry its bare JID unless the
     * app is configured with sender-jid 'full'.
     */
    @Test
    void theSenderIsItsBareJidUnlessTheAppIsConfiguredFull() {
        String full = "im.example.full";
        server = FakeApnsServer.startValidating().addDeviceToken(BUNDLE, TOKEN).addDeviceToken(full, VOIP_TOKEN);
        Map<String, Object> settings = settings(server, Auth.TOKEN);
        settings.put(ApnsPushProviderFactory.APPS, Map.of(full, Map.of(ApnsPushProviderFactory.SENDER_JID, "full")));
        provider = provider(settings);
        Summary fromPhone = new Summary(1, SENDER + "/phone", "hi", null, null);

        sendAndWait(provider, PushRequest.message(DEVICE, ACCOUNT, fromPhone));
        JsonNode bare = json(server.takeNotification(WAIT).payload());
        sendAndWait(provider, PushRequest.message(new Device("apns", VOIP_TOKEN, null, full, false), ACCOUNT,
                fromPhone));
        JsonNode asSent = json(server.takeNotification(WAIT).payload());

        assertThat(bare.get("sender").asText()).isEqualTo(SENDER);
        assertThat(bare.at("/aps/alert/title").asText()).as("no nickname: the sender titles the alert")
                .isEqualTo(SENDER);
        assertThat(asSent.get("sender").asText()).isEqualTo(SENDER + "/phone");
    }

    /**
     * An empty notification (a wake-up) is a background push by default; an app configured with wake-up 'alert'
     * gets a mutable-content alert with the placeholder at priority 10 instead, except for a badge clear.
     */
    @Test
    void aWakeUpIsABackgroundPushOrPerAppAMutableAlertWithThePlaceholder() {
        String nse = "im.example.nse";
        server = FakeApnsServer.startValidating().addDeviceToken(BUNDLE, TOKEN).addDeviceToken(nse, VOIP_TOKEN);
        Map<String, Object> settings = settings(server, Auth.TOKEN);
        settings.put(ApnsPushProviderFactory.ALERT_BODY, "New Message");
        settings.put(ApnsPushProviderFactory.APPS, Map.of(nse, Map.of(ApnsPushProviderFactory.WAKE_UP, "alert")));
        provider = provider(settings);
        Device nseDevice = new Device("apns", VOIP_TOKEN, null, nse, false);

        sendAndWait(provider, PushRequest.message(DEVICE, ACCOUNT, Summary.EMPTY));
        ReceivedNotification background = server.takeNotification(WAIT);
        sendAndWait(provider, PushRequest.message(nseDevice, ACCOUNT, Summary.EMPTY));
        ReceivedNotification alert = server.takeNotification(WAIT);
        sendAndWait(provider, PushRequest.message(nseDevice, ACCOUNT, new Summary(0, null, null, null, null)));
        ReceivedNotification clear = server.takeNotification(WAIT);

        assertThat(background.pushType()).isEqualTo("background");
        assertThat(json(background.payload()).at("/aps/content-available").asInt()).isEqualTo(1);
        assertThat(alert.pushType()).isEqualTo("alert");
        assertThat(alert.priority()).as("delivered at once, not throttled").isEqualTo(10);
        JsonNode aps = json(alert.payload()).get("aps");
        assertThat(aps.get("mutable-content").asInt()).as("the extension replaces the placeholder").isEqualTo(1);
        assertThat(aps.at("/alert/body").asText()).isEqualTo("New Message");
        assertThat(clear.pushType()).as("a badge clear shows nothing").isEqualTo("background");
        assertThat(server.rejectedCount()).isZero();
    }

    @Test
    void aWakeUpSettingOtherThanBackgroundOrAlertIsRefused() {
        server = FakeApnsServer.startValidating();
        Map<String, Object> settings = settings(server, Auth.TOKEN);
        settings.put(ApnsPushProviderFactory.WAKE_UP, "silent");

        assertThatThrownBy(() -> provider(settings)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'wake-up'").hasMessageContaining("'background' or 'alert'");
    }

    @Test
    void severalAppsSideBySideEachWithItsOwnCertificate() {
        String beta = "im.example.siskin.beta";
        server = FakeApnsServer.startValidating().addDeviceToken(BUNDLE, TOKEN).addDeviceToken(beta, VOIP_TOKEN);
        Map<String, Object> settings = settings(server, Auth.CERTIFICATE);
        FakeApnsServer.ClientCertificate betaCertificate = server.clientCertificate(beta);
        settings.put(ApnsPushProviderFactory.APPS, Map.of(beta, Map.of(
                ApnsPushProviderFactory.CERT_FILE, betaCertificate.file().toString(),
                ApnsPushProviderFactory.CERT_PASSWORD, betaCertificate.password())));
        provider = provider(settings);

        sendAndWait(provider, message(1, "default app"));
        sendAndWait(provider, PushRequest.message(new Device("apns", VOIP_TOKEN, null, beta, false), ACCOUNT,
                new Summary(1, null, "beta app", null, null)));

        assertThat(List.of(server.takeNotification(WAIT), server.takeNotification(WAIT)))
                .extracting(ReceivedNotification::topic).as("each registration reaches its own app")
                .containsExactlyInAnyOrder(BUNDLE, beta);
        assertThat(server.rejectedCount()).isZero();
    }

    @Test
    void severalAppsShareOneTokenKey() {
        String beta = "im.example.siskin.beta";
        server = FakeApnsServer.startValidating().addDeviceToken(BUNDLE, TOKEN).addDeviceToken(beta, VOIP_TOKEN);
        Map<String, Object> settings = settings(server, Auth.TOKEN);
        settings.put(ApnsPushProviderFactory.APPS, List.of(beta));
        provider = provider(settings);

        DeliveryResult result = sendAndWait(provider, PushRequest.message(
                new Device("apns", VOIP_TOKEN, null, beta, false), ACCOUNT, new Summary(1, null, "beta", null, null)));

        assertThat(result.isDelivered()).isTrue();
        assertThat(server.takeNotification(WAIT).topic()).isEqualTo(beta);
    }

    @Test
    void anUnknownAppIdIsABadRequestNotADeadDevice() {
        start(Auth.TOKEN);

        DeliveryResult.Rejected rejected = (DeliveryResult.Rejected) sendAndWait(provider, PushRequest.message(
                new Device("apns", TOKEN, null, "com.unknown", false), ACCOUNT, new Summary(1, null, "x", null, null)));

        assertThat(rejected.reason()).isEqualTo(RejectionReason.BAD_REQUEST);
        assertThat(rejected.reason().invalidatesDevice()).isFalse();
        assertThat(rejected.detail()).contains("com.unknown", BUNDLE);
    }

    @Test
    void anUnreachableServiceCompletesTheStageExceptionally() throws Exception {
        server = FakeApnsServer.start();
        Map<String, Object> settings = settings(server, Auth.TOKEN);
        try (ClosedPort closed = ClosedPort.open()) {
            settings.put(ApnsPushProviderFactory.APNS_PORT, closed.port());
            provider = provider(settings);

            var stage = provider.send(message(1, "hi")).toCompletableFuture();

            assertThatThrownBy(() -> stage.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("a transport failure is not a rejection").isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void whileApnsRefusesConnectionsOnePushAtATimeTriesAgainAndTheOthersFailAtOnce() throws Exception {
        server = FakeApnsServer.start();
        Map<String, Object> settings = settings(server, Auth.TOKEN);
        try (ClosedPort closed = ClosedPort.open()) {
            settings.put(ApnsPushProviderFactory.APNS_PORT, closed.port());
            provider = provider(settings);

            var first = provider.send(message(1, "hi")).toCompletableFuture();
            assertThatThrownBy(() -> first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the first attempt is refused").isInstanceOf(ExecutionException.class);
            var probe = provider.send(message(2, "hi")).toCompletableFuture();
            var refused = provider.send(message(3, "hi")).toCompletableFuture();

            assertThat(refused).as("not queued behind pushy's reconnect delay (1 s, doubling to 60 s)")
                    .isCompletedExceptionally();
            assertThatThrownBy(refused::join).hasRootCauseInstanceOf(java.net.ConnectException.class)
                    .hasMessageContaining("cannot be connected to");
            assertThatThrownBy(() -> probe.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the probe makes pushy try again; it is answered after connect-timeout, not pushy's delay")
                    .isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void sendAfterCloseFails() {
        start(Auth.TOKEN);
        provider.close();

        assertThat(provider.send(message(1, "hi")).toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void advertisesEncryptionAndApnsPayloadLimit() {
        start(Auth.TOKEN);

        assertThat(provider.acceptsEncryptedPayload()).as("an encrypted payload is passed through").isTrue();
        assertThat(provider.maxPayloadSize()).isEqualTo(4096);
    }
}
