package io.pushcomponent.testkit.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.testkit.webpush.FakeWebPushService.Received;
import io.pushcomponent.testkit.webpush.FakeWebPushService.Reply;
import io.pushcomponent.testkit.webpush.FakeWebPushService.Subscription;
import io.pushcomponent.webpush.crypto.Vapid;
import io.pushcomponent.webpush.crypto.VapidKeys;
import io.pushcomponent.webpush.crypto.WebPushEncryption;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake push service checks each push as a push service and a browser would, and answers as scripted. */
class FakeWebPushServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final VapidKeys SERVER_KEYS = VapidKeys.generate();

    private FakeWebPushService service;

    @BeforeEach
    void start() throws Exception {
        service = FakeWebPushService.start();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    /** The status and the headers of interest of an answer. */
    private record Answer(int statusCode, String location, String retryAfter) {
    }

    private static Answer push(String endpoint, String authorization, byte[] body, String... headers) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint).toURL().openConnection();
        try {
            connection.setConnectTimeout((int) WAIT.toMillis());
            connection.setReadTimeout((int) WAIT.toMillis());
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Encoding", "aes128gcm");
            if (authorization != null) {
                connection.setRequestProperty("Authorization", authorization);
            }
            for (int i = 0; i < headers.length; i += 2) {
                connection.setRequestProperty(headers[i], headers[i + 1]);
            }
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            return new Answer(connection.getResponseCode(), connection.getHeaderField("Location"),
                    connection.getHeaderField("Retry-After"));
        } finally {
            connection.disconnect();
        }
    }

    private String vapid(String endpoint) {
        return Vapid.authorization(SERVER_KEYS, endpoint, Instant.now().plus(Duration.ofHours(1)), "mailto:a@example.com");
    }

    private static byte[] encrypt(Subscription subscription, String text) {
        return WebPushEncryption.encrypt(subscription.pushSubscription(), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readmeExample() throws Exception {
        // README example begins
        try (FakeWebPushService push = FakeWebPushService.start()) {
            FakeWebPushService.Subscription browser = push.subscribe();   // what the browser hands the web app
            String deviceToken = browser.json();                          // {"endpoint":...,"keys":{...}}
            push.enqueue(FakeWebPushService.Reply.gone());                // the first push: 410, unsubscribed
            codeUnderTest(deviceToken);                                   // pushes twice
            assertThat(push.takeMessage(Duration.ofSeconds(5)).answeredWith()).isEqualTo(410);
            FakeWebPushService.Received m = push.takeMessage(Duration.ofSeconds(5));
            assertThat(m.text()).isEqualTo("Wherefore art thou?");        // decrypted as the browser would
            assertThat(m.vapid().audience()).isEqualTo(push.origin());    // the VAPID token verified
        }
        // README example ends
    }

    private void codeUnderTest(String deviceToken) throws Exception {
        io.pushcomponent.webpush.crypto.PushSubscription subscription =
                io.pushcomponent.webpush.crypto.PushSubscription.fromJson(deviceToken);
        for (int i = 0; i < 2; i++) {
            push(subscription.endpoint(), vapid(subscription.endpoint()), WebPushEncryption.encrypt(subscription,
                    "Wherefore art thou?".getBytes(StandardCharsets.UTF_8)), "TTL", "60");
        }
    }

    @Test
    void aValidPushIsDecryptedRecordedAndAnswered201WithALocation() throws Exception {
        Subscription browser = service.subscribe(SERVER_KEYS);

        Answer response = push(browser.endpoint(), vapid(browser.endpoint()),
                encrypt(browser, "hello"), "TTL", "3600", "Urgency", "high", "Topic", "juliet");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.location()).startsWith(service.origin());
        Received received = service.takeMessage(WAIT);
        assertThat(received.text()).isEqualTo("hello");
        assertThat(received.ttl()).isEqualTo("3600");
        assertThat(received.urgency()).isEqualTo("high");
        assertThat(received.topic()).isEqualTo("juliet");
        assertThat(received.vapid().publicKey()).isEqualTo(SERVER_KEYS.publicKey());
        assertThat(received.subscription()).isEqualTo(browser);
    }

    @Test
    void vapidIsRequiredAndMustNameThisOriginAndVerify() throws Exception {
        Subscription browser = service.subscribe();
        byte[] body = encrypt(browser, "x");

        assertThat(push(browser.endpoint(), null, body, "TTL", "0").statusCode()).as("no token").isEqualTo(401);
        assertThat(push(browser.endpoint(), vapid("https://push.example.net/x"), body, "TTL", "0").statusCode())
                .as("another audience").isEqualTo(401);
        String expired = Vapid.authorization(SERVER_KEYS, browser.endpoint(), Instant.now().minusSeconds(1), null);
        assertThat(push(browser.endpoint(), expired, body, "TTL", "0").statusCode()).as("expired").isEqualTo(401);
        String token = Vapid.token(VapidKeys.generate(), service.origin(), Instant.now().plusSeconds(60), null);
        assertThat(push(browser.endpoint(), Vapid.header(token, SERVER_KEYS), body, "TTL", "0").statusCode())
                .as("signed with a key other than k").isEqualTo(401);
        assertThat(service.messages()).allSatisfy(m -> assertThat(m.problem()).startsWith("VAPID"));
    }

    @Test
    void aSubscriptionMadeForAnApplicationServerKeyTakesOnlyThatKey() throws Exception {
        Subscription browser = service.subscribe(VapidKeys.generate());

        assertThat(push(browser.endpoint(), vapid(browser.endpoint()), encrypt(browser, "x"), "TTL", "0").statusCode())
                .isEqualTo(403);
    }

    @Test
    void unknownAndEndedSubscriptionsAre404And410() throws Exception {
        Subscription ended = service.subscribe();
        service.unsubscribe(ended);

        assertThat(push(service.origin() + "/push/nobody", vapid(service.origin()), new byte[0], "TTL", "0").statusCode())
                .isEqualTo(404);
        assertThat(push(ended.endpoint(), vapid(ended.endpoint()), encrypt(ended, "x"), "TTL", "0").statusCode())
                .isEqualTo(410);
    }

    @Test
    void headersAndSizeAreChecked() throws Exception {
        Subscription browser = service.subscribe();
        String auth = vapid(browser.endpoint());
        byte[] body = encrypt(browser, "x");

        assertThat(push(browser.endpoint(), auth, body).statusCode()).as("no TTL").isEqualTo(400);
        assertThat(push(browser.endpoint(), auth, body, "TTL", "60", "Urgency", "urgent").statusCode()).isEqualTo(400);
        assertThat(push(browser.endpoint(), auth, body, "TTL", "60", "Topic", "juliet@example.com").statusCode())
                .as("a topic outside the base64url alphabet").isEqualTo(400);
        assertThat(push(browser.endpoint(), auth, new byte[4097], "TTL", "60").statusCode()).isEqualTo(413);
    }

    @Test
    void aBodyThatDoesNotDecryptIsAnsweredButFailsTheTestThatReadsIt() throws Exception {
        Subscription browser = service.subscribe();
        Subscription other = service.subscribe();

        assertThat(push(browser.endpoint(), vapid(browser.endpoint()), encrypt(other, "x"), "TTL", "0").statusCode())
                .isEqualTo(201);
        Received received = service.takeMessage(WAIT);
        assertThat(received.decryptionError()).contains("does not authenticate");
        assertThatThrownBy(received::plaintext).isInstanceOf(AssertionError.class).hasMessageContaining("did not decrypt");
    }

    @Test
    void scriptedRepliesComeInOrderWithRetryAfterThenTheDefault() throws Exception {
        Subscription browser = service.subscribe();
        service.enqueue(Reply.tooManyRequests(Duration.ofSeconds(7))).enqueue(Reply.unavailable(null))
                .defaultReply(Reply.payloadTooLarge());
        String auth = vapid(browser.endpoint());

        Answer first = push(browser.endpoint(), auth, encrypt(browser, "1"), "TTL", "0");
        Answer second = push(browser.endpoint(), auth, encrypt(browser, "2"), "TTL", "0");
        Answer third = push(browser.endpoint(), auth, encrypt(browser, "3"), "TTL", "0");

        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.retryAfter()).isEqualTo("7");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(third.statusCode()).isEqualTo(413);
        assertThat(service.messages()).extracting(Received::text).containsExactly("1", "2", "3");
    }

    @Test
    void noPushWithinTheTimeoutFailsTake() {
        assertThat(service.pollMessage(Duration.ofMillis(50))).isNull();
        assertThatThrownBy(() -> service.takeMessage(Duration.ofMillis(50))).isInstanceOf(AssertionError.class);
    }
}
