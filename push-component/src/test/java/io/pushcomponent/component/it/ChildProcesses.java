package io.pushcomponent.component.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** What the test servers run as child processes ({@link ProsodyProcess}, {@link EjabberdProcess}) share. */
final class ChildProcesses {
    private ChildProcesses() {
    }

    /**
     * Copies each line {@code process} prints into {@code log} and hands it to {@code line}, on a daemon thread
     * named {@code name}, until the process closes its output; then runs {@code ended}.
     */
    static void pumpLines(Process process, Path log, String name, Consumer<String> line, Runnable ended) {
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String next;
                while ((next = in.readLine()) != null) {
                    file.write(next + "\n");
                    file.flush();
                    line.accept(next);
                }
            } catch (IOException e) {
                // the process has exited and closed its output; everything it wrote is in the log file
            }
            ended.run();
        }, name);
        pump.setDaemon(true);
        pump.start();
    }

    /** Stops {@code process}: SIGTERM, then a kill after 10 s. Nothing to do when it is absent or has exited. */
    static void stop(Process process) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
