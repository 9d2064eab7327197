package io.pushcomponent.unifiedpush.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A rate limit per key (an endpoint's subject): a token bucket of {@code capacity} refilled evenly over a minute.
 * Each key has its own bucket, so one endpoint at its limit never slows another. Buckets are forgotten once full
 * again (an idle endpoint's bucket is the same as a new one), so the map holds only endpoints that posted lately;
 * it is bounded by {@code maxKeys}, beyond which full buckets are swept first.
 *
 * <p>Thread-safe; never blocks.
 */
final class TokenBuckets {
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int capacity;
    private final long nanosPerToken;
    private final int maxKeys;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    TokenBuckets(int capacity, int maxKeys) {
        this.capacity = capacity;
        this.nanosPerToken = MINUTE_NANOS / capacity;
        this.maxKeys = maxKeys;
    }

    /**
     * Takes one token of {@code key}'s bucket.
     *
     * @return 0 when taken; otherwise how many nanoseconds until one is there
     */
    long take(String key, long now) {
        if (buckets.size() >= maxKeys) {
            sweep(now);
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
        synchronized (bucket) {
            refill(bucket, now);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - bucket.tokens) * nanosPerToken);
        }
    }

    private void refill(Bucket bucket, long now) {
        long elapsed = now - bucket.updated;
        if (elapsed > 0) {
            bucket.tokens = Math.min(capacity, bucket.tokens + (double) elapsed / nanosPerToken);
            bucket.updated = now;
        }
    }

    /** Forgets the buckets that are full again; if that frees nothing, forgets all (bounded memory first). */
    private void sweep(long now) {
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                refill(e.getValue(), now);
                return e.getValue().tokens >= capacity;
            }
        });
        if (buckets.size() >= maxKeys) {
            buckets.clear();
        }
    }

    /** Buckets held now. */
    int size() {
        return buckets.size();
    }
}
