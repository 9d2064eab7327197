package io.pushcomponent.core.app;

import io.pushcomponent.api.PushProvider;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The configured providers by canonical id, and every id or alias clients may send. Immutable. */
final class Providers {
    private final Map<String, PushProvider> byCanonicalId;
    private final Map<String, String> canonicalByIdOrAlias;

    Providers(Map<String, PushProvider> byCanonicalId, Map<String, String> canonicalByIdOrAlias) {
        this.byCanonicalId = Collections.unmodifiableMap(new LinkedHashMap<>(byCanonicalId));
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

    Optional<PushProvider> provider(String canonicalId) {
        return Optional.ofNullable(byCanonicalId.get(canonicalId));
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
