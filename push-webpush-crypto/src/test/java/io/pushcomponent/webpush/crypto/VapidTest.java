package io.pushcomponent.webpush.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.webpush.crypto.internal.Base64Url;
import io.pushcomponent.webpush.crypto.internal.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 8292: the token's form and claims, the {@code vapid} header, and a push service's checks of both. */
class VapidTest {
    private static final String ENDPOINT = "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABh";
    private static final String ORIGIN = "https://updates.push.services.mozilla.com";
    private static final Instant NOW = Instant.parse("2026-12-05T18:00:00Z");
    private static final VapidKeys KEYS = VapidKeys.generate();

    @Test
    void theAudienceIsTheEndpointsOrigin() {
        assertThat(Vapid.audience(ENDPOINT)).isEqualTo(ORIGIN);
        assertThat(Vapid.audience("https://Push.Example.net:443/a/b?c")).isEqualTo("https://push.example.net");
        assertThat(Vapid.audience("http://127.0.0.1:8443/push/x")).isEqualTo("http://127.0.0.1:8443");
    }

    @Test
    void theTokenIsAnEs256JwtWithAudExpAndSub() {
        String token = Vapid.token(KEYS, ORIGIN, NOW.plus(Duration.ofHours(12)), "mailto:push@example.com");
        String[] parts = token.split("\\.");

        assertThat(parts).hasSize(3);
        assertThat(Json.readObject(new String(Base64Url.decode(parts[0], "h"), StandardCharsets.UTF_8)))
                .containsEntry("typ", "JWT").containsEntry("alg", "ES256");
        Map<String, Object> claims = Json.readObject(new String(Base64Url.decode(parts[1], "c"), StandardCharsets.UTF_8));
        assertThat(claims).containsEntry("aud", ORIGIN).containsEntry("sub", "mailto:push@example.com");
        assertThat(claims.get("exp").toString()).isEqualTo(Long.toString(NOW.plus(Duration.ofHours(12)).getEpochSecond()));
        assertThat(Base64Url.decode(parts[2], "s")).as("ES256 signature is r || s").hasSize(64);
    }

    @Test
    void aTokenVerifiesWithThePublicKeyInTheHeader() {
        String header = Vapid.authorization(KEYS, ENDPOINT, NOW.plus(Duration.ofHours(12)), "https://example.com/contact");

        assertThat(header).startsWith("vapid t=").contains(", k=" + KEYS.publicKeyBase64Url());
        VapidClaims claims = Vapid.verify(header, ORIGIN, NOW);
        assertThat(claims.publicKey()).isEqualTo(KEYS.publicKey());
        assertThat(claims.audience()).isEqualTo(ORIGIN);
        assertThat(claims.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(12)));
        assertThat(claims.subject()).isEqualTo("https://example.com/contact");
    }

    @Test
    void aTokenSignedWithAnotherKeyDoesNotVerify() {
        String token = Vapid.token(VapidKeys.generate(), ORIGIN, NOW.plusSeconds(60), null);

        assertThatThrownBy(() -> Vapid.verify(Vapid.header(token, KEYS), ORIGIN, NOW))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("signature");
    }

    @Test
    void alteredClaimsDoNotVerify() {
        String token = Vapid.token(KEYS, ORIGIN, NOW.plusSeconds(60), null);
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + Base64Url.encode(("{\"aud\":\"" + ORIGIN + "\",\"exp\":"
                + NOW.plusSeconds(3600).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertThatThrownBy(() -> Vapid.verify(Vapid.header(forged, KEYS), ORIGIN, NOW))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("signature");
    }

    @Test
    void aPushServiceRefusesAnotherAudienceAnExpiredTokenAndOneValidForMoreThanADay() {
        assertThatThrownBy(() -> Vapid.verify(Vapid.authorization(KEYS, "https://fcm.googleapis.com/fcm/send/x",
                NOW.plusSeconds(60), null), ORIGIN, NOW))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("aud");
        assertThatThrownBy(() -> Vapid.verify(Vapid.authorization(KEYS, ENDPOINT, NOW, null), ORIGIN, NOW))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> Vapid.verify(Vapid.authorization(KEYS, ENDPOINT,
                NOW.plus(Duration.ofHours(24)).plusSeconds(1), null), ORIGIN, NOW))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("24 hours");
    }

    @Test
    void theHeaderMustUseTheVapidSchemeWithBothParameters() {
        String token = Vapid.token(KEYS, ORIGIN, NOW.plusSeconds(60), null);

        assertThatThrownBy(() -> Vapid.verify("WebPush " + token, ORIGIN, NOW))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("scheme");
        assertThatThrownBy(() -> Vapid.verify("vapid t=" + token, ORIGIN, NOW))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("t or k");
        assertThat(Vapid.verify("VAPID k=\"" + KEYS.publicKeyBase64Url() + "\",t=" + token, ORIGIN, NOW).audience())
                .as("scheme case-insensitive, parameters in any order, quoted or not").isEqualTo(ORIGIN);
    }

    @Test
    void aSubjectMustBeAUri() {
        assertThatThrownBy(() -> Vapid.token(KEYS, ORIGIN, NOW.plusSeconds(60), "push@example.com"))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("not a URI");
        assertThat(Vapid.verify(Vapid.authorization(KEYS, ENDPOINT, NOW.plusSeconds(60), "xmpp:push.example.com"),
                ORIGIN, NOW).subject()).isEqualTo("xmpp:push.example.com");
    }

    @Test
    void keysFromAPrivateKeyAloneOrPkcs8DeriveThePublicKey() {
        assertThat(VapidKeys.fromPrivateKey(KEYS.privateKey()).publicKey()).isEqualTo(KEYS.publicKey());
        assertThat(VapidKeys.fromPkcs8(KEYS.privateKey().getEncoded()).publicKey()).isEqualTo(KEYS.publicKey());
        for (int i = 0; i < 8; i++) {
            VapidKeys other = VapidKeys.generate();
            assertThat(VapidKeys.fromPrivateKey(other.privateKey()).publicKeyBase64Url())
                    .as("either sign of Y").isEqualTo(other.publicKeyBase64Url());
        }
        assertThatThrownBy(() -> VapidKeys.fromPkcs8(new byte[] {1, 2, 3}))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("PKCS#8");
    }

    @Test
    void keysRoundTripThroughTheirBase64UrlFormAndAMismatchedPairIsRefused() {
        VapidKeys again = VapidKeys.fromBase64Url(KEYS.publicKeyBase64Url(), KEYS.privateKeyBase64Url());

        assertThat(again.publicKey()).isEqualTo(KEYS.publicKey());
        assertThat(Base64Url.decode(KEYS.publicKeyBase64Url(), "k")).hasSize(65).startsWith(4);
        assertThat(Base64Url.decode(KEYS.privateKeyBase64Url(), "d")).hasSize(32);
        assertThatThrownBy(() -> VapidKeys.fromBase64Url(KEYS.publicKeyBase64Url(),
                VapidKeys.generate().privateKeyBase64Url()))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("does not belong");
    }
}
