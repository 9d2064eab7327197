package io.pushcomponent.core.user;

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
 * {@link PushRegistrationStore#inMemory()}: one list per account; every change to an account is serialised on that
 * account's entry of a concurrent map, so accounts never wait for each other.
 */
final class InMemoryPushRegistrationStore implements PushRegistrationStore {
    /** Oldest first; ties broken by jid and node so that the order is total. */
    static final Comparator<PushRegistration> OLDEST_FIRST = Comparator.comparing(PushRegistration::createdAt)
            .thenComparing(PushRegistration::jid).thenComparing(PushRegistration::node);

    private final Map<String, List<PushRegistration>> byAccount = new ConcurrentHashMap<>();

    @Override
    public List<PushRegistration> put(PushRegistration registration, int maxPerAccount) {
        if (maxPerAccount < 1) {
            throw new IllegalArgumentException("maxPerAccount must be at least 1: " + maxPerAccount);
        }
        List<PushRegistration> dropped = new ArrayList<>();
        byAccount.compute(registration.account(), (account, current) -> {
            List<PushRegistration> next = current == null ? new ArrayList<>() : new ArrayList<>(current);
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
    public List<PushRegistration> list(String account) {
        return byAccount.getOrDefault(account, List.of());
    }

    @Override
    public Optional<PushRegistration> find(String account, String jid, String node) {
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

    private int removeWhere(String account, Predicate<PushRegistration> doomed) {
        int[] removed = {0};
        byAccount.computeIfPresent(account, (key, current) -> {
            List<PushRegistration> next = new ArrayList<>(current);
            next.removeIf(doomed);
            removed[0] = current.size() - next.size();
            return next.isEmpty() ? null : List.copyOf(next);
        });
        return removed[0];
    }

    private void replace(String account, String jid, String node,
                         UnaryOperator<PushRegistration> change) {
        byAccount.computeIfPresent(account, (key, current) -> current.stream()
                .map(r -> r.is(jid, node) ? change.apply(r) : r)
                .toList());
    }
}
