package io.pushcomponent.benchmark.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pushcomponent.benchmark.store.StoreBenchmark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the PostgreSQL cold row against the real shaded jar (runs where {@code PUSH_TEST_POSTGRES_URL}
 * names a server, as in CI).
 */
@Timeout(300)
class ColdPostgresSmokeTest {
    @TempDir
    Path dir;

    @Test
    void everyColdPublishIsAnsweredAndTheRowSaysWhatTheServerSpentAndHowItIsConfigured() throws Exception {
        String url = System.getenv(StoreBenchmark.POSTGRES_URL_VARIABLE);
        assumeTrue(url != null && !url.isBlank(), StoreBenchmark.POSTGRES_URL_VARIABLE + " is not set");
        List<String> progress = new ArrayList<>();

        ComponentBenchmarks.Cold cold = ComponentBenchmarks.cold(new ComponentBenchmarks.Timing(true), dir, url,
                "sqlite", 20_000, Duration.ofSeconds(120), progress::add);

        ComponentBenchmarks.Figures f = cold.at10k();
        assertThat(cold.loaded()).as("every registration was stored").isEqualTo(20_000);
        assertThat(f.unanswered()).as("%s: every publish is answered", f).isZero();
        assertThat(f.cancelErrors()).as("%s: a registered node is never a cancel error", f).isZero();
        assertThat(cold.serverSettings()).as("the server's memory and checkpoint settings")
                .contains("shared_buffers ", "max_wal_size ", "checkpoint_timeout ", "registrations with their indexes ");
        if (url.contains("127.0.0.1") || url.contains("localhost")) {
            assertThat(cold.serverCpuMicros()).as("a server on this machine has its CPU counted").isPositive();
        }
        assertThat(cold.process().alive()).as("the component ran to the end").isTrue();
    }
}
