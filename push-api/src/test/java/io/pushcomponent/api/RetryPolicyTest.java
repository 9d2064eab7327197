package io.pushcomponent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one retry rule: capped exponential back-off with equal jitter, honouring a server-given delay. */
class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(2), 3);

    @Test
    void retryNWaitsBetweenHalfAndAllOfTheDoubledDelayUpToTheCap() {
        for (int i = 0; i < 200; i++) {
            assertThat(policy.delay(0)).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
            assertThat(policy.delay(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(policy.delay(2)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
            assertThat(policy.delay(3)).as("capped").isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
            assertThat(policy.delay(Integer.MAX_VALUE)).as("no overflow however many retries")
                    .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        }
    }

    @Test
    void theDelaysAreSpreadSoThatRetriesOfABurstDoNotAlign() {
        assertThat(java.util.stream.IntStream.range(0, 100).mapToObj(i -> policy.delay(2)).distinct().count())
                .isGreaterThan(50);
    }

    @Test
    void aServerGivenDelayIsUsedAsItIsUpToTheCapAndPassedOnBeyondIt() {
        assertThat(policy.nextDelay(0, Duration.ofSeconds(1))).contains(Duration.ofSeconds(1));
        assertThat(policy.nextDelay(0, Duration.ofSeconds(2))).contains(Duration.ofSeconds(2));
        assertThat(policy.nextDelay(0, Duration.ofSeconds(3))).as("longer than maxDelay: the caller passes it on")
                .isEmpty();
    }

    @Test
    void noRetryIsLeftAfterMaxRetries() {
        assertThat(policy.nextDelay(2, null)).isPresent();
        assertThat(policy.nextDelay(3, null)).isEqualTo(Optional.empty());
        assertThat(policy.nextDelay(3, Duration.ZERO)).isEmpty();
        assertThat(RetryPolicy.unlimited(Duration.ofSeconds(1), Duration.ofSeconds(30)).nextDelay(1_000_000, null))
                .isPresent();
    }

    @Test
    void zeroInitialDelayRetriesAtOnce() {
        assertThat(new RetryPolicy(Duration.ZERO, Duration.ZERO, 2).delay(5)).isZero();
    }

    @Test
    void inconsistentSettingsAreRefused() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialDelay <= maxDelay");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(-1), Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ZERO, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy.delay(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
