package io.pushcomponent.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ResultTableTest {

    @Test
    void verdictSaysMetOrByHowMuchATargetIsMissed() {
        ResultTable table = new ResultTable();
        table.atLeast("component", "publishes/s", 50_000, 62_000, "/s", null);
        table.atLeast("component", "publishes/s again", 50_000, 40_000, "/s", null);
        table.below("component", "p99", 2, 1.5, "ms", "p50 0.3 ms");
        table.below("component", "p99 again", 2, 3, "ms", null);
        table.atLeast("providers", "provider / bare", 90, 85.5, "%", null);
        table.check("component", "no crash", "alive", false, "ended");
        table.annotate(5, "load average 1.0 before the section, 2.0 after");

        String md = table.markdown("test machine", Instant.EPOCH, Instant.EPOCH.plusSeconds(5));

        assertThat(md).as("a met lower bound").contains("| publishes/s | ≥ 50,000 /s | 62,000 /s | met |");
        assertThat(md).as("a missed lower bound says by how much")
                .contains("| 40,000 /s | missed by 10,000 /s (20%) |");
        assertThat(md).as("a met upper bound keeps its detail").contains("| < 2.00 ms | 1.50 ms (p50 0.3 ms) | met |");
        assertThat(md).as("a missed upper bound says by how much").contains("missed by 1.00 ms (50% over)");
        assertThat(md).as("a missed ratio is missed by percentage points").contains("missed by 4.50 percentage points");
        assertThat(md).as("a yes/no target").contains("| no crash | alive | ended [load average 1.0 before the section, "
                + "2.0 after] | missed |");
        assertThat(md).as("only the rows from the annotated one on carry the note")
                .contains("85.5 % | missed by 4.50 percentage points |");
        assertThat(md).as("the machine is named under the table").contains("Machine: test machine");
    }
}
