package io.pushcomponent.tigase.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcomponent.api.EncryptedPayload;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Decrypts notifications as a device does: AES-128-GCM with the key it handed over on enable. */
public final class Aes {
    private Aes() {
    }

    public static String decrypt(byte[] key, String ivBase64, String ciphertextBase64) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                new GCMParameterSpec(128, Base64.getDecoder().decode(ivBase64)));
        return new String(cipher.doFinal(Base64.getDecoder().decode(ciphertextBase64)), StandardCharsets.UTF_8);
    }

    public static JsonNode decryptJson(byte[] key, EncryptedPayload payload) throws Exception {
        return new ObjectMapper().readTree(decrypt(key, payload.iv(), payload.ciphertext()));
    }
}
