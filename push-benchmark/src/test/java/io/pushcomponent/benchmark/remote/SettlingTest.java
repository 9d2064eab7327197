package io.pushcomponent.benchmark.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When a warm-up counts as over: the last windows' rates agree within the tolerance, and only then. */
class SettlingTest {
    private final Settling settling = new Settling(0.03, 3, 20);

    @Test
    void fewerWindowsThanRequiredNeverSettle() {
        assertThat(settling.settled(List.of())).isFalse();
        assertThat(settling.settled(List.of(100_000.0, 100_000.0))).isFalse();
    }

    @Test
    void aRateStillClimbingIsNotSettledEvenWhenTwoNeighboursAgree() {
        // 93k, 106k, 125k, 129k: the climb of an earlier run, whose last two windows are within 3 %
        assertThat(settling.settled(List.of(93_125.0, 106_801.0, 125_898.0, 129_246.0))).isFalse();
    }

    @Test
    void theLastWindowsWithinTheToleranceSettleWhateverCameBefore() {
        assertThat(settling.settled(List.of(60_000.0, 120_000.0, 121_000.0, 119_500.0))).isTrue();
        assertThat(settling.settled(List.of(120_000.0, 121_000.0, 123_700.0)))
                .as("123,700 is 3.1 %% above 120,000").isFalse();
    }

    @Test
    void aWindowWithoutAnswersNeverCountsAsSettled() {
        assertThat(settling.settled(List.of(0.0, 0.0, 0.0))).isFalse();
        assertThat(settling.settled(List.of(Double.NaN, Double.NaN, Double.NaN))).isFalse();
    }

    @Test
    void nonsenseBoundsAreRefused() {
        assertThatThrownBy(() -> new Settling(0.03, 1, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settling(0.03, 3, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
