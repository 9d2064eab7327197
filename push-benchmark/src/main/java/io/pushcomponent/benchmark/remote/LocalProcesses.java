package io.pushcomponent.benchmark.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time of this machine's processes of one name, from {@code /proc}: what a PostgreSQL server running beside the
 * suite (its backends, WAL writer, checkpointer, autovacuum) spends on a run. Linux only; elsewhere nothing is found.
 *
 * <p>Thread-safe (stateless).
 */
final class LocalProcesses {
    /** USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux the suite runs on. */
    private static final long TICK_NANOS = 10_000_000;

    private LocalProcesses() {
    }

    /**
     * User + system CPU time, in nanoseconds, of the processes running now whose {@code comm} is {@code name}; -1
     * when there is none or {@code /proc} cannot be read. Processes that ended since an earlier call are not counted,
     * so a difference of two calls is a lower bound.
     */
    static long cpuNanos(String name) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            long[] total = {0, 0};
            processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                long ticks = ticks(p, name);
                if (ticks >= 0) {
                    total[0] += ticks;
                    total[1]++;
                }
            });
            return total[1] == 0 ? -1 : total[0] * TICK_NANOS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of process {@code dir} when its {@code comm} is {@code name}; -1 otherwise. */
    private static long ticks(Path dir, String name) {
        try {
            String stat = Files.readString(dir.resolve("stat"));
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            if (open < 0 || close < open || !stat.substring(open + 1, close).equals(name)) {
                return -1;
            }
            String[] fields = stat.substring(close + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
