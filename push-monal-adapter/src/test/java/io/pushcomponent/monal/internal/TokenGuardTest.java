package io.pushcomponent.monal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.monal.internal.TokenGuard.Kind;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** fpush's safeguards, on a clock the test moves. */
class TokenGuardTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private final AtomicLong clock = new AtomicLong(-5 * SECOND);
    private final TokenGuard guard = new TokenGuard(Duration.ofSeconds(20), Duration.ofHours(24), clock::get);

    @Test
    void theFirstPushGoesAtOnceTheNextWithinTheLimitWaitsForItsEndAndFurtherOnesAreDropped() {
        assertThat(guard.admit("m", "t").kind()).isEqualTo(Kind.SEND);
        clock.addAndGet(5 * SECOND);
        TokenGuard.Decision held = guard.admit("m", "t");
        clock.addAndGet(SECOND);
        TokenGuard.Decision dropped = guard.admit("m", "t");

        assertThat(held.kind()).isEqualTo(Kind.DELAY);
        assertThat(held.delayNanos()).as("sent 20 s after the first").isEqualTo(15 * SECOND);
        assertThat(dropped.kind()).isEqualTo(Kind.DROP);
    }

    @Test
    void afterTheHeldBackPushHasGoneTheNextWaitsAFullIntervalAfterIt() {
        guard.admit("m", "t");
        clock.addAndGet(5 * SECOND);
        guard.admit("m", "t");
        clock.addAndGet(20 * SECOND);

        TokenGuard.Decision next = guard.admit("m", "t");

        assertThat(next.kind()).isEqualTo(Kind.DELAY);
        assertThat(next.delayNanos()).isEqualTo(15 * SECOND);
    }

    @Test
    void pushesAtLeastTheLimitApartAllGoAtOnce() {
        for (int i = 0; i < 5; i++) {
            assertThat(guard.admit("m", "t").kind()).isEqualTo(Kind.SEND);
            clock.addAndGet(20 * SECOND);
        }
    }

    @Test
    void tokensAndModulesAreLimitedEachOnTheirOwn() {
        guard.admit("m", "t");

        assertThat(guard.admit("m", "u").kind()).isEqualTo(Kind.SEND);
        assertThat(guard.admit("n", "t").kind()).isEqualTo(Kind.SEND);
    }

    @Test
    void aDeadTokenIsRefusedForTheBlockAndServedAgainAfterIt() {
        guard.deadToken("m", "t");

        assertThat(guard.admit("m", "t").kind()).isEqualTo(Kind.BLOCKED);
        clock.addAndGet(Duration.ofHours(24).toNanos() - 1);
        assertThat(guard.admit("m", "t").kind()).isEqualTo(Kind.BLOCKED);
        clock.addAndGet(1);
        assertThat(guard.admit("m", "t").kind()).as("the rate limit was reset with the block").isEqualTo(Kind.SEND);
    }

    @Test
    void aZeroLimitSendsEveryPush() {
        TokenGuard unlimited = new TokenGuard(Duration.ZERO, Duration.ofHours(24), clock::get);

        assertThat(unlimited.admit("m", "t").kind()).isEqualTo(Kind.SEND);
        assertThat(unlimited.admit("m", "t").kind()).isEqualTo(Kind.SEND);
    }

    /** State is kept only for tokens within their interval or block, so memory stays bounded by recent traffic. */
    @Test
    void tokensWhoseTimeIsOverAreSweptAway() {
        for (int i = 0; i < 10_000; i++) {
            guard.admit("m", "token-" + i);
        }
        clock.addAndGet(21 * SECOND);
        for (int i = 0; i < 10_000; i++) {
            guard.admit("m", "fresh-" + i);
        }

        assertThat(guard.size()).isLessThan(20_000);
    }
}
