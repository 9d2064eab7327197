package io.pushcomponent.provider.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.Device;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** FCM tokens use the URL-safe Base64 alphabet and ':'; anything else is refused before it is stored. */
class FcmTokensTest {

    @ParameterizedTest
    @ValueSource(strings = {"dQw4w9WgXcQ:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx_8qFx3pRjXe0hC9uBb9eD_-1f2AAbcd",
            "fcm-registration-token:APA91bH-0123456789abcdefghij", "APA91bE_legacy-GCM-registration-id"})
    void realTokensPass(String token) {
        assertThat(FcmTokens.check(new Device("fcm-http-v1", token, token, null, false))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"token with spaces", "<b>markup</b>", "line\nbreak", "tab\tbed", "quote'd", "ümlaut",
            "semi;colon", "slash/ed"})
    void otherCharactersAreRefusedWithoutEchoingTheToken(String token) {
        assertThat(FcmTokens.check(Device.of("fcm-http-v1", token))).get().asString()
                .contains("device-token").doesNotContain(token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x y", "semi;colon"})
    void theSecondTokenIsCheckedToo(String second) {
        assertThat(FcmTokens.check(new Device("fcm-http-v1", "abc:APA91b", second, null, false))).get().asString()
                .contains("device-second-token");
    }

    @ParameterizedTest
    @ValueSource(ints = {FcmTokens.MAX_LENGTH + 1, 100_000})
    void overlongTokensAreRefused(int length) {
        assertThat(FcmTokens.check(Device.of("fcm-http-v1", "a".repeat(length)))).isPresent();
    }
}
