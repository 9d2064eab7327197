package io.pushcomponent.tigase.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcomponent.api.EncryptedPayload;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NotificationEncryptorTest {
    private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String KEY_B64 = Base64.getEncoder().encodeToString(KEY);

    private final NotificationEncryptor encryptor = new NotificationEncryptor();

    static Stream<Arguments> contents() {
        return Stream.of(
                Arguments.of("chat message",
                        new EncryptedNotificationContent(1, "juliet@example.com", NotificationType.CHAT, null,
                                "Wherefore art thou?", null, List.of()),
                        "{\"unread\":1,\"sender\":\"juliet@example.com\",\"type\":\"chat\","
                                + "\"message\":\"Wherefore art thou?\"}", null),
                Arguments.of("group chat message names the occupant",
                        new EncryptedNotificationContent(3, "verona@muc.example.com", NotificationType.GROUPCHAT,
                                "nurse", "Romeo!", null, List.of()),
                        "{\"unread\":3,\"sender\":\"verona@muc.example.com\",\"type\":\"groupchat\","
                                + "\"nickname\":\"nurse\",\"message\":\"Romeo!\"}", null),
                Arguments.of("call proposal is a VoIP push with sid and media",
                        new EncryptedNotificationContent(0, "romeo@example.net", NotificationType.CALL, null, null,
                                "ca3cf894-5325-482f-a412-a6e9f832298d", List.of("audio", "video")),
                        "{\"unread\":0,\"sender\":\"romeo@example.net\",\"type\":\"call\","
                                + "\"sid\":\"ca3cf894-5325-482f-a412-a6e9f832298d\",\"media\":[\"audio\",\"video\"]}",
                        "voip"),
                Arguments.of("call retraction is not a VoIP push",
                        new EncryptedNotificationContent(0, "romeo@example.net", NotificationType.CALL, null, null,
                                "ca3cf894", List.of()),
                        "{\"unread\":0,\"sender\":\"romeo@example.net\",\"type\":\"call\",\"sid\":\"ca3cf894\"}",
                        null),
                Arguments.of("account removed has no sender",
                        new EncryptedNotificationContent(0, null, NotificationType.ACCOUNT_REMOVED, null, null, null,
                                List.of()),
                        "{\"unread\":0,\"type\":\"account-removed\"}", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contents")
    void decryptsWithTheEnableKeyToTheJsonSiskinReads(String name, EncryptedNotificationContent content,
                                                      String expectedJson, String expectedType) throws Exception {
        EncryptedPayload payload = encryptor.encrypt(content, new PushEncryptionKey(KEY, null));

        assertThat(Base64.getDecoder().decode(payload.iv())).as("the IV is 12 random bytes").hasSize(12);
        assertThat(Base64.getDecoder().decode(payload.ciphertext()))
                .as("ciphertext is followed by the 16-byte tag")
                .hasSize(expectedJson.getBytes(StandardCharsets.UTF_8).length + 16);
        assertThat(Aes.decrypt(KEY, payload.iv(), payload.ciphertext()))
                .as("the plaintext is the JSON with every absent key left out, never null")
                .isEqualTo(expectedJson);
        assertThat(payload.type()).as("type='voip' marks call proposals only").isEqualTo(expectedType);
    }

    @Test
    void unreadIsANumberAndSenderAJidString() throws Exception {
        EncryptedPayload payload = encryptor.encrypt(new EncryptedNotificationContent(7, "juliet@example.com",
                NotificationType.CHAT, null, "hi", null, List.of()), new PushEncryptionKey(KEY, null));

        JsonNode json = Aes.decryptJson(KEY, payload);
        assertThat(json.get("unread").isNumber()).as("Siskin decodes unread as a number, not null").isTrue();
        assertThat(json.get("unread").asInt()).isEqualTo(7);
        assertThat(json.get("sender").isTextual()).as("Siskin decodes sender as a JID string, not null").isTrue();
    }

    @Test
    void everyPushGetsItsOwnIv() {
        EncryptedNotificationContent content = new EncryptedNotificationContent(1, "a@b", NotificationType.CHAT,
                null, "x", null, List.of());
        PushEncryptionKey key = new PushEncryptionKey(KEY, null);

        assertThat(encryptor.encrypt(content, key).iv()).as("an IV is never reused under one key")
                .isNotEqualTo(encryptor.encrypt(content, key).iv());
    }

    @Test
    void anotherKeyCannotOpenIt() {
        EncryptedPayload payload = encryptor.encrypt(new EncryptedNotificationContent(1, "a@b",
                NotificationType.CHAT, null, "secret", null, List.of()), new PushEncryptionKey(KEY, null));

        assertThatThrownBy(() -> Aes.decrypt("fedcba9876543210".getBytes(StandardCharsets.US_ASCII), payload.iv(),
                payload.ciphertext())).as("the GCM tag authenticates the key").isInstanceOf(AEADBadTagException.class);
    }

    static Stream<Arguments> budgets() {
        String ascii = "a".repeat(5000);
        String polish = "żółć".repeat(1000);
        String emoji = "😀".repeat(1000);
        String quotes = "\"".repeat(3000);
        return Stream.of(
                Arguments.of("default max-size 3000, ASCII", null, ascii),
                Arguments.of("max-size 1000, ASCII", 1000, ascii),
                Arguments.of("max-size 500, two-byte characters", 500, polish),
                Arguments.of("max-size 333, four-byte characters (surrogate pairs)", 333, emoji),
                Arguments.of("max-size 400, characters JSON escapes", 400, quotes));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("budgets")
    void longBodiesAreTrimmedOnACharacterBoundaryToFitMaxSize(String name, Integer maxSize, String body)
            throws Exception {
        EncryptedPayload payload = encryptor.encrypt(new EncryptedNotificationContent(2, "juliet@example.com",
                NotificationType.CHAT, null, body, null, List.of()), new PushEncryptionKey(KEY, maxSize));

        String json = Aes.decrypt(KEY, payload.iv(), payload.ciphertext());
        int budget = ((maxSize == null ? 3000 : maxSize) - 64) * 6 / 8;
        assertThat(json.getBytes(StandardCharsets.UTF_8).length)
                .as("the JSON takes at most ((max-size or 3000) - 64) * 6/8 bytes").isLessThanOrEqualTo(budget);
        assertThat(payload.ciphertext().length() + payload.iv().length())
                .as("the encrypted payload fits max-size").isLessThanOrEqualTo(maxSize == null ? 3000 : maxSize);
        String message = Aes.decryptJson(KEY, payload).get("message").asText();
        assertThat(body).as("the trimmed body is a prefix of the body").startsWith(message);
        assertThat(message.codePoints().allMatch(cp -> !Character.isSurrogate((char) cp)))
                .as("no character is cut in half").isTrue();
        assertThat(serialisedLength(body, message.codePointCount(0, message.length()) + 1))
                .as("the body is cut no shorter than it must be").isGreaterThan(budget);
    }

    private static int serialisedLength(String body, int codePoints) {
        String longer = new String(body.codePoints().limit(codePoints).toArray(), 0, codePoints);
        return NotificationEncryptor.json(new EncryptedNotificationContent(2, "juliet@example.com",
                NotificationType.CHAT, null, longer, null, List.of()), Integer.MAX_VALUE).length;
    }

    @Test
    void aShortBodyIsKeptWhole() throws Exception {
        EncryptedPayload payload = encryptor.encrypt(new EncryptedNotificationContent(1, "a@b", NotificationType.CHAT,
                null, "short", null, List.of()), new PushEncryptionKey(KEY, 200));

        assertThat(Aes.decryptJson(KEY, payload).get("message").asText()).as("a body that fits is not cut")
                .isEqualTo("short");
    }

    static Stream<Arguments> badEncryptElements() {
        return Stream.of(
                Arguments.of("aes-256-gcm", KEY_B64, null, "only aes-128-gcm is supported"),
                Arguments.of(null, KEY_B64, null, "only aes-128-gcm is supported"),
                Arguments.of("aes-128-gcm", "", null, "carries no key"),
                Arguments.of("aes-128-gcm", "%%%not-base64%%%", null, "not valid base64"),
                Arguments.of("aes-128-gcm", Base64.getEncoder().encodeToString(new byte[32]), null, "must be 16 bytes"),
                Arguments.of("aes-128-gcm", KEY_B64, "lots", "max-size must be a number"),
                Arguments.of("aes-128-gcm", KEY_B64, "-5", "max-size must be positive"));
    }

    @ParameterizedTest(name = "alg={0} max-size={2}")
    @MethodSource("badEncryptElements")
    void badEncryptElementsAreRefusedWithAClearMessageThatHidesTheKey(String alg, String key, String maxSize,
                                                                      String expected) {
        assertThatThrownBy(() -> PushEncryptionKey.parse(alg, key, maxSize))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected)
                .message().as("the key never appears in an error").doesNotContain(KEY_B64);
    }

    @Test
    void parsesTheEncryptElementSiskinSends() {
        PushEncryptionKey key = PushEncryptionKey.parse("aes-128-gcm", KEY_B64, "3072");

        assertThat(key.key()).isEqualTo(KEY);
        assertThat(key.maxSize()).isEqualTo(3072);
        assertThat(key.toString()).as("toString hides the key").doesNotContain(KEY_B64).contains("***");
    }
}
