package io.pushcomponent.benchmark.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/**
 * The cold rows' order of publishes: every registration once before any twice, and publishes in a row to
 * registrations stored far apart (they are stored in index order), so that no look-up finds the pages the one
 * before it read.
 */
class ColdSpreadTest {
    private static final int[] ROWS = {1, 2, 7, 1000, 999_999, 1_000_000, 1_000_003};

    @Test
    void everyRegistrationComesOnceBeforeAnyComesTwice() {
        for (int rows : ROWS) {
            long stride = ComponentBenchmarks.stride(rows);
            BitSet seen = new BitSet(rows);
            for (long k = 0; k < rows; k++) {
                seen.set((int) (k * stride % rows));
            }
            assertThat(seen.cardinality()).as("registrations published in the first %,d publishes", rows)
                    .isEqualTo(rows);
        }
    }

    @Test
    void publishesInARowGoToRegistrationsStoredFarApart() {
        for (int rows : new int[] {1000, 999_999, 1_000_000, 1_000_003}) {
            long stride = ComponentBenchmarks.stride(rows);
            for (int apart = 1; apart <= 2; apart++) {
                long step = apart * stride % rows;
                assertThat(Math.min(step, rows - step))
                        .as("rows between publishes %d apart, of %,d stored", apart, rows)
                        .isGreaterThanOrEqualTo(rows / 5);
            }
        }
    }
}
