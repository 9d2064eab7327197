package io.pushcomponent.component.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.XmlLimits;
import io.pushcomponent.core.xml.XmppXml;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framer and parser of {@link StreamReader} on their own, over in-memory input. */
class StreamReaderTest {
    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns:stream="
            + "'http://etherx.jabber.org/streams' xmlns='jabber:component:accept' id='s1' from='push.localhost'>";
    /** What the framer must not be fooled by: '>' and '/' in attributes, CDATA with markup, multi-byte text. */
    private static final String TRICKY = HEADER + "<handshake/>  \n"
            + "<message from='a@b/c' to='push.localhost' id='m&amp;1'><body x=\"a>b/\">é€𝄞 &lt;x&gt;"
            + "<![CDATA[<iq>]]]></body></message>"
            + "<iq type='get' id='i1' from='localhost' to='push.localhost'><query xmlns='urn:q'/></iq>"
            + "<presence from='a@b/c' to='push.localhost'/>"
            + "<stream:error><host-gone xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text"
            + " xmlns='urn:ietf:params:xml:ns:xmpp-streams'>bye</text></stream:error></stream:stream>";

    private final StanzaCodec codec = StanzaCodec.create();

    private StreamReader reader(InputStream in) {
        return new StreamReader(in, codec, XmppXml.inputFactory(codec.limits()));
    }

    private List<String> events(InputStream in) throws IOException {
        StreamReader r = reader(in);
        List<String> out = new ArrayList<>();
        StreamReader.Event e;
        do {
            e = r.next();
            out.add(e instanceof StreamReader.Received received ? codec.write(received.stanza()) : e.toString());
        } while (!(e instanceof StreamReader.End));
        return out;
    }

    @Test
    void framesTheSameWhateverHowTheBytesArrive() throws IOException {
        byte[] bytes = TRICKY.getBytes(StandardCharsets.UTF_8);
        List<String> whole = events(new ByteArrayInputStream(bytes));
        assertThat(whole).hasSize(7);
        assertThat(whole.get(0)).isEqualTo("Header[id=s1, from=push.localhost]");
        assertThat(whole.get(1)).isEqualTo("Handshake[]");
        assertThat(whole.get(2)).startsWith("<message").contains("id='m&amp;1'").contains("é€𝄞 &lt;x&gt;&lt;iq&gt;]");
        assertThat(whole.get(3)).startsWith("<iq").contains("id='i1'");
        assertThat(whole.get(4)).startsWith("<presence");
        assertThat(whole.get(5)).isEqualTo("ServerError[condition=host-gone, text=bye]");
        assertThat(whole.get(6)).isEqualTo("End[]");
        assertThat(events(new Trickle(bytes))).as("one byte per read: every state survives a buffer boundary")
                .isEqualTo(whole);
    }

    @Test
    void aDetachedFrameIsNotChangedByFramingTheNextStanza() throws IOException {
        StreamReader r = reader(new ByteArrayInputStream(TRICKY.getBytes(StandardCharsets.UTF_8)));
        r.next();
        r.next();
        StreamReader.Framed message = ((StreamReader.Framed) r.frame()).detach();
        StreamReader.Framed iq = (StreamReader.Framed) r.frame();

        assertThat(r.parse(message)).as("the copy a parser thread gets, parsed after the next stanza was framed")
                .isInstanceOfSatisfying(StreamReader.Received.class, received -> assertThat(
                        codec.write(received.stanza())).startsWith("<message").contains("id='m&amp;1'"));
        assertThat(r.parse(iq)).isInstanceOfSatisfying(StreamReader.Received.class,
                received -> assertThat(codec.write(received.stanza())).startsWith("<iq").contains("id='i1'"));
    }

    @Test
    void sizeCapCountsCharactersNotBytes() throws IOException {
        String open = "<message from='a@b/c' to='push.localhost' id='m1'><body>";
        String close = "</body></message>";
        String body = "é".repeat(codec.limits().maxStanzaChars() - open.length() - close.length());
        StreamReader r = reader(new ByteArrayInputStream((HEADER + "<handshake/>" + open + body + close + open
                + body + "é" + close).getBytes(StandardCharsets.UTF_8)));
        r.next();
        r.next();
        assertThat(r.next()).as("exactly at the cap, in two-byte characters: accepted")
                .isInstanceOf(StreamReader.Received.class);
        StreamReader.Event over = r.next();
        assertThat(over).as("one character more: refused, answered with a message error").isInstanceOfSatisfying(
                StreamReader.Refused.class, refused -> assertThat(refused.reply()).get()
                        .isInstanceOf(Message.class));
    }

    @Test
    void tenMegabyteStanzaIsSkippedWithoutCostingItsSize() throws IOException {
        byte[] head = (HEADER + "<handshake/><iq type='set' id='huge' from='m@localhost/r' to='push.localhost'>"
                + "<query xmlns='urn:x'><a>").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("</a></query></iq><iq type='get' id='next' from='localhost' to='push.localhost'/>")
                .getBytes(StandardCharsets.UTF_8);
        long bodyBytes = 10L * 1024 * 1024;
        StreamReader r = reader(new Generated(head, bodyBytes, tail));
        r.next();
        r.next();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        StreamReader.Event refused = r.next();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(refused).isInstanceOfSatisfying(StreamReader.Refused.class, e -> assertThat(e.reply()).get()
                .isInstanceOfSatisfying(Iq.class, iq -> assertThat(iq.id()).isEqualTo("huge")));
        assertThat(allocated).as("a 10 MiB stanza is skipped, not kept: the buffer stays about four bytes per"
                + " character of the cap").isLessThan(4L * XmlLimits.DEFAULT.maxStanzaChars() + 1024 * 1024);
        assertThat(r.next()).as("the next stanza is read").isInstanceOfSatisfying(StreamReader.Received.class,
                e -> assertThat(e.stanza().id()).isEqualTo("next"));
    }

    /** Hands out one byte per read. */
    @Test
    void aStanzaCountsAsBackloggedOnlyWhenTheServerSentMoreThanOneAtATime() throws IOException {
        String iq = "<iq type='get' id='%s' from='localhost' to='push.localhost'><query xmlns='urn:q'/></iq>";
        String burst = String.join("", Collections.nCopies(60, String.format(iq, "b")));
        assertThat(burst.length()).as("the burst fills one read past the mark").isBetween(StreamReader.BACKLOG,
                8192 - 200);
        StreamReader r = reader(new Chunks(HEADER + "<handshake/>", String.format(iq, "lone"), burst,
                String.format(iq, "after")));
        r.next();
        r.next();

        assertThat(r.frame()).isInstanceOf(StreamReader.Framed.class);
        assertThat(r.backlogged()).as("a stanza that came alone is handled where it was read").isFalse();
        for (int i = 0; i < 60; i++) {
            assertThat(r.frame()).isInstanceOf(StreamReader.Framed.class);
            assertThat(r.backlogged()).as("stanza %d of a read that brought %d bytes", i, burst.length()).isTrue();
        }
        assertThat(r.frame()).isInstanceOf(StreamReader.Framed.class);
        assertThat(r.backlogged()).as("once the server sends one at a time again").isFalse();
    }

    /** Each read returns the next of the given pieces, whole. */
    private static final class Chunks extends InputStream {
        private final byte[][] chunks;
        private int next;

        Chunks(String... chunks) {
            this.chunks = Arrays.stream(chunks).map(c -> c.getBytes(StandardCharsets.UTF_8))
                    .toArray(byte[][]::new);
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("reads whole pieces");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (next == chunks.length) {
                return -1;
            }
            byte[] chunk = chunks[next++];
            assertThat(len).as("room for the whole piece").isGreaterThanOrEqualTo(chunk.length);
            System.arraycopy(chunk, 0, b, off, chunk.length);
            return chunk.length;
        }
    }

    private static final class Trickle extends InputStream {
        private final byte[] bytes;
        private int next;

        Trickle(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return next < bytes.length ? bytes[next++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }
    }

    /** {@code head}, then {@code count} bytes of text made up on the fly, then {@code tail}. */
    private static final class Generated extends InputStream {
        private final byte[] head;
        private final byte[] tail;
        private final long count;
        private long position;

        Generated(byte[] head, long count, byte[] tail) {
            this.head = head;
            this.count = count;
            this.tail = tail;
        }

        @Override
        public int read() {
            long p = position++;
            if (p < head.length) {
                return head[(int) p] & 0xFF;
            }
            p -= head.length;
            if (p < count) {
                return 'x';
            }
            p -= count;
            return p < tail.length ? tail[(int) p] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = 0;
            while (n < len) {
                int c = read();
                if (c < 0) {
                    return n == 0 ? -1 : n;
                }
                b[off + n++] = (byte) c;
            }
            return n;
        }
    }
}
