package io.pushcomponent.webpush.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.webpush.crypto.internal.Base64Url;
import io.pushcomponent.webpush.crypto.internal.MessageEncryption;
import io.pushcomponent.webpush.crypto.internal.P256;
import io.pushcomponent.webpush.crypto.internal.RecordCoding;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

/**
 * RFC 8291 Appendix A, the worked example of a push message: its fixed keys, secret and salt must give the RFC's
 * intermediate values and its body byte for byte, and the receiving side must read the RFC's body back.
 */
class Rfc8291AppendixATest {
    static final String PLAINTEXT = "When I grow up, I want to be a watermelon";
    static final String AS_PUBLIC = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    static final String AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    static final String UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    static final String UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
    static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
    static final String ECDH_SECRET = "kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs";
    static final String IKM = "S4lYMb_L0FxCeq0WhDx813KgSYqU26kOyzWUdsXYyrg";
    static final String CEK = "oIhVW04MRdy2XN9CiKLxTg";
    static final String NONCE = "4h_95klXJ5E_qnoN";
    static final String BODY = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6Tlz"
            + "AC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    private static byte[] b(String base64Url) {
        return Base64Url.decode(base64Url, "fixture");
    }

    private static KeyPair applicationServerKeys() {
        UserAgentKeys as = UserAgentKeys.fromBase64Url(AS_PUBLIC, AS_PRIVATE, AUTH);
        return new KeyPair(as.publicKey(), as.privateKey());
    }

    @Test
    void theIntermediateValuesAreTheRfcs() {
        byte[] secret = P256.agree(P256.privateKey(b(AS_PRIVATE), "as"), P256.publicKey(b(UA_PUBLIC), "ua"));
        assertThat(Base64Url.encode(secret)).isEqualTo(ECDH_SECRET);
        byte[] ikm = MessageEncryption.ikm(secret, b(AUTH), b(UA_PUBLIC), b(AS_PUBLIC));
        assertThat(Base64Url.encode(ikm)).isEqualTo(IKM);
        RecordCoding.Keys keys = RecordCoding.keys(ikm, b(SALT));
        assertThat(Base64Url.encode(keys.cek())).isEqualTo(CEK);
        assertThat(Base64Url.encode(keys.nonce())).isEqualTo(NONCE);
    }

    @Test
    void theRfcsFixedKeysAndSaltGiveItsBodyByteForByte() {
        PushSubscription subscription = PushSubscription.of("https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV", UA_PUBLIC, AUTH);

        byte[] body = WebPushEncryption.encrypt(subscription, PLAINTEXT.getBytes(StandardCharsets.UTF_8), 0,
                applicationServerKeys(), b(SALT));

        assertThat(body).isEqualTo(b(BODY));
        assertThat(body).hasSize(144);
    }

    @Test
    void theUserAgentDecryptsTheRfcsBody() {
        UserAgentKeys ua = UserAgentKeys.fromBase64Url(UA_PUBLIC, UA_PRIVATE, AUTH);

        assertThat(new String(WebPushEncryption.decrypt(ua, b(BODY)), StandardCharsets.UTF_8)).isEqualTo(PLAINTEXT);
    }

    @Test
    void aWrongAuthSecretDoesNotAuthenticate() {
        UserAgentKeys ua = UserAgentKeys.fromBase64Url(UA_PUBLIC, UA_PRIVATE, "AAAAAAAAAAAAAAAAAAAAAA");

        assertThatThrownBy(() -> WebPushEncryption.decrypt(ua, b(BODY)))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("does not authenticate");
    }

    @Test
    void anAlteredBodyDoesNotAuthenticate() {
        UserAgentKeys ua = UserAgentKeys.fromBase64Url(UA_PUBLIC, UA_PRIVATE, AUTH);
        byte[] body = b(BODY);
        body[body.length - 20] ^= 1;

        assertThatThrownBy(() -> WebPushEncryption.decrypt(ua, body)).isInstanceOf(WebPushCryptoException.class);
    }
}
