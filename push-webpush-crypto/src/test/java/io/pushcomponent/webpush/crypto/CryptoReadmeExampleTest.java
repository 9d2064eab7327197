package io.pushcomponent.webpush.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The README's example, compiled and run: what is encrypted and signed is read back and verified. */
class CryptoReadmeExampleTest {

    @Test
    void readmeExample() {
        VapidKeys generated = VapidKeys.generate();
        String publicKey = generated.publicKeyBase64Url();
        String privateKey = generated.privateKeyBase64Url();
        UserAgentKeys browserKeys = UserAgentKeys.generate();
        String endpoint = "https://push.example.net/wpush/v2/gAAAAABh";
        PushSubscription browsers = browserKeys.subscription(endpoint);
        String p256dh = browsers.p256dhBase64Url();
        String auth = browsers.authBase64Url();

        // README example begins
        VapidKeys vapid = VapidKeys.fromBase64Url(publicKey, privateKey);
        PushSubscription subscription = PushSubscription.of(endpoint, p256dh, auth);

        byte[] body = WebPushEncryption.encrypt(subscription, "{\"body\":\"Wherefore art thou?\"}".getBytes(UTF_8));
        String authorization = Vapid.authorization(vapid, subscription.endpoint(),
                Instant.now().plus(Duration.ofHours(12)), "mailto:push@example.com");

        byte[] message = WebPushEncryption.decrypt(browserKeys, body);
        VapidClaims claims = Vapid.verify(authorization, Vapid.audience(endpoint), Instant.now());
        // README example ends

        assertThat(new String(message, UTF_8)).isEqualTo("{\"body\":\"Wherefore art thou?\"}");
        assertThat(claims.publicKey()).isEqualTo(generated.publicKey());
        assertThat(claims.audience()).isEqualTo("https://push.example.net");
    }
}
