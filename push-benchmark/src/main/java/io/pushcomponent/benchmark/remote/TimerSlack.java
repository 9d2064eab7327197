package io.pushcomponent.benchmark.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The load generator's sender asks Linux for a timer slack of 1 µs. By default a thread's timed waits may end up to
 * 50 µs late (the kernel groups wake-ups to save power), and at a fixed rate every publish is sent that much after
 * its due time; since latency runs from the due time, the generator's own lateness was counted as the component's.
 * With a tight slack the sender can park until just before each publish is due instead of spinning (which took CPU
 * from the component on a 2-core machine).
 *
 * <p>Linux only ({@code /proc/<tid>/timerslack_ns}, which a thread may write for itself); elsewhere nothing changes.
 */
final class TimerSlack {
    private static final String ONE_MICROSECOND = "1000";

    private TimerSlack() {
    }

    /**
     * Sets the calling thread's timer slack to 1 µs.
     *
     * @return whether it was set
     */
    static boolean tighten() {
        try {
            // /proc/thread-self links to /proc/<pid>/task/<tid>: the calling thread's id is its last name
            String tid = Path.of("/proc/thread-self").toRealPath().getFileName().toString();
            Path slack = Path.of("/proc", tid, "timerslack_ns");
            Files.writeString(slack, ONE_MICROSECOND, StandardCharsets.US_ASCII);
            return ONE_MICROSECOND.equals(Files.readString(slack, StandardCharsets.US_ASCII).trim());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
