package io.pushcomponent.benchmark.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A tiny run, so that the benchmark keeps working; the figures themselves are not judged here. */
class FcmThroughputBenchmarkTest {

    @Test
    void aSmallRunReportsFiguresForBothSides() throws Exception {
        FcmThroughputBenchmark.Figures figures = FcmThroughputBenchmark.run(4, 200, 2);

        assertThat(figures.providerSendsPerSec()).as("every provider send was delivered and timed").isPositive();
        assertThat(figures.bareSendsPerSec()).isPositive();
        assertThat(figures.ratio()).isPositive();
        assertThat(figures.toMarkdown()).contains("| FCM provider | 4 | 200 | 2 |").contains("| bare OkHttp loop |");
    }
}
