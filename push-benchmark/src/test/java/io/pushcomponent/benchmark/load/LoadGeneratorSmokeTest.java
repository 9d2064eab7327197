package io.pushcomponent.benchmark.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A one-second run of the whole load path: FakeXmppServer, the real component, H2 and the fake provider. */
@Timeout(120)
class LoadGeneratorSmokeTest {
    @TempDir
    Path dir;

    @Test
    void everyPublishOfAShortFixedRateRunIsAnsweredAndDelivered() throws Exception {
        LoadGenerator.Result r = LoadGenerator.run(new LoadGenerator.Settings(2, 100, 500, 10_000,
                Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMillis(500), dir, null));

        assertThat(r.errors()).as("the captured publish to a registered node is never an error: %s", r.firstError())
                .isZero();
        assertThat(r.unanswered()).as("every publish gets its answer within the drain time").isZero();
        assertThat(r.providerSends()).as("every publish reaches the provider").isEqualTo(r.sent());
        assertThat(r.latencies().getTotalCount()).as("each publish due in the window is timed")
                .isEqualTo(r.measuredSent());
        assertThat(r.heapAfterFullGcBytes()).as("the forced full collection is seen").isPositive();
    }
}
