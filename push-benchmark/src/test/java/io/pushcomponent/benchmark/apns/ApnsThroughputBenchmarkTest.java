package io.pushcomponent.benchmark.apns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.benchmark.apns.ApnsThroughputBenchmark.Figures;
import io.pushcomponent.benchmark.apns.ApnsThroughputBenchmark.Options;
import org.junit.jupiter.api.Test;

/** The benchmark runs end to end and reports its figures; how fast is for the benchmark itself to say. */
class ApnsThroughputBenchmarkTest {

    @Test
    void aSmallRunMeasuresBothSidesAndPrintsATable() throws Exception {
        Figures figures = ApnsThroughputBenchmark.run(new Options(100, 10, 1, 2, 0));

        assertThat(figures.providerRounds()).as("one figure per measured round").hasSize(2);
        assertThat(figures.pushyRounds()).hasSize(2);
        assertThat(figures.providerPerSecond()).isPositive();
        assertThat(figures.pushyPerSecond()).isPositive();
        assertThat(figures.headToHeadRounds()).hasSize(2);
        assertThat(figures.headToHead()).as("a fraction of two counts of answered notifications").isPositive();
        assertThat(figures.toMarkdown()).contains("| bare pushy 0.15.4 |", "| `apns` provider |", "provider / pushy", "head to head");
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> new Options(0, 1, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Options(1, 1, 1, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
