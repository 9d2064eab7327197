package io.pushcomponent.testkit.apns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.pushcomponent.testkit.apns.FakeApnsServer.ClientCertificate;
import io.pushcomponent.testkit.apns.FakeApnsServer.ReceivedNotification;
import io.pushcomponent.testkit.apns.FakeApnsServer.Rejection;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeApnsServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TOPIC = "com.example.app";
    private static final String TOKEN = "a".repeat(64);
    private static final String OTHER_TOKEN = "b".repeat(64);

    private final EventLoopGroup clientLoop = new NioEventLoopGroup(1);
    private FakeApnsServer server;
    private ApnsClient client;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.close().get(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        clientLoop.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    private ApnsClient certificateClient(String topic) throws Exception {
        ClientCertificate certificate = server.clientCertificate(topic);
        return new ApnsClientBuilder().setApnsServer(server.host(), server.port()).setEventLoopGroup(clientLoop)
                .setTrustedServerCertificateChain(server.caCertificateFile().toFile())
                .setClientCredentials(certificate.file().toFile(), certificate.password())
                .build();
    }

    private ApnsClient tokenClient() throws Exception {
        FakeApnsServer.SigningKey key = server.signingKey();
        return new ApnsClientBuilder().setApnsServer(server.host(), server.port()).setEventLoopGroup(clientLoop)
                .setTrustedServerCertificateChain(server.caCertificateFile().toFile())
                .setSigningKey(ApnsSigningKey.loadFromPkcs8File(key.file().toFile(), key.teamId(), key.keyId()))
                .build();
    }

    private PushNotificationResponse<SimpleApnsPushNotification> send(String token, String topic) throws Exception {
        return client.sendNotification(new SimpleApnsPushNotification(token, topic, "{\"aps\":{\"badge\":1}}",
                Instant.now().plus(Duration.ofHours(1)), DeliveryPriority.IMMEDIATE, PushType.ALERT, "thread-1"))
                .get(10, TimeUnit.SECONDS);
    }

    /** The example of this artifact's README, compiled and run (there inside {@code try (FakeApnsServer apns = ...)}). */
    @Test
    void readmeExample() throws Exception {
        server = FakeApnsServer.startValidating();
        FakeApnsServer apns = server;
        // README example begins
        apns.addDeviceToken("im.example.app", TOKEN);
        FakeApnsServer.SigningKey key = apns.signingKey();                 // .p8 + team id + key id
        apns.rejectNext(1, FakeApnsServer.Rejection.of("TooManyRequests"));
        client = tokenClient();                                             // the code under test, given key
        assertThat(send(TOKEN, "im.example.app").getRejectionReason()).contains("TooManyRequests");
        assertThat(send(TOKEN, "im.example.app").isAccepted()).isTrue();
        FakeApnsServer.ReceivedNotification n = apns.takeNotification(Duration.ofSeconds(5));
        assertThat(n.topic()).isEqualTo("im.example.app");
        // README example ends
        assertThat(key.teamId()).isEqualTo("FAKETEAM01");
    }

    @Test
    void validatingServerAcceptsKnownTokensOverCertificateAuthAndRecordsThem() throws Exception {
        server = FakeApnsServer.startValidating().addDeviceToken(TOPIC, TOKEN);
        client = certificateClient(TOPIC);

        assertThat(send(TOKEN, TOPIC).isAccepted()).as("a registered token on its topic is accepted").isTrue();

        ReceivedNotification n = server.takeNotification(WAIT);
        assertThat(n.token()).isEqualTo(TOKEN);
        assertThat(n.topic()).isEqualTo(TOPIC);
        assertThat(n.pushType()).isEqualTo("alert");
        assertThat(n.priority()).isEqualTo(10);
        assertThat(n.collapseId()).isEqualTo("thread-1");
        assertThat(n.payload()).isEqualTo("{\"aps\":{\"badge\":1}}");
        assertThat(n.toString()).as("toString never shows a full device token").doesNotContain(TOKEN);
    }

    @Test
    void validatingServerAnswersLikeApnsForUnknownTokensAndForeignTopics() throws Exception {
        server = FakeApnsServer.startValidating().addDeviceToken(TOPIC, TOKEN)
                .addDeviceToken("com.example.other", TOKEN);
        client = certificateClient(TOPIC);

        PushNotificationResponse<?> unknown = send(OTHER_TOKEN, TOPIC);
        assertThat(unknown.getRejectionReason()).as("a token not registered for the topic")
                .contains("DeviceTokenNotForTopic");
        assertThat(send("not-hex", TOPIC).getRejectionReason()).as("a malformed token").contains("BadDeviceToken");
        assertThat(send(TOKEN, "com.example.other").getRejectionReason())
                .as("a certificate only covers its own bundle id").contains("BadTopic");
    }

    @Test
    void unregisteredTokensGet410WithTheirTimestamp() throws Exception {
        Instant since = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MILLIS);
        server = FakeApnsServer.startValidating().addDeviceToken(TOPIC, TOKEN).unregisterDeviceToken(TOKEN, since);
        client = certificateClient(TOPIC);

        PushNotificationResponse<?> response = send(TOKEN, TOPIC);

        assertThat(response.getStatusCode()).isEqualTo(410);
        assertThat(response.getRejectionReason()).contains("Unregistered");
        assertThat(response.getTokenInvalidationTimestamp()).as("410 carries when the token became invalid")
                .contains(since);
        assertThat(server.takeRejection(WAIT).status()).isEqualTo(410);
    }

    @Test
    void tokenAuthIsCheckedAgainstTheSigningKeyAndItsTopics() throws Exception {
        server = FakeApnsServer.startValidating().addDeviceToken(TOPIC, TOKEN);
        client = tokenClient();

        assertThat(send(TOKEN, TOPIC).isAccepted()).as("a JWT signed with the fake's key is accepted").isTrue();
        assertThat(Files.readString(server.signingKey().file())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(send(TOKEN, "com.example.unknown").isAccepted()).as("the key only covers known topics")
                .isFalse();
    }

    @Test
    void scriptedRejectionsApplyToTheNextNotificationsOnly() throws Exception {
        server = FakeApnsServer.start();
        client = certificateClient(TOPIC);
        server.rejectNext(2, Rejection.of("TooManyRequests"));

        PushNotificationResponse<?> first = send(TOKEN, TOPIC);
        PushNotificationResponse<?> second = send(TOKEN, TOPIC);
        PushNotificationResponse<?> third = send(TOKEN, TOPIC);

        assertThat(first.getRejectionReason()).contains("TooManyRequests");
        assertThat(first.getStatusCode()).isEqualTo(429);
        assertThat(second.getRejectionReason()).contains("TooManyRequests");
        assertThat(third.isAccepted()).as("after the script the accept-all server accepts again").isTrue();
        assertThat(server.rejectedCount()).isEqualTo(2);
        assertThat(server.acceptedCount()).isEqualTo(1);
        assertThat(server.takeRejection(WAIT).reason()).isEqualTo("TooManyRequests");
    }

    @Test
    void scriptedRejectionsAreValidated() {
        assertThatThrownBy(() -> Rejection.of("TooManyRequest")).as("a misspelt reason is refused")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TooManyRequests");
        assertThatThrownBy(() -> Rejection.of("Unregistered")).as("Unregistered needs its timestamp")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Rejection.unregistered(Instant.EPOCH).status()).isEqualTo(410);
        assertThat(Rejection.of("ServiceUnavailable").status()).isEqualTo(503);
    }

    @Test
    void closeDeletesTheGeneratedCredentials() {
        server = FakeApnsServer.start();
        ClientCertificate certificate = server.clientCertificate(TOPIC);
        assertThat(certificate.file()).exists();
        assertThat(certificate.toString()).doesNotContain(certificate.password());

        server.close();

        assertThat(certificate.file()).as("credentials do not outlive the server").doesNotExist();
        assertThat(server.caCertificateFile()).doesNotExist();
    }
}
