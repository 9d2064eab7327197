package io.pushcomponent.provider.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.Summary;
import io.pushcomponent.testkit.webpush.FakeWebPushService;
import io.pushcomponent.webpush.crypto.Vapid;
import io.pushcomponent.webpush.crypto.VapidKeys;
import io.pushcomponent.webpush.crypto.WebPushEncryption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A payload the sender encrypted for the subscription itself (a Push 2.0 user's server) is posted unchanged, under
 * the sender's VAPID token, not re-encrypted and not signed with our key.
 */
class SenderEncryptedPayloadTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private FakeWebPushService service;
    private PushProvider provider;

    @BeforeEach
    void start() throws Exception {
        service = FakeWebPushService.start();
        provider = new WebPushProviderFactory().create(ProviderSettings.of(WebPushProviderFactory.ID, Map.of(
                WebPushProviderFactory.VAPID_KEY_FILE,
                WebPushProviderTest.keyFile(dir, VapidKeys.generate()).toString(),
                WebPushProviderFactory.VAPID_SUBJECT, WebPushProviderTest.SUBJECT,
                WebPushProviderFactory.ALLOW_LOCAL_ENDPOINTS, true)));
    }

    @AfterEach
    void stop() throws Exception {
        provider.close();
        service.close();
    }

    private PushRequest sealed(FakeWebPushService.Subscription browser, byte[] body, VapidKeys sender) {
        String token = Vapid.token(sender, service.origin(), Instant.now().plus(Duration.ofHours(1)),
                "xmpp:example.net");
        return new PushRequest(Device.of(WebPushProviderFactory.ID, browser.json()), "romeo@example.net",
                Summary.EMPTY, PushKind.MESSAGE, PushPriority.HIGH,
                EncryptedPayload.aes128gcm(Base64.getEncoder().encodeToString(body), token,
                        sender.publicKeyBase64Url()), null);
    }

    @Test
    void theSendersBodyArrivesUnchangedUnderTheSendersToken() throws Exception {
        VapidKeys sender = VapidKeys.generate();
        FakeWebPushService.Subscription browser = service.subscribe(sender);
        byte[] body = WebPushEncryption.encrypt(browser.pushSubscription(),
                "<envelope xmlns='urn:xmpp:sce:1'/>".getBytes(StandardCharsets.UTF_8));

        DeliveryResult result = provider.send(sealed(browser, body, sender)).toCompletableFuture()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(result).isInstanceOf(DeliveryResult.Delivered.class);
        FakeWebPushService.Received received = service.takeMessage(WAIT);
        assertThat(received.body()).as("posted as it came").isEqualTo(body);
        assertThat(received.text()).isEqualTo("<envelope xmlns='urn:xmpp:sce:1'/>");
        assertThat(received.vapid().publicKey()).as("under the sender's key").isEqualTo(sender.publicKey());
        assertThat(received.vapid().subject()).isEqualTo("xmpp:example.net");
    }

    @Test
    void aRefusedSendersTokenIsAnAuthenticationFailureWithoutSigningOurOwn() throws Exception {
        FakeWebPushService.Subscription browser = service.subscribe(VapidKeys.generate());
        VapidKeys wrong = VapidKeys.generate();
        byte[] body = WebPushEncryption.encrypt(browser.pushSubscription(), new byte[] {1});

        DeliveryResult result = provider.send(sealed(browser, body, wrong)).toCompletableFuture()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(result).isInstanceOfSatisfying(DeliveryResult.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.AUTH_FAILED));
        assertThat(service.messageCount()).as("one attempt: our own key cannot sign for the sender's").isEqualTo(1);
    }
}
