package io.pushcomponent.benchmark.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The floor of the component rows: the least an XEP-0114 component can do for a publish, in a JVM of its own. One
 * thread connects, completes the handshake, then reads the stream and answers every {@code <iq>} request with an
 * empty result, found by its tags without an XML parser, no store, no provider; the answers to what one read
 * brought leave in one write. What push-benchmark measures against it over the same connection, with the same
 * generator and the same pacing, is what the machine itself gives: the two processes' wake-ups and loopback TCP.
 *
 * <p>Run: {@code BARE_COMPONENT_SECRET=... java -cp push-benchmark.jar
 * io.pushcomponent.benchmark.remote.BareComponent host port component-jid}; it ends when the server closes the
 * stream.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0114.html">XEP-0114: Jabber Component Protocol</a>
 */
public final class BareComponent {
    /** The environment variable that holds the component secret (kept off the command line). */
    static final String SECRET_VARIABLE = "BARE_COMPONENT_SECRET";
    private static final byte[] IQ_START = "<iq ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IQ_END = "</iq>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GT = {'>'};

    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream replies = new ByteArrayOutputStream(16 * 1024);
    private byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    private BareComponent(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /**
     * Connects to {@code args[0]:args[1]} as component {@code args[2]}, with the secret from
     * {@value #SECRET_VARIABLE}, and serves.
     */
    public static void main(String[] args) throws IOException {
        String secret = System.getenv(SECRET_VARIABLE);
        if (args.length != 3 || secret == null) {
            throw new IllegalArgumentException("usage: " + SECRET_VARIABLE + "=... BareComponent host port"
                    + " component-jid");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 10_000);
            socket.setTcpNoDelay(true);
            BareComponent component = new BareComponent(socket.getInputStream(), socket.getOutputStream());
            component.handshake(args[2], secret);
            component.serve();
        }
    }

    private void handshake(String componentJid, String secret) throws IOException {
        write("<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='"
                + componentJid + "'>");
        String header = readThrough("<stream:stream", ">");
        String id = ComponentListener.attribute(header, "id");
        if (id.isEmpty()) {
            throw new IOException("the server's stream header has no id: " + header);
        }
        write("<handshake>" + ComponentListener.sha1Hex(id + secret) + "</handshake>");
        readThrough("<handshake", ">");
    }

    /** Answers every request until the server closes the stream. */
    private void serve() throws IOException {
        while (true) {
            int pos = start;
            while (true) {
                int open = indexOf(IQ_START, pos);
                if (open < 0) {
                    // keep what may be the start of a tag
                    pos = Math.max(pos, end - (IQ_START.length - 1));
                    break;
                }
                int tagEnd = indexOf(GT, open);
                if (tagEnd < 0) {
                    pos = open;
                    break;
                }
                int stanzaEnd = buffer[tagEnd - 1] == '/' ? tagEnd + 1 : endOf(tagEnd);
                if (stanzaEnd < 0) {
                    pos = open;
                    break;
                }
                answer(new String(buffer, open, tagEnd + 1 - open, StandardCharsets.UTF_8));
                pos = stanzaEnd;
            }
            if (replies.size() > 0) {
                replies.writeTo(out);
                out.flush();
                replies.reset();
            }
            if (!fill(pos)) {
                return;
            }
        }
    }

    /** The end of the stanza whose start tag ends at {@code tagEnd}, or -1 while its end tag is not read yet. */
    private int endOf(int tagEnd) {
        int close = indexOf(IQ_END, tagEnd);
        return close < 0 ? -1 : close + IQ_END.length;
    }

    /** Queues the empty result of a request ({@code get} or {@code set}); results and errors need none. */
    private void answer(String startTag) {
        String type = ComponentListener.attribute(startTag, "type");
        if (!type.equals("get") && !type.equals("set")) {
            return;
        }
        byte[] reply = ("<iq type='result' id='" + ComponentListener.attribute(startTag, "id") + "' from='"
                + ComponentListener.attribute(startTag, "to") + "' to='" + ComponentListener.attribute(startTag, "from")
                + "'/>")
                .getBytes(StandardCharsets.UTF_8);
        replies.write(reply, 0, reply.length);
    }

    /** Moves the bytes from {@code keep} on to the buffer's start and reads more; {@code false} at the end. */
    private boolean fill(int keep) throws IOException {
        int tail = end - keep;
        if (tail == buffer.length) {
            buffer = Arrays.copyOf(buffer, 2 * buffer.length);
        }
        System.arraycopy(buffer, keep, buffer, 0, tail);
        start = 0;
        end = tail;
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    /** Reads until {@code last} follows {@code first}; returns the text from {@code first} through {@code last}. */
    private String readThrough(String first, String last) throws IOException {
        byte[] from = first.getBytes(StandardCharsets.UTF_8);
        byte[] to = last.getBytes(StandardCharsets.UTF_8);
        while (true) {
            int at = indexOf(from, start);
            int done = at < 0 ? -1 : indexOf(to, at + from.length);
            if (done >= 0) {
                start = done + to.length;
                return new String(buffer, at, start - at, StandardCharsets.UTF_8);
            }
            if (!fill(start)) {
                throw new IOException("the server closed the stream before " + first + "..." + last);
            }
        }
    }

    private int indexOf(byte[] what, int from) {
        return ComponentListener.indexOf(buffer, from, end, what);
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
