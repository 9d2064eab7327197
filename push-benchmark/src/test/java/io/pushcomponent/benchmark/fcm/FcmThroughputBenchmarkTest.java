package io.pushcomponent.benchmark.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A tiny run, so that the benchmark keeps working; the figures themselves are not judged here. */
class FcmThroughputBenchmarkTest {

    @Test
    void aShortRunReportsFiguresForBothSides() throws Exception {
        FcmThroughputBenchmark.Figures figures = FcmThroughputBenchmark.run(4, Duration.ofMillis(200), 2);

        assertThat(figures.providerSendsPerSec()).as("provider sends were delivered and counted").isPositive();
        assertThat(figures.bareSendsPerSec()).isPositive();
        assertThat(figures.ratio()).isBetween(figures.minRatio(), figures.maxRatio());
        assertThat(figures.toMarkdown()).contains("| FCM provider | 4 | 2 × 200 ms |").contains("| bare OkHttp loop |");
    }
}
