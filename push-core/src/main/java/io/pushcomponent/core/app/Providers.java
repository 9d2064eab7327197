package io.pushcomponent.core.app;

import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.api.PushProvider;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The configured providers by canonical id, each behind its circuit breaker ({@link GuardedProvider}), and every id
 * or alias clients may send. Immutable.
 */
final class Providers {
    private final Map<String, GuardedProvider> byCanonicalId;
    private final Map<String, String> canonicalByIdOrAlias;

    /**
     * @param policies  the breaker policy of each provider; {@link CircuitBreakerPolicy#DEFAULT} for those missing
     * @param slowAfter how long an answer may take before it counts as a transport failure (the provider timeout)
     * @param nanoClock {@link System#nanoTime()}, or a test's clock
     * @param metrics   told of every push passed on to a provider
     */
    Providers(Map<String, PushProvider> byCanonicalId, Map<String, String> canonicalByIdOrAlias,
              Map<String, CircuitBreakerPolicy> policies, Duration slowAfter, LongSupplier nanoClock,
              PushMetricsListener metrics) {
        Map<String, GuardedProvider> guarded = new LinkedHashMap<>();
        byCanonicalId.forEach((id, provider) -> guarded.put(id, new GuardedProvider(id, provider,
                policies.getOrDefault(id, CircuitBreakerPolicy.DEFAULT), slowAfter, nanoClock, metrics)));
        this.byCanonicalId = Collections.unmodifiableMap(guarded);
        Map<String, String> ids = new LinkedHashMap<>();
        byCanonicalId.keySet().forEach(id -> ids.put(id, id));
        canonicalByIdOrAlias.forEach((alias, id) -> {
            if (byCanonicalId.containsKey(id)) {
                ids.putIfAbsent(alias, id);
            }
        });
        this.canonicalByIdOrAlias = Collections.unmodifiableMap(ids);
    }

    Optional<String> canonicalId(String idOrAlias) {
        return Optional.ofNullable(idOrAlias == null ? null : canonicalByIdOrAlias.get(idOrAlias.trim()));
    }

    /** The provider behind its circuit breaker. */
    Optional<PushProvider> provider(String canonicalId) {
        return Optional.ofNullable(byCanonicalId.get(canonicalId));
    }

    /** Each provider's breaker and pause, in configuration order. */
    List<ProviderStatus> status() {
        return byCanonicalId.values().stream().map(GuardedProvider::status).toList();
    }

    List<String> canonicalIds() {
        return List.copyOf(byCanonicalId.keySet());
    }

    /** Every id and alias, for disco features and error messages. */
    List<String> idsAndAliases() {
        return List.copyOf(canonicalByIdOrAlias.keySet());
    }

    String describeAvailable() {
        return String.join(", ", new TreeSet<>(canonicalByIdOrAlias.keySet()));
    }

    boolean isEmpty() {
        return byCanonicalId.isEmpty();
    }
}
