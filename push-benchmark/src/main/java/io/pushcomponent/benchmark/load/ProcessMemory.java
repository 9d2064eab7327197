package io.pushcomponent.benchmark.load;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Watches this process's memory while a load runs: the largest heap in use right after a garbage collection (the
 * live set plus what the collector left, read from each collection's {@code GcInfo}), the heap after an explicit
 * full collection ({@code System.gc()}: the live set), and the resident set size
 * from {@code /proc/self/status} ({@code VmRSS} now, {@code VmHWM} its peak).
 *
 * <p>Thread-safe. {@link #start()} subscribes to collection notifications, {@link #close()} unsubscribes.
 */
final class ProcessMemory implements AutoCloseable {
    private final AtomicLong maxHeapAfterGc = new AtomicLong();
    private final AtomicLong heapAfterFullGc = new AtomicLong(-1);
    private final AtomicLong collections = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;

    private ProcessMemory() {
    }

    /** Starts watching collections. */
    static ProcessMemory start() {
        ProcessMemory memory = new ProcessMemory();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(memory.listener, null, null);
                memory.emitters.add(emitter);
            }
        }
        return memory;
    }

    private void onNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (isHeapPool(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        collections.incrementAndGet();
        maxHeapAfterGc.accumulateAndGet(used, Math::max);
        if ("System.gc()".equals(info.getGcCause())) {
            heapAfterFullGc.set(used);
        }
    }

    private static boolean isHeapPool(String name) {
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals(name)) {
                return pool.getType() == java.lang.management.MemoryType.HEAP;
            }
        }
        return false;
    }

    /** The largest heap in use after any collection seen since {@link #start()}; 0 when none ran. */
    long maxHeapAfterGcBytes() {
        return maxHeapAfterGc.get();
    }

    /** Heap in use after the last {@code System.gc()} seen since {@link #start()}: the live set; -1 when none ran. */
    long heapAfterFullGcBytes() {
        return heapAfterFullGc.get();
    }

    /** Collections seen since {@link #start()}. */
    long collections() {
        return collections.get();
    }

    /** Heap in use right now (live objects and garbage not yet collected). */
    static long heapUsedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The process's resident set size ({@code VmRSS}), or -1 where {@code /proc} is not available. */
    static long residentBytes() {
        return procStatusBytes("VmRSS:");
    }

    /** The process's peak resident set size ({@code VmHWM}), or -1 where {@code /proc} is not available. */
    static long peakResidentBytes() {
        return procStatusBytes("VmHWM:");
    }

    private static long procStatusBytes(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // Already removed: nothing to undo.
            }
        }
        emitters.clear();
    }
}
