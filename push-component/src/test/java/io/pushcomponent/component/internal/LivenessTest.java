package io.pushcomponent.component.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.component.internal.Liveness.Action;
import org.junit.jupiter.api.Test;

class LivenessTest {
    private static final long IDLE = 30_000;
    private static final long TIMEOUT = 10_000;

    @Test
    void aStreamWithTrafficBothWaysNeedsNothing() {
        Liveness l = new Liveness(IDLE, TIMEOUT, 0);
        l.inbound(20_000);
        assertThat(l.tick(40_000, 39_000)).isEqualTo(Action.NONE);
    }

    @Test
    void silenceFromTheServerIsCheckedWithAPingAndAnAnswerClearsIt() {
        Liveness l = new Liveness(IDLE, TIMEOUT, 0);
        assertThat(l.tick(30_000, 30_000)).as("XEP-0199: nothing heard for the idle time: ping").isEqualTo(Action.PING);
        assertThat(l.tick(35_000, 30_000)).as("one ping at a time").isEqualTo(Action.NONE);
        l.inbound(36_000);
        assertThat(l.tick(39_999, 39_999)).as("the answer (anything read) clears the ping").isEqualTo(Action.NONE);
        assertThat(l.tick(66_000, 66_000)).isEqualTo(Action.PING);
    }

    @Test
    void aPingWithoutAnyAnswerWithinTheTimeoutMeansTheServerIsDead() {
        Liveness l = new Liveness(IDLE, TIMEOUT, 0);
        assertThat(l.tick(30_000, 0)).isEqualTo(Action.PING);
        assertThat(l.tick(39_999, 30_000)).isEqualTo(Action.NONE);
        assertThat(l.tick(40_000, 30_000)).as("TCP may be open, but the server stopped answering")
                .isEqualTo(Action.DEAD);
    }

    @Test
    void aServerThatTalksButHearsNothingFromUsGetsAWhitespaceKeepAlive() {
        Liveness l = new Liveness(IDLE, TIMEOUT, 0);
        l.inbound(29_000);
        assertThat(l.tick(31_000, 1_000)).isEqualTo(Action.KEEP_ALIVE);
    }
}
