package io.pushcomponent.core.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.user.ErrorPolicy.Action;
import io.pushcomponent.core.user.ErrorPolicy.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorPolicyTest {

    @ParameterizedTest(name = "error type {0} -> {1}")
    @CsvSource(nullValues = "null", value = {
            "cancel, CANCEL", "auth, AUTH", "modify, MODIFY", "wait, WAIT",
            "continue, WAIT", "null, WAIT", "bogus, WAIT", "CANCEL, CANCEL"})
    void errorTypes(String type, Outcome expected) {
        assertThat(Outcome.ofErrorType(type)).as("error type '%s' is read as %s", type, expected)
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "RESULT, RESET_ERRORS",
            "TIMEOUT, COUNT_ERROR",
            "WAIT, COUNT_ERROR",
            "CANCEL, REMOVE",
            "AUTH, REMOVE",
            "MODIFY, REMOVE"})
    void actions(Outcome outcome, Action expected) {
        assertThat(ErrorPolicy.actionFor(outcome))
                .as("a result resets, wait and timeouts keep (counted), cancel/auth/modify remove")
                .isEqualTo(expected);
    }

    @Test
    void givesUpAfterTheConfiguredNumberOfConsecutiveErrors() {
        assertThat(ErrorPolicy.exhausted(2, 3)).as("2 of 3 errors keep the registration").isFalse();
        assertThat(ErrorPolicy.exhausted(3, 3)).as("the 3rd consecutive error of 3 removes it").isTrue();
    }
}
