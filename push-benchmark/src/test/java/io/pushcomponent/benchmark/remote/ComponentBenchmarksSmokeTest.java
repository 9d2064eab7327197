package io.pushcomponent.benchmark.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the hot rows against the real shaded jar, started by the shipped launcher in a JVM of its own (the
 * reactor packages push-component before this module's tests run).
 */
@Timeout(180)
class ComponentBenchmarksSmokeTest {
    @TempDir
    Path dir;

    @Test
    void everyPublishIsAnsweredByTheComponentInItsOwnJvmAndItIsStoppedAfterwards() throws Exception {
        List<String> progress = new ArrayList<>();
        ComponentBenchmarks.Hot hot = ComponentBenchmarks.hot(new ComponentBenchmarks.Timing(true), dir,
                progress::add);

        for (ComponentBenchmarks.Figures f : List.of(hot.oneMax(), hot.one30k(), hot.one10k(), hot.floor30k(),
                hot.floor10k(), hot.fourMax())) {
            assertThat(f.errors()).as("%s: the captured publish to a registered node is never an error", f)
                    .isZero();
            assertThat(f.unanswered()).as("%s: every publish is answered", f).isZero();
            assertThat(f.sent()).as("%s: publishes went out", f).isPositive();
            assertThat(f.latencies().getTotalCount()).as("%s: every measured publish is timed", f)
                    .isEqualTo(f.measuredSent());
        }
        assertThat(hot.one().alive()).as("the component ran to the end").isTrue();
        assertThat(hot.one().maxThreads()).as("its /proc status was read").isPositive();
        assertThat(hot.one().peakRssBytes()).isPositive();
        assertThat(hot.one().otherStanzas()).as("nothing but answers: %s", hot.one().firstOther()).isZero();
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive))
                .as("no component process outlives its run").isEmpty();
    }
}
