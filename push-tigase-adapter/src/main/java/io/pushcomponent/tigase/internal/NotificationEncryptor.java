package io.pushcomponent.tigase.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcomponent.api.EncryptedPayload;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts notification content for Tigase's clients ({@code tigase:push:encrypt:0}): the JSON of an
 * {@link EncryptedNotificationContent} under AES-128-GCM ({@code AES/GCM/NoPadding}) with a fresh random 12-byte
 * IV and a 128-bit tag appended to the ciphertext, as the element
 * {@code <encrypted xmlns='tigase:push:encrypt:0' iv='base64' [type='voip']>base64(ciphertext‖tag)</encrypted>}.
 *
 * <p>The body is trimmed, on a character boundary, so that the JSON takes at most
 * {@code ((max-size or 3000) − 64) × 6/8} bytes of UTF-8: base64 grows it by 8/6 and the tag and IV need the 64
 * bytes, so the encrypted payload stays within the client's {@code max-size}.
 *
 * <p><b>Thread-safety:</b> thread-safe; a {@link Cipher} is made per call. Stateless apart from its random source.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#publishing">XEP-0357 §7 Publishing Notifications</a>
 */
final class NotificationEncryptor {
    /** The {@code max-size} assumed when the client gave none. */
    public static final int DEFAULT_MAX_SIZE = 3000;
    /** Bytes reserved for the tag, the IV and their encoding. */
    static final int OVERHEAD = 64;
    /** IV length in bytes. */
    public static final int IV_BYTES = 12;
    /** Tag length in bits. */
    public static final int TAG_BITS = 128;
    /** The {@code type} attribute of an encrypted call notification. */
    public static final String VOIP = "voip";

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecureRandom random;

    /** An encryptor with a strong random source for IVs. */
    public NotificationEncryptor() {
        this(new SecureRandom());
    }

    NotificationEncryptor(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Encrypts {@code content} for the device that handed over {@code key}.
     *
     * @return the payload: IV and ciphertext‖tag in base64, {@code type} {@value #VOIP} for a call proposal
     *         (a call with media), {@code null} otherwise
     */
    public EncryptedPayload encrypt(EncryptedNotificationContent content, PushEncryptionKey key) {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(key, "key");
        byte[] plaintext = json(content, plaintextBudget(key.maxSize()));
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        byte[] sealed;
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.key(), "AES"), new GCMParameterSpec(TAG_BITS, iv));
            sealed = cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            // AES-GCM is mandatory in every Java SE runtime and the key length was checked, so this is a broken JRE.
            throw new IllegalStateException("AES/GCM/NoPadding is not usable in this Java runtime", e);
        }
        Base64.Encoder b64 = Base64.getEncoder();
        boolean ringing = content.type() == NotificationType.CALL && !content.media().isEmpty();
        return new EncryptedPayload(b64.encodeToString(iv), b64.encodeToString(sealed), ringing ? VOIP : null);
    }

    /** The most bytes of JSON that fit a client's {@code max-size} once encrypted and encoded. */
    public static int plaintextBudget(Integer maxSize) {
        int size = maxSize == null ? DEFAULT_MAX_SIZE : maxSize;
        return Math.max(0, (size - OVERHEAD) * 6 / 8);
    }

    /**
     * The JSON of {@code content} in at most {@code budget} bytes: the message is cut at the longest prefix of whole
     * code points that fits, and left out when not even an empty one fits.
     */
    static byte[] json(EncryptedNotificationContent content, int budget) {
        byte[] full = serialise(content);
        String message = content.message();
        if (full.length <= budget || message == null) {
            return full;
        }
        int[] codePoints = message.codePoints().toArray();
        int low = 0;
        int high = codePoints.length - 1;
        byte[] best = null;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            byte[] candidate = serialise(content.withMessage(new String(codePoints, 0, mid)));
            if (candidate.length <= budget) {
                best = candidate;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return best != null ? best : serialise(content.withMessage(null));
    }

    private static byte[] serialise(EncryptedNotificationContent c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("unread", c.unread());
        putIfPresent(json, "sender", c.sender());
        json.put("type", c.type().wire());
        putIfPresent(json, "nickname", c.nickname());
        putIfPresent(json, "message", c.message());
        putIfPresent(json, "sid", c.sid());
        if (!c.media().isEmpty()) {
            json.put("media", c.media());
        }
        try {
            return JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings, numbers and lists always serialises", e);
        }
    }

    private static void putIfPresent(Map<String, Object> json, String key, String value) {
        if (value != null) {
            json.put(key, value);
        }
    }
}
