package io.pushcomponent.provider.fcm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The OAuth access token FCM requests carry, fetched once per token lifetime.
 *
 * <p>A token is <em>fresh</em> until {@code refreshMargin} before it expires: callers get it at once. In the margin
 * callers still get it at once, and the first of them starts fetching its successor in the background. Only when
 * there is no usable token (at start, after expiry, after a failed fetch, or after FCM refused it) do callers wait,
 * and then all of them wait for the same fetch. Fetches run on {@code fetchExecutor}, never on a caller's thread.
 *
 * <p>Thread-safe. A failed fetch is not cached: the next caller starts another.
 */
final class AccessTokenCache {

    /** Fetches a new token; blocking. */
    @FunctionalInterface
    interface Fetcher {
        Token fetch() throws Exception;
    }

    /**
     * An access token. {@code toString()} never shows the value.
     *
     * @param value     the bearer token
     * @param expiresAt when it stops working
     */
    record Token(String value, Instant expiresAt) {
        @Override
        public String toString() {
            return "Token[value=***, expiresAt=" + expiresAt + "]";
        }
    }

    /** A token is not handed out in its last seconds: a request might reach FCM after it expired. */
    private static final Duration MIN_REMAINING = Duration.ofSeconds(10);

    private final Fetcher fetcher;
    private final Executor fetchExecutor;
    private final Clock clock;
    private final Duration refreshMargin;
    private final AtomicReference<CompletableFuture<Token>> fetching = new AtomicReference<>();
    /** The last token fetched; {@code null} before the first. */
    private volatile Cached current;

    /** A fetched token, as a completed stage so that the hot path allocates nothing, with its deadlines. */
    private record Cached(CompletableFuture<Token> stage, long freshUntilMillis, long usableUntilMillis) {
        Token token() {
            return stage.join();
        }
    }

    AccessTokenCache(Fetcher fetcher, Executor fetchExecutor, Clock clock, Duration refreshMargin) {
        this.fetcher = fetcher;
        this.fetchExecutor = fetchExecutor;
        this.clock = clock;
        this.refreshMargin = refreshMargin;
    }

    /** A usable token: at once when one is cached, else when the shared fetch completes. */
    CompletionStage<Token> token() {
        Cached cached = current;
        if (cached != null) {
            long now = clock.millis();
            if (now < cached.freshUntilMillis()) {
                return cached.stage();
            }
            if (now < cached.usableUntilMillis()) {
                fetchUnlessReplaced(cached);
                return cached.stage();
            }
        }
        return fetchUnlessReplaced(cached);
    }

    /**
     * A token other than {@code refused}, which FCM did not accept: the token fetched since, or a new fetch.
     */
    CompletionStage<Token> renew(Token refused) {
        Cached cached = current;
        if (cached != null && cached.token() != refused) {
            return cached.stage();
        }
        return fetchUnlessReplaced(cached);
    }

    /** Fails a fetch that has not finished; later calls fail because the executor refuses new fetches. */
    void close() {
        CompletableFuture<Token> running = fetching.get();
        if (running != null) {
            running.completeExceptionally(new IllegalStateException("FCM provider closed"));
        }
    }

    /**
     * Joins the running fetch, or starts one unless {@code seen} (what the caller found cached) has been replaced
     * in the meantime, in which case the replacement is returned.
     */
    private CompletableFuture<Token> fetchUnlessReplaced(Cached seen) {
        while (true) {
            CompletableFuture<Token> running = fetching.get();
            if (running != null) {
                return running;
            }
            Cached cached = current;
            if (cached != seen) {
                return cached.stage();
            }
            CompletableFuture<Token> fetch = new CompletableFuture<>();
            if (fetching.compareAndSet(null, fetch)) {
                try {
                    fetchExecutor.execute(() -> fetch(fetch));
                } catch (RuntimeException e) {
                    fetching.set(null);
                    fetch.completeExceptionally(e);
                }
                return fetch;
            }
        }
    }

    private void fetch(CompletableFuture<Token> fetch) {
        Token token;
        try {
            token = fetcher.fetch();
        } catch (Exception e) {
            fetching.set(null);
            fetch.completeExceptionally(e);
            return;
        }
        // publish before clearing 'fetching', so that a caller that sees neither a running fetch nor the old
        // token cannot start a second fetch
        long expires = token.expiresAt().toEpochMilli();
        current = new Cached(CompletableFuture.completedFuture(token), expires - refreshMargin.toMillis(),
                expires - MIN_REMAINING.toMillis());
        fetching.set(null);
        fetch.complete(token);
    }
}
