package io.pushcomponent.component.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StanzaWriterTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final List<StanzaWriter> writers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        writers.forEach(StanzaWriter::abort);
    }

    /** A socket's output stream: records each write and flush; a write can be held until released. */
    private static final class RecordingOut extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final List<String> flushed = new ArrayList<>();
        private final List<String> writingThreads = new ArrayList<>();
        private final CountDownLatch firstWrite = new CountDownLatch(1);
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private volatile boolean broken;
        private int lastFlushAt;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            firstWrite.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            if (broken) {
                throw new IOException("connection reset");
            }
            synchronized (this) {
                bytes.write(b, off, len);
                writingThreads.add(Thread.currentThread().getName());
            }
        }

        @Override
        public synchronized void flush() {
            String all = bytes.toString(StandardCharsets.UTF_8);
            if (all.length() > lastFlushAt) {
                flushed.add(all.substring(lastFlushAt));
                lastFlushAt = all.length();
            }
            notifyAll();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        synchronized List<String> flushes() {
            return List.copyOf(flushed);
        }

        synchronized List<String> writingThreads() {
            return List.copyOf(writingThreads);
        }

        synchronized void awaitText(String end) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT_NANOS;
            long left;
            while (!bytes.toString(StandardCharsets.UTF_8).endsWith(end)
                    && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** A reply that records what happened to it. */
    private static final class Item implements StanzaWriter.Outgoing {
        private final String xml;
        private final AtomicInteger written = new AtomicInteger();
        private final AtomicInteger notWritten = new AtomicInteger();

        Item(String xml) {
            this.xml = xml;
        }

        @Override
        public String xml() {
            return xml;
        }

        @Override
        public void written() {
            written.incrementAndGet();
        }

        @Override
        public void notWritten() {
            notWritten.incrementAndGet();
        }
    }

    private StanzaWriter writer(OutputStream out, int capacity, AtomicBoolean shutdown, AtomicBoolean closed) {
        return writer("test-writer", out, capacity, shutdown, closed);
    }

    private StanzaWriter writer(String name, OutputStream out, int capacity, AtomicBoolean shutdown,
                                AtomicBoolean closed) {
        StanzaWriter w = new StanzaWriter(name, out, () -> shutdown.set(true), () -> closed.set(true), capacity);
        writers.add(w);
        w.start();
        return w;
    }

    /** Waits until the thread named {@code name} is parked (waiting with no deadline). */
    private static void awaitParked(String name) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (System.nanoTime() < deadline) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals(name) && t.getState() == Thread.State.WAITING) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError(name + " did not park within " + WAIT_NANOS / 1_000_000 + " ms");
    }

    @Test
    void repliesQueuedWhileAWriteIsUnderWayLeaveInOneFlush() throws Exception {
        RecordingOut out = new RecordingOut();
        out.gate = new CountDownLatch(1);
        StanzaWriter w = writer(out, 100, new AtomicBoolean(), new AtomicBoolean());
        assertThat(w.offer("<first/>")).isTrue();
        assertThat(out.firstWrite.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 50; i++) {
            assertThat(w.offer(new Item("<r" + i + "/>"))).isTrue();
        }
        out.gate.countDown();
        out.awaitText("<r49/>");
        assertThat(out.text()).startsWith("<first/><r0/><r1/>").endsWith("<r48/><r49/>");
        assertThat(out.flushes()).as("the writer flushes when its queue runs empty, so the 50 replies that queued"
                + " behind the first write go out together, not in 50 flushed writes").hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void offerNeverBlocksOnAStuckSocketAndTheQueueStaysBounded() throws Exception {
        RecordingOut out = new RecordingOut();
        out.gate = new CountDownLatch(1);
        StanzaWriter w = writer(out, 10, new AtomicBoolean(), new AtomicBoolean());
        w.offer("<stuck/>");
        assertThat(out.firstWrite.await(10, TimeUnit.SECONDS)).isTrue();
        int accepted = 0;
        for (int i = 0; i < 1000; i++) {
            if (w.offer(new Item("<r/>"))) {
                accepted++;
            }
        }
        assertThat(accepted).as("a full queue refuses at once instead of blocking the thread that offers")
                .isEqualTo(10);
        assertThat(w.depth()).isEqualTo(10);
        out.gate.countDown();
    }

    @Test
    void abortTellsEveryQueuedReplyItWasNotWritten() throws Exception {
        RecordingOut out = new RecordingOut();
        out.gate = new CountDownLatch(1);
        AtomicBoolean closed = new AtomicBoolean();
        StanzaWriter w = writer(out, 10, new AtomicBoolean(), closed);
        Item blocked = new Item("<blocked/>");
        w.offer(blocked);
        assertThat(out.firstWrite.await(10, TimeUnit.SECONDS)).isTrue();
        Item queued = new Item("<queued/>");
        w.offer(queued);
        out.broken = true;
        w.abort();
        out.gate.countDown();
        assertThat(w.awaitFinished(WAIT_NANOS)).isTrue();
        assertThat(closed).as("abort drops the socket, which fails a blocked write").isTrue();
        assertThat(queued.notWritten).as("a queued reply is handed back, so it can go out on another connection")
                .hasValue(1);
        assertThat(blocked.notWritten.get() + blocked.written.get()).as("the reply being written is either"
                + " written or handed back, once").isEqualTo(1);
        assertThat(w.offer(new Item("<late/>"))).as("a dead writer refuses new replies").isFalse();
    }

    @Test
    void aFailedWriteHandsBackWhatWasQueuedAndKeepsTheCause() throws Exception {
        RecordingOut out = new RecordingOut();
        out.broken = true;
        AtomicBoolean closed = new AtomicBoolean();
        StanzaWriter w = writer(out, 10, new AtomicBoolean(), closed);
        Item item = new Item("x".repeat(64 * 1024));
        w.offer(item);
        assertThat(w.awaitFinished(WAIT_NANOS)).isTrue();
        assertThat(item.notWritten).hasValue(1);
        assertThat(w.failure()).hasMessageContaining("connection reset");
        assertThat(closed).isTrue();
    }

    @Test
    void finishWritesWhatIsQueuedThenClosesTheStreamAndHalfClosesTheSocket() throws Exception {
        RecordingOut out = new RecordingOut();
        AtomicBoolean shutdown = new AtomicBoolean();
        StanzaWriter w = writer(out, 10, shutdown, new AtomicBoolean());
        Item last = new Item("<last/>");
        w.offer(last);
        w.finish();
        assertThat(w.awaitFinished(WAIT_NANOS)).isTrue();
        assertThat(out.text()).as("RFC 6120 §4.4: the stream is closed after what was queued")
                .isEqualTo("<last/></stream:stream>");
        assertThat(last.written).hasValue(1);
        assertThat(shutdown).isTrue();
        assertThat(w.offer("<after/>")).as("nothing is written after the stream's end").isFalse();
    }

    /** An entry that builds its text in the writer's reused buffer, as a reply does. */
    private static final class BuiltInBuffer implements StanzaWriter.Outgoing {
        private final String xml;

        BuiltInBuffer(String xml) {
            this.xml = xml;
        }

        @Override
        public String xml() {
            throw new AssertionError("the writer builds the text in its buffer");
        }

        @Override
        public void appendTo(StringBuilder out) {
            out.append(xml);
        }

        @Override
        public void written() {
        }

        @Override
        public void notWritten() {
        }
    }

    /**
     * Rule: the writer builds every entry's text in one reused buffer; each entry is written whole and alone, so
     * nothing of a longer entry is left over for a shorter one after it, and an entry far larger than the buffer
     * (which it then drops) is written whole too.
     */
    @Test
    void theReusedBufferWritesEachEntryWholeAndNothingOfTheOneBefore() throws Exception {
        RecordingOut out = new RecordingOut();
        StanzaWriter w = writer(out, 100, new AtomicBoolean(), new AtomicBoolean());
        String longer = "<long>" + "a".repeat(5000) + "</long>";
        String huge = "<huge>" + "\u00e9".repeat(200_000) + "</huge>";
        List<String> sent = List.of(longer, "<s1/>", huge, "<s2/>", longer, "<s3/>");
        StringBuilder expected = new StringBuilder();
        for (String xml : sent) {
            assertThat(w.offer(new BuiltInBuffer(xml))).isTrue();
            expected.append(xml);
        }
        out.awaitText("<s3/>");

        assertThat(out.text()).isEqualTo(expected.toString());
    }

    /**
     * Rule: the replies a thread offers between {@link StanzaWriter#hold()} and {@link StanzaWriter#writeHeld()}
     * (the reader thread handling a stanza itself) are written by that thread, in one flush, before
     * {@code writeHeld} returns, when the writer thread is idle; the writer thread is not woken for them.
     */
    @Test
    void heldRepliesAreWrittenByTheirOwnThreadWhenTheWriterIsIdle() throws Exception {
        RecordingOut out = new RecordingOut();
        StanzaWriter w = writer("held-idle-writer", out, 100, new AtomicBoolean(), new AtomicBoolean());
        awaitParked("held-idle-writer");
        Item first = new Item("<r1/>");
        Item second = new Item("<r2/>");

        w.hold();
        w.offer(first);
        w.offer(second);
        w.writeHeld();

        assertThat(out.text()).as("written before writeHeld returned").isEqualTo("<r1/><r2/>");
        assertThat(out.flushes()).containsExactly("<r1/><r2/>");
        assertThat(out.writingThreads()).as("written by the thread that held, not by the writer thread")
                .containsOnly(Thread.currentThread().getName());
        assertThat(first.written).hasValue(1);
        assertThat(second.written).hasValue(1);
        assertThat(w.depth()).isZero();
    }

    /**
     * Rule: a thread that held never waits for a writer thread that is busy on the socket: {@code writeHeld}
     * returns at once, and the writer thread writes the held reply after what it was writing, in order.
     */
    @Test
    void writeHeldNeverWaitsForABusyWriterAndOrderIsKept() throws Exception {
        RecordingOut out = new RecordingOut();
        out.gate = new CountDownLatch(1);
        StanzaWriter w = writer("held-busy-writer", out, 100, new AtomicBoolean(), new AtomicBoolean());
        w.offer("<first/>");
        assertThat(out.firstWrite.await(10, TimeUnit.SECONDS)).isTrue();
        Item held = new Item("<held/>");

        Thread reader = new Thread(() -> {
            w.hold();
            w.offer(held);
            w.writeHeld();
        }, "held-busy-reader");
        reader.start();
        reader.join(TimeUnit.NANOSECONDS.toMillis(WAIT_NANOS));
        assertThat(reader.isAlive()).as("writeHeld returned while the writer thread's write was stuck").isFalse();

        out.gate.countDown();
        out.awaitText("<held/>");
        assertThat(out.text()).isEqualTo("<first/><held/>");
        assertThat(out.writingThreads()).containsOnly("held-busy-writer");
        assertThat(held.written).hasValue(1);
    }

    /** Rule: a hold applies to the thread that holds; what other threads offer meanwhile is written at once. */
    @Test
    void otherThreadsOffersWakeTheWriterWhileOneThreadHolds() throws Exception {
        RecordingOut out = new RecordingOut();
        StanzaWriter w = writer("held-other-writer", out, 100, new AtomicBoolean(), new AtomicBoolean());
        awaitParked("held-other-writer");
        w.hold();
        Thread provider = new Thread(() -> w.offer(new Item("<from-provider/>")), "provider-callback");
        provider.start();
        provider.join(TimeUnit.NANOSECONDS.toMillis(WAIT_NANOS));

        out.awaitText("<from-provider/>");
        assertThat(out.writingThreads()).containsOnly("held-other-writer");
        w.writeHeld();
    }

    /** Rule: a failed write on the thread that held fails the writer as the writer thread's own would. */
    @Test
    void aFailedHeldWriteHandsTheReplyBackAndEndsTheWriter() throws Exception {
        RecordingOut out = new RecordingOut();
        out.broken = true;
        AtomicBoolean closed = new AtomicBoolean();
        StanzaWriter w = writer("held-failing-writer", out, 100, new AtomicBoolean(), closed);
        awaitParked("held-failing-writer");
        Item held = new Item("x".repeat(64 * 1024));

        w.hold();
        w.offer(held);
        w.writeHeld();

        assertThat(held.notWritten).as("handed back, so it can go out on another connection").hasValue(1);
        assertThat(w.failure()).hasMessageContaining("connection reset");
        assertThat(closed).isTrue();
        assertThat(w.awaitFinished(WAIT_NANOS)).as("the writer thread ends too").isTrue();
        assertThat(w.offer(new Item("<late/>"))).isFalse();
    }
}
