package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.AccountPushRegistration;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An {@link AccountPushRegistrationStore} in memory ({@link io.pushcomponent.core.store.Stores#inMemoryAccountStore()}): one list per account; every change to an account is serialised on that
 * account's entry of a concurrent map, so accounts never wait for each other.
 */
public final class InMemoryAccountPushRegistrationStore implements AccountPushRegistrationStore {
    /** Oldest first; ties broken by jid and node so that the order is total. */
    static final Comparator<AccountPushRegistration> OLDEST_FIRST = Comparator.comparing(AccountPushRegistration::createdAt)
            .thenComparing(AccountPushRegistration::jid).thenComparing(AccountPushRegistration::node);

    private final Map<String, List<AccountPushRegistration>> byAccount = new ConcurrentHashMap<>();

    @Override
    public List<AccountPushRegistration> put(AccountPushRegistration registration, int maxPerAccount) {
        if (maxPerAccount < 1) {
            throw new IllegalArgumentException("maxPerAccount must be at least 1: " + maxPerAccount);
        }
        List<AccountPushRegistration> dropped = new ArrayList<>();
        byAccount.compute(registration.account(), (account, current) -> {
            List<AccountPushRegistration> next = current == null ? new ArrayList<>() : new ArrayList<>(current);
            next.removeIf(r -> r.is(registration.jid(), registration.node()));
            next.add(registration);
            next.sort(OLDEST_FIRST);
            while (next.size() > maxPerAccount) {
                dropped.add(next.remove(0));
            }
            return List.copyOf(next);
        });
        return List.copyOf(dropped);
    }

    @Override
    public List<AccountPushRegistration> list(String account) {
        return byAccount.getOrDefault(account, List.of());
    }

    @Override
    public Optional<AccountPushRegistration> find(String account, String jid, String node) {
        return list(account).stream().filter(r -> r.is(jid, node)).findFirst();
    }

    @Override
    public boolean remove(String account, String jid, String node) {
        return removeWhere(account, r -> r.is(jid, node)) > 0;
    }

    @Override
    public int removeAll(String account, String jid) {
        return removeWhere(account, r -> r.jid().equals(jid));
    }

    @Override
    public OptionalInt incrementErrorCount(String account, String jid, String node) {
        int[] count = {-1};
        replace(account, jid, node, r -> {
            count[0] = r.errorCount() + 1;
            return r.withErrorCount(count[0]);
        });
        return count[0] < 0 ? OptionalInt.empty() : OptionalInt.of(count[0]);
    }

    @Override
    public void resetErrorCount(String account, String jid, String node) {
        replace(account, jid, node, r -> r.withErrorCount(0));
    }

    @Override
    public void close() {
        // Nothing to release: the map is garbage collected with the store.
    }

    private int removeWhere(String account, Predicate<AccountPushRegistration> doomed) {
        int[] removed = {0};
        byAccount.computeIfPresent(account, (key, current) -> {
            List<AccountPushRegistration> next = new ArrayList<>(current);
            next.removeIf(doomed);
            removed[0] = current.size() - next.size();
            return next.isEmpty() ? null : List.copyOf(next);
        });
        return removed[0];
    }

    private void replace(String account, String jid, String node,
                         UnaryOperator<AccountPushRegistration> change) {
        byAccount.computeIfPresent(account, (key, current) -> current.stream()
                .map(r -> r.is(jid, node) ? change.apply(r) : r)
                .toList());
    }
}
