package io.pushcomponent.provider.apns;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.Device;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** APNs tokens are hexadecimal of a plausible even length; anything else is refused before it is stored. */
class ApnsTokensTest {

    @ParameterizedTest
    @ValueSource(strings = {"a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
            "A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90", "0123456789abcdef"})
    void realTokensPass(String token) {
        assertThat(ApnsTokens.check(new Device("apns", token, token, null, false))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a1b2c3d4e5f6071g293a4b5c6d7e8f90", "<a1b2c3d4 e5f60718 293a4b5c>", "0123456789abcde",
            "０１２３４５６７８９ａｂｃｄｅｆ", "0123456789abcdef0"})
    void nonHexOddOrShortTokensAreRefusedWithoutEchoingThem(String token) {
        assertThat(ApnsTokens.check(Device.of("apns", token))).get().asString()
                .contains("device-token").doesNotContain(token);
    }

    @ParameterizedTest
    @ValueSource(ints = {ApnsTokens.MAX_DIGITS + 2, 4096})
    void overlongTokensAreRefused(int length) {
        assertThat(ApnsTokens.check(Device.of("apns", "a".repeat(length)))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "00"})
    void theSecondTokenIsCheckedTooAndNamed(String second) {
        assertThat(ApnsTokens.check(new Device("apns", "ab".repeat(32), second, null, false))).get().asString()
                .contains("device-second-token");
    }
}
