package io.pushcomponent.benchmark.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LocalProcessesTest {
    @Test
    void theCpuOfTheProcessesOfOneNameGrowsWhileOneOfThemWorks() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux /proc");
        String name = ProcessHandle.current().info().command().map(c -> Path.of(c).getFileName().toString())
                .orElse("java");
        long before = LocalProcesses.cpuNanos(name);
        long spin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        long sum = 0;
        while (System.nanoTime() < spin) {
            sum += Long.numberOfTrailingZeros(System.nanoTime());
        }
        long after = LocalProcesses.cpuNanos(name);

        assertThat(before).as("this JVM is a process named %s", name).isPositive();
        assertThat(after - before).as("300 ms of spinning (%d) is counted, in 10 ms ticks", sum)
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void aNameNoProcessHasIsReportedAsNothingFound() {
        assertThat(LocalProcesses.cpuNanos("no-such-process-name")).isEqualTo(-1);
    }
}
