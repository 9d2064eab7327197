package io.pushcomponent.core.xml.internal;

/**
 * Well-formed UTF-8 as RFC 3629 defines it, checked on the bytes: no overlong form, no surrogate, nothing above
 * U+10FFFF, no stray continuation byte, no sequence cut short. Woodstox decodes some of these (an overlong
 * {@code C0 AF} becomes {@code /}), so the codec checks the bytes itself before a parser sees them.
 *
 * <p>Stateless; thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3629#section-4">RFC 3629 §4 Syntax of UTF-8 Byte Sequences</a>
 */
public final class Utf8 {
    private Utf8() {
    }

    /**
     * The length of the well-formed sequence of 2 to 4 bytes that starts at {@code p} and ends before
     * {@code limit}, or 0 when none starts there (an ASCII byte included).
     */
    public static int sequenceLength(byte[] b, int p, int limit) {
        int c = b[p] & 0xFF;
        if (c >= 0xC2 && c <= 0xDF) {
            return continuation(b, p + 1, limit) ? 2 : 0;
        }
        if (c >= 0xE0 && c <= 0xEF) {
            if (!continuation(b, p + 1, limit) || !continuation(b, p + 2, limit)) {
                return 0;
            }
            int c1 = b[p + 1] & 0xFF;
            return c == 0xE0 && c1 < 0xA0 || c == 0xED && c1 > 0x9F ? 0 : 3;
        }
        if (c >= 0xF0 && c <= 0xF4) {
            if (!continuation(b, p + 1, limit) || !continuation(b, p + 2, limit) || !continuation(b, p + 3, limit)) {
                return 0;
            }
            int c1 = b[p + 1] & 0xFF;
            return c == 0xF0 && c1 < 0x90 || c == 0xF4 && c1 > 0x8F ? 0 : 4;
        }
        return 0;
    }

    /** Whether {@code b[from, to)} is well-formed UTF-8. */
    public static boolean isWellFormed(byte[] b, int from, int to) {
        int p = from;
        while (p < to) {
            if (b[p] >= 0) {
                p++;
            } else {
                int n = sequenceLength(b, p, to);
                if (n == 0) {
                    return false;
                }
                p += n;
            }
        }
        return true;
    }

    private static boolean continuation(byte[] b, int p, int limit) {
        return p < limit && (b[p] & 0xC0) == 0x80;
    }
}
