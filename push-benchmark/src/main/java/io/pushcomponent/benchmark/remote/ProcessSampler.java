package io.pushcomponent.benchmark.remote;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the component process's {@code /proc/<pid>/status} every 200 ms (one read per sample) while it runs: the
 * most threads and the largest resident set seen; {@link #close()} stops it and reads the peak ({@code VmHWM}) once
 * more.
 *
 * <p>A sample costs the generator's JVM about half a millisecond of a core (the read and the parse, hardly compiled
 * at five a second), on the machine the component shares: {@link #stop()} it before a phase whose latencies are
 * measured, as the floor's phases are measured without one.
 *
 * <p>Thread-safe.
 */
final class ProcessSampler implements AutoCloseable {
    private static final long PERIOD_MILLIS = 200;

    private final ComponentProcess process;
    private final AtomicLong maxThreads = new AtomicLong(-1);
    private final AtomicLong maxRssKb = new AtomicLong(-1);
    private final AtomicLong peakRssKb = new AtomicLong(-1);
    private final Thread thread;

    private ProcessSampler(ComponentProcess process) {
        this.process = process;
        this.thread = new Thread(this::loop, "component-sampler");
        thread.setDaemon(true);
    }

    static ProcessSampler start(ComponentProcess process) {
        ProcessSampler sampler = new ProcessSampler(process);
        sampler.thread.start();
        return sampler;
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted() && process.isAlive()) {
            sample();
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        long[] status = process.status("Threads", "VmRSS", "VmHWM");
        maxThreads.accumulateAndGet(status[0], Math::max);
        maxRssKb.accumulateAndGet(status[1], Math::max);
        peakRssKb.accumulateAndGet(status[2], Math::max);
    }

    /** The most threads the component had at one time. */
    long maxThreads() {
        return maxThreads.get();
    }

    /** The component's peak resident set size ({@code VmHWM}) in bytes. */
    long peakRssBytes() {
        return peakRssKb.get() * 1024;
    }

    /** The largest {@code VmRSS} sampled, in bytes. */
    long maxRssBytes() {
        return maxRssKb.get() * 1024;
    }

    /**
     * Stops the sampling; the figures so far stay, and {@link #close()} still reads the peak ({@code VmHWM}, which
     * the kernel keeps) once more.
     */
    void stop() {
        thread.interrupt();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        if (process.isAlive()) {
            sample();
        }
    }
}
