package io.pushcomponent.core.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket per account: each account may do {@code perMinute} things at once and then one more every
 * {@code 60 s / perMinute}; one account running out never touches another's allowance.
 *
 * <p>Memory is bounded: at most {@code maxAccounts} buckets are kept. When that many are tracked, the buckets that
 * have refilled completely (accounts that were idle long enough to be back at full allowance) are dropped, which
 * loses nothing; if that frees less than a tenth of the table, all buckets are dropped and counting starts afresh
 * (a limit that resets early, never a refusal of an account that did nothing). So a sweep happens at most once per
 * tenth of {@code maxAccounts} new accounts, and its cost is spread over them.
 *
 * <p>Thread-safe; {@link #tryAcquire} takes the bucket's own lock for a few arithmetic operations and never blocks
 * on anything else. The number of refusals is kept for metrics ({@link #refused()}).
 */
public final class AccountRateLimiter {
    private final int perMinute;
    private final long nanosPerPermit;
    private final int maxAccounts;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    private static final class Bucket {
        private double permits;
        private long updatedAt;

        Bucket(double permits, long now) {
            this.permits = permits;
            this.updatedAt = now;
        }
    }

    /**
     * A limiter on the system's nanosecond clock.
     *
     * @param perMinute   how many an account may do at once and per minute; 0 switches the limit off
     * @param maxAccounts how many accounts are tracked at most
     */
    public AccountRateLimiter(int perMinute, int maxAccounts) {
        this(perMinute, maxAccounts, System::nanoTime);
    }

    /** A limiter on the given nanosecond clock (for tests). */
    public AccountRateLimiter(int perMinute, int maxAccounts, LongSupplier nanoClock) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("perMinute must not be negative, not " + perMinute);
        }
        if (maxAccounts < 1) {
            throw new IllegalArgumentException("maxAccounts must be at least 1, not " + maxAccounts);
        }
        this.perMinute = perMinute;
        this.nanosPerPermit = perMinute == 0 ? 0 : 60_000_000_000L / perMinute;
        this.maxAccounts = maxAccounts;
        this.clock = nanoClock;
    }

    /** How many the limit allows per minute; 0 when it is off. */
    public int perMinute() {
        return perMinute;
    }

    /**
     * Takes one permit of {@code account}'s allowance.
     *
     * @return {@code true} when the account may go ahead; {@code false} (counted) when it has used its allowance
     */
    public boolean tryAcquire(String account) {
        if (perMinute == 0) {
            return true;
        }
        long now = clock.getAsLong();
        if (buckets.size() >= maxAccounts && !buckets.containsKey(account)) {
            evictIdle(now);
        }
        Bucket bucket = buckets.computeIfAbsent(account, a -> new Bucket(perMinute, now));
        synchronized (bucket) {
            refill(bucket, now);
            if (bucket.permits >= 1) {
                bucket.permits -= 1;
                return true;
            }
        }
        refused.incrementAndGet();
        return false;
    }

    /** How long until {@code account} has a permit again, in whole seconds (at least 1); for error texts. */
    public long secondsUntilNext(String account) {
        Bucket bucket = buckets.get(account);
        if (bucket == null || perMinute == 0) {
            return 1;
        }
        synchronized (bucket) {
            double missing = Math.max(0, 1 - bucket.permits);
            return Math.max(1, (long) Math.ceil(missing * nanosPerPermit / 1e9));
        }
    }

    /** Refusals since this limiter was made. */
    public long refused() {
        return refused.get();
    }

    private void refill(Bucket bucket, long now) {
        long elapsed = now - bucket.updatedAt;
        if (elapsed > 0) {
            bucket.permits = Math.min(perMinute, bucket.permits + (double) elapsed / nanosPerPermit);
            bucket.updatedAt = now;
        }
    }

    private void evictIdle(long now) {
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                refill(bucket, now);
                return bucket.permits >= perMinute;
            }
        });
        if (buckets.size() > maxAccounts - Math.max(1, maxAccounts / 10)) {
            buckets.clear();
        }
    }
}
