package io.pushcomponent.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A token bucket per account: a burst of the allowance, then one per 60 s / allowance; accounts are independent. */
class AccountRateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void anAccountGetsItsAllowanceThenOneMorePerIntervalAndOthersAreUntouched() {
        AccountRateLimiter limiter = new AccountRateLimiter(6, 100, now::get);
        for (int i = 0; i < 6; i++) {
            assertThat(limiter.tryAcquire("a")).isTrue();
        }

        assertThat(limiter.tryAcquire("a")).as("the 7th within the minute").isFalse();
        assertThat(limiter.secondsUntilNext("a")).as("one permit per 10 s").isEqualTo(10);
        assertThat(limiter.tryAcquire("b")).as("another account").isTrue();
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        assertThat(limiter.tryAcquire("a")).as("10 s later one more").isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
        assertThat(limiter.refused()).isEqualTo(2);
    }

    @Test
    void zeroSwitchesTheLimitOff() {
        AccountRateLimiter limiter = new AccountRateLimiter(0, 1, now::get);

        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.tryAcquire("a" + i)).isTrue();
        }
        assertThat(limiter.refused()).isZero();
    }

    @Test
    void whenTheTableIsFullNoAccountIsRefusedThatHasNotUsedItsAllowance() {
        AccountRateLimiter limiter = new AccountRateLimiter(2, 3, now::get);
        limiter.tryAcquire("busy");
        limiter.tryAcquire("busy");

        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire("new-" + i)).as("a new account starts with its whole allowance").isTrue();
        }
        assertThat(limiter.refused()).isZero();
    }
}
