package io.pushcomponent.component.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The only writer of one connection's socket, on a thread of its own: every other thread hands it text with
 * {@link #offer}, which never blocks, and this thread writes it in order. It flushes when its queue runs empty, so
 * replies that complete close together leave in one TCP write. The one exception is the connection's reader thread:
 * after handling a stanza itself it writes the replies that stanza produced ({@link #hold()}, {@link #writeHeld()})
 * when the writer thread is idle, so that a lone request costs no second thread's wake-up. The two never write at
 * once, and order is kept: both write from the one queue, under one lock.
 *
 * <p>The queue is bounded ({@code capacity} entries). A full queue refuses the offer and the caller decides what is
 * lost; the connection sizes it from its in-flight limit, so that in normal operation it never fills (see
 * {@link ComponentConnection}). When a write fails, or the writer is {@linkplain #abort() aborted}, the entries not
 * yet written are told so ({@link Outgoing#notWritten()}: a reply may then go out on another connection) and later
 * offers are refused.
 *
 * <p><b>Lifecycle:</b> {@link #start()} once; {@link #finish()} writes what is queued, then {@code </stream:stream>},
 * and half-closes the socket; {@link #abort()} drops the socket at once. <b>Thread-safety:</b> thread-safe.
 */
final class StanzaWriter {
    /** One queued piece of text and what to do once it is written (or known to be unsent). */
    interface Outgoing {
        /** The text to write. */
        String xml();

        /**
         * Appends the text to write to {@code out}, the writer's buffer, which it reuses for every entry; an
         * entry that can build its text there need not build a string of it.
         */
        default void appendTo(StringBuilder out) {
            out.append(xml());
        }

        /** Called on the thread that wrote the text (see {@link StanzaWriter}), once it went to the socket. */
        void written();

        /** Called once when the text will not be written here (the stream broke or closed first). */
        void notWritten();
    }

    private static final String CLOSE_STREAM = "</stream:stream>";
    /** A reply buffer that grew beyond this for a large entry is dropped after writing it. */
    private static final int KEEP_BUFFER = 64 * 1024;
    /** The most entries {@link #writeHeld()} writes on its caller's thread before it leaves the rest to the writer. */
    private static final int MAX_HELD = 64;

    private final Writer out;
    private final Runnable shutdownOutput;
    private final Runnable closeSocket;
    private final int capacity;
    private final Queue<Outgoing> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger depth = new AtomicInteger();
    private final AtomicBoolean parked = new AtomicBoolean();
    /** Held by whichever thread writes to the socket: the writer thread, or a caller of {@link #writeHeld()}. */
    private final ReentrantLock output = new ReentrantLock();
    private final Thread thread;
    /** The thread whose offers wake no writer until it calls {@link #writeHeld()}; {@code null} when none. */
    private volatile Thread holding;
    private volatile boolean finishing;
    private volatile boolean dead;
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile IOException failure;
    /** Where each entry's text is built and copied from; only while {@link #output} is held. */
    private StringBuilder text = new StringBuilder(1024);
    private char[] chars = new char[1024];

    /**
     * A writer, not yet started.
     *
     * @param name           the thread's name
     * @param out            the socket's output stream
     * @param shutdownOutput half-closes the socket once {@code </stream:stream>} is written
     * @param closeSocket    drops the socket (after a failed write, or on {@link #abort()})
     * @param capacity       the most entries queued at a time
     */
    StanzaWriter(String name, OutputStream out, Runnable shutdownOutput, Runnable closeSocket, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 16 * 1024);
        this.shutdownOutput = Objects.requireNonNull(shutdownOutput, "shutdownOutput");
        this.closeSocket = Objects.requireNonNull(closeSocket, "closeSocket");
        this.capacity = capacity;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Starts the writer thread. */
    void start() {
        thread.start();
    }

    /**
     * Queues {@code item}; never blocks.
     *
     * @return {@code false} when it is refused: the queue is full, or the stream is closing or broken; the caller
     *         still owns the item
     */
    boolean offer(Outgoing item) {
        if (finishing || dead) {
            return false;
        }
        if (depth.incrementAndGet() > capacity) {
            depth.decrementAndGet();
            return false;
        }
        queue.add(item);
        if (dead) {
            drainUnsent();
        }
        if (Thread.currentThread() != holding) {
            wake();
        }
        return true;
    }

    /**
     * Until {@link #writeHeld()}, what the calling thread offers wakes no writer thread. The connection's reader
     * thread calls it before it handles a stanza itself, so that the replies that complete during the handling wait
     * for {@link #writeHeld()} rather than each waking the writer thread.
     */
    void hold() {
        holding = Thread.currentThread();
    }

    /**
     * Ends {@link #hold()}. When the writer thread is parked, the calling thread writes what is queued itself (at
     * most {@value #MAX_HELD} entries, then a flush), which spares the writer thread's wake-up and its sleep after;
     * otherwise, and for what it left, it wakes the writer thread. Only the connection's own reader thread calls
     * it: it may block on the socket, and a reader blocked on a server that does not read its replies stops reading
     * that server's requests, which is TCP back-pressure. No other thread ever blocks here.
     */
    void writeHeld() {
        holding = null;
        if (queue.isEmpty()) {
            return;
        }
        if (parked.get() && output.tryLock()) {
            try {
                drain(MAX_HELD);
            } catch (IOException e) {
                failed(e);
            } finally {
                output.unlock();
            }
            if (queue.isEmpty() && !dead) {
                return;
            }
        }
        wake();
    }

    /** Queues text that needs no notice (stream header, handshake, keep-alive, ping, stream error). */
    boolean offer(String xml) {
        return offer(new Text(xml));
    }

    /** Entries queued and not yet written. */
    int depth() {
        return depth.get();
    }

    /** {@code System.nanoTime()} of the last write that returned (a stuck socket blocks the write). */
    long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** Why a write failed; {@code null} while none did. */
    IOException failure() {
        return failure;
    }

    /** {@code true} once {@link #finish()} was called. */
    boolean isFinishing() {
        return finishing;
    }

    /** {@code true} until a write failed or the writer was aborted or finished. */
    boolean isOpen() {
        return !dead && !finishing;
    }

    /**
     * Writes what is queued, then {@code </stream:stream>}, and half-closes the socket; later offers are refused.
     * Returns at once; {@link #awaitFinished} waits for it. Idempotent.
     */
    void finish() {
        finishing = true;
        wake();
    }

    /**
     * Waits until the writer thread has ended.
     *
     * @return {@code true} when it ended within {@code timeoutNanos}
     */
    boolean awaitFinished(long timeoutNanos) throws InterruptedException {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
        return !thread.isAlive();
    }

    /** Drops the socket now (a blocked write fails with it); what is still queued is told it was not written. */
    void abort() {
        dead = true;
        closeSocket.run();
        wake();
        if (!thread.isAlive()) {
            drainUnsent();
        }
    }

    private void wake() {
        if (parked.get()) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        try {
            while (!dead) {
                if (!queue.isEmpty()) {
                    output.lock();
                    try {
                        drain(Integer.MAX_VALUE);
                    } finally {
                        output.unlock();
                    }
                    continue;
                }
                if (finishing) {
                    output.lock();
                    try {
                        drain(Integer.MAX_VALUE);
                        out.write(CLOSE_STREAM);
                        out.flush();
                        lastWriteNanos = System.nanoTime();
                        dead = true;
                        shutdownOutput.run();
                    } finally {
                        output.unlock();
                    }
                    return;
                }
                parked.set(true);
                if (queue.isEmpty() && !finishing && !dead) {
                    LockSupport.park(this);
                }
                parked.set(false);
            }
        } catch (IOException e) {
            failed(e);
        } finally {
            dead = true;
            drainUnsent();
        }
    }

    /**
     * Writes up to {@code max} queued entries in order, then flushes; the caller holds {@link #output}. An entry
     * whose write fails is told it was not written, and the failure is thrown.
     */
    private void drain(int max) throws IOException {
        int written = 0;
        Outgoing item;
        while (written < max && !dead && (item = queue.poll()) != null) {
            depth.decrementAndGet();
            try {
                write(item);
            } catch (IOException e) {
                item.notWritten();
                throw e;
            }
            lastWriteNanos = System.nanoTime();
            written++;
            item.written();
        }
        if (written > 0) {
            out.flush();
            lastWriteNanos = System.nanoTime();
        }
    }

    private void failed(IOException e) {
        failure = e;
        dead = true;
        closeSocket.run();
    }

    /** Writes an entry's text through the reused buffers, so that writing it builds no string of its own. */
    private void write(Outgoing item) throws IOException {
        text.setLength(0);
        item.appendTo(text);
        int n = text.length();
        if (chars.length < n) {
            chars = new char[Math.max(n, 2 * chars.length)];
        }
        text.getChars(0, n, chars, 0);
        out.write(chars, 0, n);
        if (chars.length > KEEP_BUFFER) {
            text = new StringBuilder(1024);
            chars = new char[1024];
        }
    }

    private void drainUnsent() {
        List<Outgoing> left = new ArrayList<>();
        Outgoing item;
        while ((item = queue.poll()) != null) {
            depth.decrementAndGet();
            left.add(item);
        }
        left.forEach(Outgoing::notWritten);
    }

    private record Text(String xml) implements Outgoing {
        @Override
        public void written() {
            // nothing waits for control text
        }

        @Override
        public void notWritten() {
            // control text belongs to this stream alone; it is never sent elsewhere
        }
    }
}
