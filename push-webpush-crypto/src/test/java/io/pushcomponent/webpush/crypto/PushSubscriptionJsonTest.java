package io.pushcomponent.webpush.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A subscription read from and written as the JSON of the Push API's {@code PushSubscription.toJSON()}. */
class PushSubscriptionJsonTest {
    /** What a browser's JSON.stringify(subscription) gives, with RFC 8291 Appendix A's keys. */
    static final String BROWSER_JSON = "{\"endpoint\":\"https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91bHq\","
            + "\"expirationTime\":null,\"keys\":{\"p256dh\":\"" + Rfc8291AppendixATest.UA_PUBLIC + "\",\"auth\":\""
            + Rfc8291AppendixATest.AUTH + "\"}}";

    @Test
    void theBrowsersJsonIsRead() {
        PushSubscription subscription = PushSubscription.fromJson(BROWSER_JSON);

        assertThat(subscription.endpoint()).isEqualTo("https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91bHq");
        assertThat(subscription.p256dhBase64Url()).isEqualTo(Rfc8291AppendixATest.UA_PUBLIC);
        assertThat(subscription.authBase64Url()).isEqualTo(Rfc8291AppendixATest.AUTH);
    }

    @Test
    void writingGivesTheBrowsersFormBack() {
        assertThat(PushSubscription.fromJson(BROWSER_JSON).toJson()).isEqualTo(BROWSER_JSON);
    }

    @Test
    void spacingMemberOrderAndExtraMembersDoNotMatter() {
        String json = "{ \"keys\" : { \"auth\" : \"" + Rfc8291AppendixATest.AUTH + "\", \"p256dh\" : \""
                + Rfc8291AppendixATest.UA_PUBLIC + "\" },\n \"endpoint\" : \"https://push.example.net/x\", \"extra\": [1, true] }";

        assertThat(PushSubscription.fromJson(json).origin()).isEqualTo("https://push.example.net");
    }

    @Test
    void whatIsNotASubscriptionIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> PushSubscription.fromJson("{\"endpoint\":\"https://x.example/secretpath\"}"))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("keys").hasMessageNotContaining("secretpath");
        assertThatThrownBy(() -> PushSubscription.fromJson("https://x.example/secretpath"))
                .isInstanceOf(WebPushCryptoException.class).hasMessageNotContaining("secretpath");
        assertThatThrownBy(() -> PushSubscription.fromJson(BROWSER_JSON.replace(Rfc8291AppendixATest.AUTH, "AAAA")))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("16 bytes");
    }
}
