package io.pushcomponent.monal.internal;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * fpush's two safeguards for stateless pushes, per push module and token: a token the provider said is dead is
 * refused for a while without asking the provider again, and pushes to one token are at least the rate limit apart.
 *
 * <p>The rate limit works as fpush's: the first push goes at once; one within the limit after it is held back and
 * sent when the limit is over; further ones before that held-back push has gone are dropped. Every push that is held
 * back or dropped wakes the device no later than the one sent, and the app fetches everything when it wakes.
 *
 * <p>Memory is bounded by the tokens seen within the rate limit and the tokens blocked: entries whose time is over
 * are swept whenever the tables have doubled since the last sweep.
 *
 * <p>Thread-safe; never blocks.
 */
final class TokenGuard {
    private static final int FIRST_SWEEP = 4096;

    /** What to do with a push. */
    enum Kind {
        /** Send it now. */
        SEND,
        /** Send it after {@link Decision#delayNanos()}. */
        DELAY,
        /** Drop it: a held-back push will wake the device. */
        DROP,
        /** Refuse it: the provider said the token is dead. */
        BLOCKED
    }

    /** A verdict on one push; {@code delayNanos} is positive for {@link Kind#DELAY} only. */
    record Decision(Kind kind, long delayNanos) {
        static final Decision SEND = new Decision(Kind.SEND, 0);
        static final Decision DROP = new Decision(Kind.DROP, 0);
        static final Decision BLOCKED = new Decision(Kind.BLOCKED, 0);
    }

    private record Key(String module, String token) {
    }

    private final long intervalNanos;
    private final long blockNanos;
    private final LongSupplier clock;
    /** The time of the last push sent or held back, per token. */
    private final ConcurrentHashMap<Key, Long> lastPush = new ConcurrentHashMap<>();
    /** Until when a dead token is refused. */
    private final ConcurrentHashMap<Key, Long> blockedUntil = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep = new AtomicLong(FIRST_SWEEP);

    TokenGuard(Duration rateLimit, Duration deadTokenBlock, LongSupplier nanoClock) {
        this.intervalNanos = rateLimit.toNanos();
        this.blockNanos = deadTokenBlock.toNanos();
        this.clock = nanoClock;
    }

    /** The verdict on a push to {@code token} of {@code module} now; a push sent or held back counts at once. */
    Decision admit(String module, String token) {
        long now = clock.getAsLong();
        Key key = new Key(module, token);
        Long until = blockedUntil.get(key);
        if (until != null) {
            if (until - now > 0) {
                return Decision.BLOCKED;
            }
            blockedUntil.remove(key, until);
        }
        if (intervalNanos == 0) {
            return Decision.SEND;
        }
        Decision[] decision = new Decision[1];
        lastPush.compute(key, (k, last) -> {
            if (last == null || now - last >= intervalNanos) {
                decision[0] = Decision.SEND;
                return now;
            }
            if (now - last < 0) {
                decision[0] = Decision.DROP;
                return last;
            }
            long sendAt = last + intervalNanos;
            decision[0] = new Decision(Kind.DELAY, sendAt - now);
            return sendAt;
        });
        sweepIfGrown(now);
        return decision[0];
    }

    /** The provider said {@code token} of {@code module} is dead: refuse it for the configured time. */
    void deadToken(String module, String token) {
        long now = clock.getAsLong();
        blockedUntil.put(new Key(module, token), now + blockNanos);
        lastPush.remove(new Key(module, token));
        sweepIfGrown(now);
    }

    /** How many tokens the guard holds state for (for tests of its bound). */
    int size() {
        return lastPush.size() + blockedUntil.size();
    }

    private void sweepIfGrown(long now) {
        long threshold = nextSweep.get();
        if (size() < threshold || !nextSweep.compareAndSet(threshold, Long.MAX_VALUE)) {
            return;
        }
        lastPush.entrySet().removeIf(e -> now - e.getValue() >= intervalNanos);
        blockedUntil.entrySet().removeIf(e -> e.getValue() - now <= 0);
        nextSweep.set(Math.max(FIRST_SWEEP, 2L * size()));
    }
}
