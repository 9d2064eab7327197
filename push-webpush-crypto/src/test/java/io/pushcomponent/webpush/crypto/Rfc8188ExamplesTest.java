package io.pushcomponent.webpush.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.webpush.crypto.internal.Base64Url;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * RFC 8188 section 3's examples of the {@code aes128gcm} coding, reproduced byte for byte in both directions, and
 * the receiver's checks of section 2 (delimiters, truncation, padding).
 */
class Rfc8188ExamplesTest {
    private static final byte[] WALRUS = "I am the walrus".getBytes(StandardCharsets.US_ASCII);
    /** Section 3.1: one record of size 4096, no key id. */
    private static final String IKM_1 = "yqdlZ-tYemfogSmv7Ws5PQ";
    private static final String SALT_1 = "I1BsxtFttlv3u_Oo94xnmw";
    private static final String BODY_1 = "I1BsxtFttlv3u_Oo94xnmwAAEAAA-NAVub2qFgBEuQKRapoZu-IxkIva3MEB1PD-ly8Thjg";
    /** Section 3.2: records of 25 bytes, key id "a1", one byte of padding in the first record. */
    private static final String IKM_2 = "BO3ZVPxUlnLORbVGMpbT1Q";
    private static final String SALT_2 = "uNCkWiNYzKTnBN9ji3-qWA";
    private static final String BODY_2 = "uNCkWiNYzKTnBN9ji3-qWAAAABkCYTHOG8chz_gnvgOqdGYovxyjuqRyJFjEDyoF1Fvkj6hQPdPHI51OEUKEpgz3SsLWIqS_uA";

    private static byte[] b(String base64Url) {
        return Base64Url.decode(base64Url, "fixture");
    }

    @Test
    void example1EncryptsByteForByte() {
        assertThat(Aes128Gcm.encrypt(b(IKM_1), b(SALT_1), new byte[0], 4096, 0, WALRUS)).isEqualTo(b(BODY_1));
    }

    @Test
    void example1Decrypts() {
        assertThat(Aes128Gcm.decrypt(b(IKM_1), b(BODY_1))).isEqualTo(WALRUS);
        assertThat(Aes128Gcm.keyId(b(BODY_1))).isEmpty();
    }

    @Test
    void example2EncryptsByteForByteWithItsPaddingInTheFirstRecord() {
        byte[] body = Aes128Gcm.encrypt(b(IKM_2), b(SALT_2), "a1".getBytes(StandardCharsets.US_ASCII), 25, 1, WALRUS);

        assertThat(body).isEqualTo(b(BODY_2));
    }

    @Test
    void example2DecryptsAndNamesItsKeyId() {
        assertThat(Aes128Gcm.keyId(b(BODY_2))).isEqualTo("a1".getBytes(StandardCharsets.US_ASCII));
        assertThat(Aes128Gcm.decrypt(b(IKM_2), b(BODY_2))).isEqualTo(WALRUS);
    }

    @Test
    void aBodyCutAfterAFullRecordIsTruncatedNotComplete() {
        byte[] body = b(BODY_2);
        byte[] firstRecordOnly = Arrays.copyOf(body, body.length - 25);

        assertThatThrownBy(() -> Aes128Gcm.decrypt(b(IKM_2), firstRecordOnly))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("truncated");
    }

    @Test
    void aBodyCutInsideARecordDoesNotAuthenticate() {
        byte[] body = b(BODY_1);

        assertThatThrownBy(() -> Aes128Gcm.decrypt(b(IKM_1), Arrays.copyOf(body, body.length - 1)))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("does not authenticate");
    }

    @Test
    void aRecordSizeBelow18IsRefused() {
        byte[] body = b(BODY_1);
        body[16] = 0;
        body[17] = 0;
        body[18] = 0;
        body[19] = 17;

        assertThatThrownBy(() -> Aes128Gcm.decrypt(b(IKM_1), body))
                .isInstanceOf(WebPushCryptoException.class).hasMessageContaining("record size");
    }

    @Test
    void manyRecordsRoundTripWithPaddingSpreadOverSeveral() {
        byte[] ikm = new byte[16];
        byte[] content = new byte[100];
        Arrays.fill(content, (byte) 7);

        byte[] body = Aes128Gcm.encrypt(ikm, new byte[16], new byte[0], 20, 9, content);

        assertThat(Aes128Gcm.decrypt(ikm, body)).isEqualTo(content);
        assertThat(body.length - 21).as("109 bytes of content and padding, 3 a record: 36 full records and one of 1")
                .isEqualTo(36 * 20 + (1 + 1 + 16));
    }
}
