package io.pushcomponent.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.store.AccountPushRegistration;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules every {@link AccountPushRegistrationStore} keeps; one subclass per implementation. */
public abstract class AccountPushRegistrationStoreContract {
    protected static final String JULIET = "juliet@capulet.lit";
    protected static final String ROMEO = "romeo@montague.lit";
    protected static final String PUSH = "push-5.client.example";
    protected static final Instant T0 = Instant.parse("2026-11-24T19:00:00.123Z");

    protected AccountPushRegistrationStore store;

    /** A fresh, empty store. */
    protected abstract AccountPushRegistrationStore createStore() throws Exception;

    /** The same storage opened again (a restart); in-memory stores return {@code null}. */
    protected abstract AccountPushRegistrationStore reopen() throws Exception;

    @BeforeEach
    protected void open() throws Exception {
        store = createStore();
    }

    @AfterEach
    protected void closeStore() {
        store.close();
    }

    protected static AccountPushRegistration registration(String account, String node, Instant createdAt) {
        return AccountPushRegistration.of(account, PUSH, node, createdAt);
    }

    @Test
    protected void keepsEveryFieldOfARegistration() throws Exception {
        Map<String, List<String>> options = new LinkedHashMap<>();
        options.put("secret", List.of("eruio234vzxc2kla-91<&=%>"));
        options.put("multi", List.of("a", "b b", ""));
        options.put("empty", List.of());
        AccountPushRegistration full = new AccountPushRegistration(JULIET, PUSH, "yxs32uqsflafdk3iuqo", options, true,
                Map.of("tigase:push:encrypt:0", "a2V5IGtleSBrZXk=&x=y"), 2, T0);

        store.put(full, 5);

        assertThat(store.find(JULIET, PUSH, "yxs32uqsflafdk3iuqo")).as("every field survives the store")
                .contains(full);
        assertThat(store.find(JULIET, PUSH, "yxs32uqsflafdk3iuqo").orElseThrow().publishOptions().keySet())
                .as("publish-options keep their order").containsExactly("secret", "multi", "empty");
        AccountPushRegistrationStore reopened = reopen();
        if (reopened != null) {
            try (reopened) {
                assertThat(reopened.list(JULIET)).as("a durable store keeps registrations across a restart")
                        .containsExactly(full);
            }
        }
    }

    @Test
    protected void putReplacesTheRegistrationOfTheSameJidAndNode() {
        store.put(registration(JULIET, "node-1", T0), 5);
        AccountPushRegistration replacement = new AccountPushRegistration(JULIET, PUSH, "node-1",
                Map.of("secret", List.of("new")), true, Map.of(), 0, T0.plusSeconds(5));

        List<AccountPushRegistration> dropped = store.put(replacement, 5);

        assertThat(dropped).isEmpty();
        assertThat(store.list(JULIET)).as("enabling the same jid+node again replaces it").containsExactly(replacement);
    }

    @Test
    protected void listsOldestFirstAndDropsTheOldestBeyondTheLimit() {
        AccountPushRegistration first = registration(JULIET, "node-1", T0);
        AccountPushRegistration second = registration(JULIET, "node-2", T0.plusSeconds(1));
        AccountPushRegistration third = registration(JULIET, "node-3", T0.plusSeconds(2));
        store.put(second, 2);
        store.put(first, 2);

        List<AccountPushRegistration> dropped = store.put(third, 2);

        assertThat(dropped).as("the oldest registration is dropped when the limit is exceeded").containsExactly(first);
        assertThat(store.list(JULIET)).containsExactly(second, third);
    }

    @Test
    protected void accountsAreSeparate() {
        store.put(registration(JULIET, "node-1", T0), 1);
        store.put(registration(ROMEO, "node-1", T0), 1);

        assertThat(store.remove(ROMEO, PUSH, "node-1")).isTrue();

        assertThat(store.list(JULIET)).as("removing Romeo's registration leaves Juliet's").hasSize(1);
        assertThat(store.list(ROMEO)).isEmpty();
    }

    @Test
    protected void removeAllRemovesEveryNodeOfOneJidOnly() {
        store.put(registration(JULIET, "node-1", T0), 5);
        store.put(registration(JULIET, "node-2", T0), 5);
        store.put(AccountPushRegistration.of(JULIET, "push.other.example", "node-1", T0), 5);

        assertThat(store.removeAll(JULIET, PUSH)).isEqualTo(2);

        assertThat(store.list(JULIET)).extracting(AccountPushRegistration::jid).as("other app servers are untouched")
                .containsExactly("push.other.example");
        assertThat(store.remove(JULIET, PUSH, "node-1")).as("removing what is gone reports false").isFalse();
    }

    @Test
    protected void errorCountIncrementsAndResets() {
        store.put(registration(JULIET, "node-1", T0), 5);

        assertThat(store.incrementErrorCount(JULIET, PUSH, "node-1")).hasValue(1);
        assertThat(store.incrementErrorCount(JULIET, PUSH, "node-1")).hasValue(2);
        store.resetErrorCount(JULIET, PUSH, "node-1");

        assertThat(store.find(JULIET, PUSH, "node-1").orElseThrow().errorCount()).isZero();
        assertThat(store.incrementErrorCount(JULIET, PUSH, "missing")).as("an unknown registration has no count")
                .isEmpty();
    }

    @Test
    protected void concurrentErrorIncrementsAreNotLost() throws Exception {
        store.put(registration(JULIET, "node-1", T0), 5);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                tasks.add(() -> store.incrementErrorCount(JULIET, PUSH, "node-1"));
            }
            for (Future<Object> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.find(JULIET, PUSH, "node-1").orElseThrow().errorCount())
                .as("40 concurrent increments count 40").isEqualTo(40);
    }

    @Test
    protected void concurrentEnablesOfTheSameNodeLeaveOneRegistration() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Instant at = T0.plusMillis(i);
                tasks.add(() -> store.put(registration(JULIET, "node-" + (at.toEpochMilli() % 2), at), 5));
            }
            for (Future<Object> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.list(JULIET)).extracting(AccountPushRegistration::node)
                .as("40 concurrent enables of two nodes leave exactly those two").containsExactlyInAnyOrder("node-0",
                        "node-1");
    }

    /** probe() (health checks) writes and removes a registration and leaves the store as it was. */
    @Test
    protected void probeWritesAndRemovesARegistrationLeavingTheStoreAsItWas() {
        store.put(registration(JULIET, "node-1", T0), 5);

        store.probe();
        store.probe();

        assertThat(store.list(JULIET)).hasSize(1);
        assertThat(store.list(AccountPushRegistrationStore.PROBE_ACCOUNT)).isEmpty();
    }

    @Test
    protected void refusesALimitBelowOne() {
        assertThatThrownBy(() -> store.put(registration(JULIET, "node-1", T0), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPerAccount");
    }
}
