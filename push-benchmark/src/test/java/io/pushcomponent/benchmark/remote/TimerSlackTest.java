package io.pushcomponent.benchmark.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The generator's sender gets a 1 µs timer slack for its own thread only (Linux). */
class TimerSlackTest {
    private static String slackOf(String tid) throws Exception {
        return Files.readString(Path.of("/proc", tid, "timerslack_ns"), StandardCharsets.US_ASCII).trim();
    }

    @Test
    void theCallingThreadsTimerSlackBecomesOneMicrosecondAndNoOtherThreadsChanges() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/thread-self")), "Linux only");
        String[] result = new String[3];
        Thread sender = new Thread(() -> {
            try {
                String tid = Path.of("/proc/thread-self").toRealPath().getFileName().toString();
                result[0] = String.valueOf(TimerSlack.tighten());
                result[1] = slackOf(tid);
            } catch (Exception e) {
                result[0] = e.toString();
            }
        });
        String mine = Path.of("/proc/thread-self").toRealPath().getFileName().toString();
        String before = slackOf(mine);
        sender.start();
        sender.join(10_000);

        assertThat(result[0]).as("tightened").isEqualTo("true");
        assertThat(result[1]).as("the sender's slack, in ns").isEqualTo("1000");
        assertThat(slackOf(mine)).as("another thread's slack is untouched").isEqualTo(before);
    }
}
