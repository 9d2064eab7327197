package io.pushcomponent.component.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Test
    void readingWaitsAtTheLimitAndGoesOnWhenAStanzaIsAnswered() throws Exception {
        InFlightLimit limit = new InFlightLimit(2, 2, 2);
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
        InFlightLimit limit = new InFlightLimit(1, 1, 1);
        limit.acquire();
        assertThat(limit.awaitRoom(() -> true, TimeUnit.MILLISECONDS.toNanos(10))).isFalse();
    }

    @Test
    void requestsBeyondWhatMayWaitForTheHandlerAreShed() {
        InFlightLimit limit = new InFlightLimit(10, 2, 10);
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
    void theDefaultStopsReadingWhenItsReserveWaitsForCpu() {
        InFlightLimit limit = InFlightLimit.of(4096);
        assertThat(limit.cpuMax()).as("stanzas read ahead of the CPU are bounded by the reserve").isEqualTo(256);
        assertThat(InFlightLimit.of(16).cpuMax()).isEqualTo(4);
    }

    @Test
    void readingPausesWhileCpuMaxWaitForCpuAndGoesOnAtHalf() throws Exception {
        InFlightLimit limit = new InFlightLimit(100, 90, 4);
        for (int i = 0; i < 3; i++) {
            limit.acquire();
        }
        assertThat(limit.awaitRoom(() -> true, 1)).as("3 of 4 wait for CPU: room").isTrue();
        limit.acquire();
        assertThat(limit.awaitRoom(() -> true, 1))
                .as("4 wait for CPU, far below max in flight: no room all the same").isFalse();
        CompletableFuture<Boolean> room = pausedReader(limit);
        limit.release();
        assertThatThrownBy(() -> room.get(200, TimeUnit.MILLISECONDS))
                .as("3 still wait: a paused reader goes on only at half the CPU reserve")
                .isInstanceOf(TimeoutException.class);
        limit.release();
        assertThat(room.get(10, TimeUnit.SECONDS)).as("2 wait: half, so reading goes on").isTrue();
    }

    @Test
    void stanzasWaitingForTheHandlerDoNotCountAgainstTheCpuReserve() throws Exception {
        InFlightLimit limit = new InFlightLimit(100, 90, 4);
        for (int i = 0; i < 4; i++) {
            limit.acquire();
        }
        CompletableFuture<Boolean> room = pausedReader(limit);
        assertThat(limit.tryStartHandling()).isTrue();
        limit.startHandling();
        assertThat(room.get(10, TimeUnit.SECONDS))
                .as("two now wait for a provider, not for CPU: the reader is woken without any answer").isTrue();
        for (int i = 0; i < 50; i++) {
            limit.acquire();
            assertThat(limit.tryStartHandling()).isTrue();
        }
        assertThat(limit.awaitRoom(() -> true, 1))
                .as("52 waiting for the handler leave the CPU reserve untouched").isTrue();
    }

    /** A reader waiting for room, returned once it waits. */
    private static CompletableFuture<Boolean> pausedReader(InFlightLimit limit) throws Exception {
        CompletableFuture<Boolean> room = CompletableFuture.supplyAsync(() -> {
            try {
                return limit.awaitRoom(() -> false, WAIT_NANOS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!limit.readerWaits()) {
            assertThat(System.nanoTime()).as("the reader starts waiting").isLessThan(deadline);
            Thread.onSpinWait();
        }
        return room;
    }

    @Test
    void moreAnswersThanStanzasIsABug() {
        InFlightLimit limit = new InFlightLimit(1, 1, 1);
        assertThatThrownBy(limit::release).isInstanceOf(IllegalStateException.class);
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void awaitNoneReturnsOnceTheLastIsAnswered() throws Exception {
        InFlightLimit limit = new InFlightLimit(4, 4, 4);
        limit.acquire();
        CompletableFuture.runAsync(limit::release);
        assertThat(limit.awaitNone(WAIT_NANOS)).isTrue();
    }
}
