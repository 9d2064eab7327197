package io.pushcomponent.webpush.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Private keys, authentication secrets and the endpoint's capability path never show in toString() or errors. */
class SecretsTest {
    private static final String ENDPOINT = "https://push.example.net/push/SECRETCAPABILITYPATH";

    @Test
    void toStringHidesPrivateKeysSecretsAndTheEndpointPath() {
        VapidKeys vapid = VapidKeys.generate();
        UserAgentKeys browser = UserAgentKeys.generate();
        PushSubscription subscription = browser.subscription(ENDPOINT);

        assertThat(vapid.toString()).contains(vapid.publicKeyBase64Url()).doesNotContain(vapid.privateKeyBase64Url());
        assertThat(browser.toString()).doesNotContain(subscription.authBase64Url())
                .doesNotContain(browser.privateKey().getS().toString(16));
        assertThat(subscription.toString()).contains("https://push.example.net")
                .doesNotContain("SECRETCAPABILITYPATH").doesNotContain(subscription.authBase64Url());
    }

    @Test
    void aMalformedKeyIsReportedWithoutItsValue() {
        String notAKey = "c2VjcmV0LXZhbHVlLXRoYXQtaXMtbm90LWEta2V5";

        assertThatThrownBy(() -> VapidKeys.fromBase64Url(VapidKeys.generate().publicKeyBase64Url(), notAKey))
                .isInstanceOf(WebPushCryptoException.class).hasMessageNotContaining(notAKey);
        assertThatThrownBy(() -> VapidKeys.fromBase64Url(VapidKeys.generate().publicKeyBase64Url(), "%%%"))
                .isInstanceOf(WebPushCryptoException.class).hasMessageNotContaining("%%%");
    }

    @Test
    void subscriptionsCopyTheirArrays() {
        PushSubscription subscription = UserAgentKeys.generate().subscription(ENDPOINT);
        byte[] auth = subscription.auth();
        auth[0] ^= 1;

        assertThat(subscription.auth()).isNotEqualTo(auth);
        assertThat(subscription).isEqualTo(PushSubscription.of(ENDPOINT, subscription.p256dhBase64Url(),
                subscription.authBase64Url()));
    }
}
