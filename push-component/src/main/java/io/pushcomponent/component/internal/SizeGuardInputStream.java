package io.pushcomponent.component.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read since the last {@link #reset()} and fails once they pass a cap, so that one huge element
 * (a name or token the XML parser would buffer whole) cannot exhaust memory before any per-stanza check sees it.
 *
 * <p>Not thread-safe: used by one reader thread.
 */
final class SizeGuardInputStream extends FilterInputStream {

    /** Thrown when the cap is passed. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long cap) {
            super("a stanza is larger than " + cap + " bytes");
        }
    }

    private final long cap;
    private long count;
    private boolean endOfStream;

    SizeGuardInputStream(InputStream in, long cap) {
        super(in);
        this.cap = cap;
    }

    /** Starts counting again; called when a stanza has been read whole. */
    @Override
    public void reset() {
        count = 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** {@code true} once the peer closed the connection: a parse error after that is a lost connection. */
    boolean endOfStream() {
        return endOfStream;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        } else {
            endOfStream = true;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            add(n);
        } else if (n < 0) {
            endOfStream = true;
        }
        return n;
    }

    private void add(int n) throws TooLargeException {
        count += n;
        if (count > cap) {
            throw new TooLargeException(cap);
        }
    }
}
