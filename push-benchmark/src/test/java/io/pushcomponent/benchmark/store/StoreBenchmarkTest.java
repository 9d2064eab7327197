package io.pushcomponent.benchmark.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small run of {@link StoreBenchmark}: the phases run end to end and the table reports them (no timing checks). */
class StoreBenchmarkTest {
    @TempDir
    Path workDirectory;

    @Test
    void aSmallRunMeasuresEveryPhaseOfEveryStore() {
        String postgresUrl = System.getenv(StoreBenchmark.POSTGRES_URL_VARIABLE);
        StoreBenchmark.Settings settings = new StoreBenchmark.Settings(12_000, 2, 300, 2_000, Duration.ofMinutes(5),
                workDirectory, postgresUrl);

        List<StoreBenchmark.Result> results = StoreBenchmark.run(settings);

        assertThat(results).as("H2 always, PostgreSQL when its URL is set")
                .hasSize(postgresUrl == null || postgresUrl.isBlank() ? 1 : 2);
        for (StoreBenchmark.Result result : results) {
            assertThat(result.rows()).as("loaded rows plus the registrations of both register phases")
                    .isEqualTo(12_000 + 2 * 300);
            assertThat(result.lookups()).as("every lookup was timed").isEqualTo(2_000);
            assertThat(result.findP50()).as("percentiles are ordered")
                    .isLessThanOrEqualTo(result.findP99());
            assertThat(result.findP99()).as("percentiles are ordered").isLessThanOrEqualTo(result.findP999());
            assertThat(result.heapUsedBytes()).as("heap was measured").isPositive();
        }
        assertThat(results.get(0).registerFsyncPerSecond()).as("H2's register rate with fsync was measured")
                .isPositive();
        assertThat(StoreBenchmark.markdownTable(results)).as("one table row per store")
                .contains("| H2 embedded (file) | 12,600 |");
        assertThat(workDirectory).as("the H2 database is deleted after the run").isEmptyDirectory();
    }

    @Test
    void loadingStopsWhenItsBudgetRunsOutAndTheTableSaysSo() {
        StoreBenchmark.Settings settings = new StoreBenchmark.Settings(12_000, 2, 100, 500, Duration.ZERO,
                workDirectory, null);

        List<StoreBenchmark.Result> results = StoreBenchmark.run(settings);

        assertThat(results.get(0).rows()).as("with no time to load, only the register phases' rows are stored")
                .isEqualTo(200);
        assertThat(StoreBenchmark.markdownTable(results)).as("a short load is visible in the table")
                .contains("| 200 of 12,200 (load budget ran out) |");
    }
}
