package io.pushcomponent.provider.webpush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.webpush.crypto.VapidKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider's settings: the VAPID key file in its three forms, the subject, and keys kept out of every message. */
class WebPushConfigTest {
    private static final VapidKeys KEYS = VapidKeys.generate();

    @TempDir
    Path dir;

    private WebPushConfig config(String keyFileContent, Object... extra) throws Exception {
        Path file = Files.writeString(dir.resolve("vapid-key"), keyFileContent);
        Map<String, Object> settings = new HashMap<>(Map.of(WebPushProviderFactory.VAPID_KEY_FILE, file.toString(),
                WebPushProviderFactory.VAPID_SUBJECT, "mailto:push-admin@example.com"));
        for (int i = 0; i < extra.length; i += 2) {
            settings.put((String) extra[i], extra[i + 1]);
        }
        return WebPushConfig.from(ProviderSettings.of("webpush", settings));
    }

    @Test
    void theFactoryIsFoundByServiceLoaderUnderItsId() {
        assertThat(ProviderRegistry.discover().factory(WebPushProviderFactory.ID))
                .isInstanceOf(WebPushProviderFactory.class);
        assertThat(new WebPushProviderFactory().artifact()).contains("io.pushcomponent:push-provider-webpush");
    }

    @Test
    void theKeyFileMayHoldBase64UrlLinesTheJsonOfWebPushOrAPemPkcs8Key() throws Exception {
        assertThat(config("public-key = " + KEYS.publicKeyBase64Url() + "\nprivate-key = " + KEYS.privateKeyBase64Url())
                .vapid().publicKey()).isEqualTo(KEYS.publicKey());
        assertThat(config("{\"publicKey\":\"" + KEYS.publicKeyBase64Url() + "\",\"privateKey\":\""
                + KEYS.privateKeyBase64Url() + "\"}").vapid().publicKey()).isEqualTo(KEYS.publicKey());
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(KEYS.privateKey().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        assertThat(config(pem).vapid().publicKey()).as("the public key is derived from the PKCS#8 key")
                .isEqualTo(KEYS.publicKey());
    }

    @Test
    void aBrokenOrMismatchedKeyFileIsRefusedWithoutShowingTheKey() throws Exception {
        String mismatched = "public-key = " + VapidKeys.generate().publicKeyBase64Url() + "\nprivate-key = "
                + KEYS.privateKeyBase64Url();
        assertThatThrownBy(() -> config(mismatched)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong").hasMessageNotContaining(KEYS.privateKeyBase64Url());
        assertThatThrownBy(() -> config("private-key = " + KEYS.privateKeyBase64Url()))
                .hasMessageContaining("no VAPID key pair").hasMessageNotContaining(KEYS.privateKeyBase64Url());
        assertThatThrownBy(() -> config("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----"))
                .hasMessageContaining("openssl pkcs8 -topk8");
        assertThatThrownBy(() -> config("-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----"))
                .hasMessageContaining("PKCS#8").hasMessageNotContaining("c2VjcmV0");
    }

    @Test
    void aSubjectIsRequiredAndMustBeMailtoOrHttps() throws Exception {
        Path file = WebPushProviderTest.keyFile(dir, KEYS);
        assertThatThrownBy(() -> WebPushConfig.from(ProviderSettings.of("webpush",
                Map.of(WebPushProviderFactory.VAPID_KEY_FILE, file.toString()))))
                .hasMessageContaining("'vapid-subject'").hasMessageContaining("mailto:");
        assertThatThrownBy(() -> config("public-key = " + KEYS.publicKeyBase64Url() + "\nprivate-key = "
                + KEYS.privateKeyBase64Url(), WebPushProviderFactory.VAPID_SUBJECT, "push-admin@example.com"))
                .hasMessageContaining("mailto: or https:");
        assertThatThrownBy(() -> WebPushConfig.from(ProviderSettings.of("webpush",
                Map.of(WebPushProviderFactory.VAPID_SUBJECT, "mailto:a@example.com"))))
                .hasMessageContaining("'vapid-key-file'");
    }

    @Test
    void thePrivateKeyNeverShowsInToString() throws Exception {
        WebPushConfig config = config("public-key = " + KEYS.publicKeyBase64Url() + "\nprivate-key = "
                + KEYS.privateKeyBase64Url());
        try (PushProvider provider = new WebPushProvider(config)) {
            assertThat(config.toString()).contains(KEYS.publicKeyBase64Url()).doesNotContain(KEYS.privateKeyBase64Url());
            assertThat(provider.toString()).doesNotContain(KEYS.privateKeyBase64Url());
            assertThat(provider.checkOnline().toCompletableFuture().join()).contains(KEYS.publicKeyBase64Url());
        }
    }

    @Test
    void unknownKeysAndBadValuesAreRefused() throws Exception {
        String keys = "public-key = " + KEYS.publicKeyBase64Url() + "\nprivate-key = " + KEYS.privateKeyBase64Url();
        assertThatThrownBy(() -> config(keys, WebPushProviderFactory.VAPID_VALIDITY, "PT25H"))
                .hasMessageContaining("24 hours");
        assertThatThrownBy(() -> config(keys, WebPushProviderFactory.MAX_CONCURRENT, 0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new WebPushProviderFactory().create(ProviderSettings.of("webpush",
                Map.of("server-key", "x")))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server-key");
    }
}
