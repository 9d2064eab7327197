package io.pushcomponent.component.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that parse framed stanzas, one per processor, shared by the connections of one component: more
 * parser threads than cores would only add hand-offs. Its queue is bounded in practice by each connection's
 * in-flight limit (a stanza is counted before it is queued). Threads end when the last connection using the pool
 * releases it.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class ParserPool {
    private final ExecutorService executor;
    private final AtomicInteger users = new AtomicInteger();

    /** A pool whose threads are named {@code push-<name>-<n>}. */
    ParserPool(String name) {
        int n = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(n, n, 0, TimeUnit.NANOSECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "push-" + name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Counts one more connection that uses the pool. */
    ParserPool use() {
        users.incrementAndGet();
        return this;
    }

    /** Runs {@code task} on a parser thread. */
    void execute(Runnable task) {
        executor.execute(task);
    }

    /** A connection no longer uses the pool; the last one to release it ends its threads once they are idle. */
    void release() {
        if (users.decrementAndGet() == 0) {
            executor.shutdown();
        }
    }
}
