package io.pushcomponent.component.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Test
    void readingWaitsAtTheLimitAndGoesOnWhenAStanzaIsAnswered() throws Exception {
        InFlightLimit limit = new InFlightLimit(2, 2);
        limit.acquire();
        assertThat(limit.awaitRoom(() -> false, WAIT_NANOS)).isTrue();
        limit.acquire();
        CompletableFuture<Boolean> room = CompletableFuture.supplyAsync(() -> {
            try {
                return limit.awaitRoom(() -> false, TimeUnit.MILLISECONDS.toNanos(50));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(room).as("at the limit the reader waits").isNotDone();
        limit.release();
        assertThat(room.get(10, TimeUnit.SECONDS)).as("one answer makes room").isTrue();
    }

    @Test
    void waitingForRoomGivesUpWhenTheStreamEnds() throws Exception {
        InFlightLimit limit = new InFlightLimit(1, 1);
        limit.acquire();
        assertThat(limit.awaitRoom(() -> true, TimeUnit.MILLISECONDS.toNanos(10))).isFalse();
    }

    @Test
    void requestsBeyondWhatMayWaitForTheHandlerAreShed() {
        InFlightLimit limit = new InFlightLimit(10, 2);
        assertThat(limit.tryStartHandling()).isTrue();
        assertThat(limit.tryStartHandling()).isTrue();
        assertThat(limit.tryStartHandling()).as("the third waiting stanza is over shedAt").isFalse();
        assertThat(limit.handling()).isEqualTo(2);
        limit.handled();
        assertThat(limit.tryStartHandling()).as("answers resume as soon as one completes").isTrue();
    }

    @Test
    void theDefaultShedsBeforeTheReaderStops() {
        InFlightLimit limit = InFlightLimit.of(4096);
        assertThat(limit.shedAt()).as("a reserve for stanzas being parsed and written").isEqualTo(4096 - 256);
        assertThat(InFlightLimit.of(16).shedAt()).isEqualTo(12);
    }

    @Test
    void moreAnswersThanStanzasIsABug() {
        InFlightLimit limit = new InFlightLimit(1, 1);
        assertThatThrownBy(limit::release).isInstanceOf(IllegalStateException.class);
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void awaitNoneReturnsOnceTheLastIsAnswered() throws Exception {
        InFlightLimit limit = new InFlightLimit(4, 4);
        limit.acquire();
        CompletableFuture.runAsync(limit::release);
        assertThat(limit.awaitNone(WAIT_NANOS)).isTrue();
    }
}
