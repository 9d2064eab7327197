package io.pushcomponent.webpush.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 8291's rules for what the application server sends: fresh keys per message, one record, at most 4,096 bytes. */
class WebPushEncryptionTest {
    private static final String ENDPOINT = "https://push.example.net/push/abc";

    @Test
    void aBrowserReadsWhatWasEncryptedForItsSubscription() {
        UserAgentKeys browser = UserAgentKeys.generate();
        byte[] message = "{\"title\":\"Juliet\",\"body\":\"Wherefore art thou?\"}".getBytes(StandardCharsets.UTF_8);

        byte[] body = WebPushEncryption.encrypt(browser.subscription(ENDPOINT), message);

        assertThat(WebPushEncryption.decrypt(browser, body)).isEqualTo(message);
    }

    @Test
    void encryptingForKeysWithoutAnEndpointReadsBackTheSame() {
        UserAgentKeys browser = UserAgentKeys.generate();
        PushSubscription keysOnly = browser.subscription(ENDPOINT);

        byte[] body = WebPushEncryption.encrypt(keysOnly.p256dh(), keysOnly.auth(), new byte[] {1, 2, 3}, 4);

        assertThat(body).hasSize(86 + 3 + 1 + 4 + 16);
        assertThat(WebPushEncryption.decrypt(browser, body)).containsExactly(1, 2, 3);
    }

    @Test
    void eachMessageHasItsOwnSaltAndEphemeralKey() {
        PushSubscription subscription = UserAgentKeys.generate().subscription(ENDPOINT);
        byte[] first = WebPushEncryption.encrypt(subscription, new byte[10]);
        byte[] second = WebPushEncryption.encrypt(subscription, new byte[10]);

        assertThat(Arrays.copyOf(first, 16)).isNotEqualTo(Arrays.copyOf(second, 16));
        assertThat(Aes128Gcm.keyId(first)).hasSize(65).isNotEqualTo(Aes128Gcm.keyId(second));
    }

    @Test
    void anotherBrowserCannotRead() {
        byte[] body = WebPushEncryption.encrypt(UserAgentKeys.generate().subscription(ENDPOINT), new byte[5]);

        assertThatThrownBy(() -> WebPushEncryption.decrypt(UserAgentKeys.generate(), body))
                .isInstanceOf(WebPushCryptoException.class);
    }

    @Test
    void theLongestMessageFillsExactly4096BytesAndOneMoreIsRefused() {
        UserAgentKeys browser = UserAgentKeys.generate();
        byte[] longest = new byte[WebPushEncryption.MAX_PLAINTEXT];
        Arrays.fill(longest, (byte) 'x');

        byte[] body = WebPushEncryption.encrypt(browser.subscription(ENDPOINT), longest);

        assertThat(body).hasSize(4096);
        assertThat(WebPushEncryption.decrypt(browser, body)).isEqualTo(longest);
        assertThatThrownBy(() -> WebPushEncryption.encrypt(browser.subscription(ENDPOINT), new byte[3994]))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("3993");
    }

    @Test
    void paddingHidesTheLengthAndIsRemovedByTheReader() {
        UserAgentKeys browser = UserAgentKeys.generate();

        byte[] body = WebPushEncryption.encrypt(browser.subscription(ENDPOINT), "hi".getBytes(StandardCharsets.UTF_8), 100);

        assertThat(body).hasSize(86 + 2 + 1 + 100 + 16);
        assertThat(new String(WebPushEncryption.decrypt(browser, body), StandardCharsets.UTF_8)).isEqualTo("hi");
    }

    @Test
    void aBodyOfSeveralRecordsIsNotAPushMessage() {
        UserAgentKeys browser = UserAgentKeys.generate();
        byte[] body = Aes128Gcm.encrypt(new byte[32], new byte[16], browser.subscription(ENDPOINT).p256dh(), 18,
                0, new byte[3]);

        assertThatThrownBy(() -> WebPushEncryption.decrypt(browser, body))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("one record");
    }

    @Test
    void aSubscriptionWithAKeyOffTheCurveIsRefused() {
        byte[] notOnCurve = new byte[65];
        notOnCurve[0] = 4;
        notOnCurve[64] = 1;

        assertThatThrownBy(() -> new PushSubscription(ENDPOINT, notOnCurve, new byte[16]))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("not a point on P-256");
        assertThatThrownBy(() -> PushSubscription.of("ftp://example.net/x", Rfc8291AppendixATest.UA_PUBLIC,
                Rfc8291AppendixATest.AUTH)).isInstanceOf(WebPushCryptoException.class);
        assertThatThrownBy(() -> PushSubscription.of(ENDPOINT, Rfc8291AppendixATest.UA_PUBLIC, "AAAA"))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("16 bytes");
    }
}
