package io.pushcomponent.provider.fcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.provider.fcm.AccessTokenCache.Token;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The token cache with a scripted token endpoint, a clock the test moves, and an executor the test runs by hand, so
 * that "who waits for what" is visible without threads or sleeps.
 */
class AccessTokenCacheTest {
    private static final Instant T0 = Instant.parse("2026-11-24T20:00:00Z");
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final Duration MARGIN = Duration.ofMinutes(5);

    private final MutableClock clock = new MutableClock();
    private final Queue<Runnable> fetchTasks = new ArrayDeque<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final Queue<Object> endpoint = new ArrayDeque<>();
    private final AccessTokenCache cache = new AccessTokenCache(this::fetch, fetchTasks::add, clock, MARGIN);

    private Token fetch() throws IOException {
        fetches.incrementAndGet();
        Object next = endpoint.remove();
        if (next instanceof IOException e) {
            throw e;
        }
        return new Token((String) next, clock.now.plus(LIFETIME));
    }

    private void runFetches() {
        while (!fetchTasks.isEmpty()) {
            fetchTasks.remove().run();
        }
    }

    private static CompletableFuture<Token> f(CompletionStage<Token> stage) {
        return stage.toCompletableFuture();
    }

    @Test
    void callersBeforeTheFirstTokenAllWaitForOneFetch() {
        endpoint.add("t1");

        CompletableFuture<Token> a = f(cache.token());
        CompletableFuture<Token> b = f(cache.token());

        assertThat(a).as("the caller is not the one fetching: nothing is done until the fetch thread runs").isNotDone();
        runFetches();
        assertThat(a.join().value()).isEqualTo("t1");
        assertThat(b.join()).isSameAs(a.join());
        assertThat(fetches).as("one fetch for both callers").hasValue(1);
    }

    @Test
    void aFreshTokenIsReturnedAtOnceWithoutFetching() {
        endpoint.add("t1");
        f(cache.token());
        runFetches();
        clock.now = T0.plus(LIFETIME).minus(MARGIN).minusSeconds(1);

        CompletableFuture<Token> later = f(cache.token());

        assertThat(later).isDone();
        assertThat(fetchTasks).isEmpty();
        assertThat(fetches).hasValue(1);
    }

    @Test
    void inTheRefreshMarginTheOldTokenIsUsedWhileOneBackgroundFetchRuns() {
        endpoint.add("t1");
        endpoint.add("t2");
        f(cache.token());
        runFetches();
        clock.now = T0.plus(LIFETIME).minus(MARGIN).plusSeconds(1);

        CompletableFuture<Token> a = f(cache.token());
        CompletableFuture<Token> b = f(cache.token());

        assertThat(a.join().value()).as("callers in the margin are not held up").isEqualTo("t1");
        assertThat(b.join().value()).isEqualTo("t1");
        assertThat(fetchTasks).as("one renewal started for all of them").hasSize(1);
        runFetches();
        assertThat(cache.token().toCompletableFuture().join().value()).isEqualTo("t2");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void anExpiredTokenIsNotHandedOut() {
        endpoint.add("t1");
        endpoint.add("t2");
        f(cache.token());
        runFetches();
        clock.now = T0.plus(LIFETIME).minusSeconds(5);

        CompletableFuture<Token> next = f(cache.token());

        assertThat(next).as("a token in its last seconds might expire on the way to FCM").isNotDone();
        runFetches();
        assertThat(next.join().value()).isEqualTo("t2");
    }

    @Test
    void aFailedFetchFailsItsWaitersAndTheNextCallerTriesAgain() {
        endpoint.add(new IOException("token endpoint down"));
        endpoint.add("t1");

        CompletableFuture<Token> first = f(cache.token());
        runFetches();

        assertThatThrownBy(first::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(IOException.class);
        CompletableFuture<Token> second = f(cache.token());
        runFetches();
        assertThat(second.join().value()).as("a failure is not cached").isEqualTo("t1");
    }

    @Test
    void renewingARefusedTokenFetchesOnceForAllWhoSawIt() {
        endpoint.add("t1");
        endpoint.add("t2");
        f(cache.token());
        runFetches();
        Token t1 = cache.token().toCompletableFuture().join();

        CompletableFuture<Token> a = f(cache.renew(t1));
        CompletableFuture<Token> b = f(cache.renew(t1));
        runFetches();
        CompletableFuture<Token> late = f(cache.renew(t1));

        assertThat(a.join().value()).isEqualTo("t2");
        assertThat(b.join()).isSameAs(a.join());
        assertThat(late.join()).as("a refusal reported after the renewal gets the renewed token").isSameAs(a.join());
        assertThat(fetches).hasValue(2);
    }

    @Test
    void theTokenNeverShowsInToString() {
        assertThat(new Token("ya29.secret-value", T0).toString()).doesNotContain("secret-value");
    }

    private static final class MutableClock extends Clock {
        volatile Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
