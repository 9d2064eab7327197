package io.pushcomponent.core.xml.stanza;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Stanza ids that are unique within the process and not predictable across restarts. */
final class StanzaIds {
    private static final String PREFIX = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    private static final AtomicLong COUNTER = new AtomicLong();

    private StanzaIds() {
    }

    static String next() {
        return PREFIX + "-" + Long.toString(COUNTER.incrementAndGet(), 36);
    }
}
