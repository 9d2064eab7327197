package io.pushcomponent.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@link PushProviderFactory}s available to a host, by canonical id and by alias.
 *
 * <p>{@link #discover(ClassLoader)} finds factories through {@link ServiceDiscovery}: a factory that fails to load is
 * reported and skipped (one broken jar never hides the others), two factories claiming the same id or alias is an
 * error, and each factory found is logged with its id, version and jar, once per JVM. Hosts can also build a registry from
 * factories they construct themselves with {@link #of(Collection)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ProviderRegistry {
    /** Where each well-known provider id lives, so that "not found" can name the artifact to add. */
    private static final Map<String, String> KNOWN_ARTIFACTS = Map.of(
            "fcm-http-v1", "io.pushcomponent:push-provider-fcm",
            "fcm-xmpp-api", "io.pushcomponent:push-provider-fcm",
            "apns", "io.pushcomponent:push-provider-apns",
            "apns-binary-api", "io.pushcomponent:push-provider-apns",
            "tigase:messenger:apns:1", "io.pushcomponent:push-provider-apns",
            "fake", "io.pushcomponent:push-test-kit",
            "log", "io.pushcomponent:push-component");

    private final Map<String, PushProviderFactory> byId;
    private final Map<String, String> canonicalIds;
    private final List<String> loadFailures;

    private ProviderRegistry(Map<String, PushProviderFactory> byId, Map<String, String> canonicalIds,
                             List<String> loadFailures) {
        this.byId = Collections.unmodifiableMap(byId);
        this.canonicalIds = Collections.unmodifiableMap(canonicalIds);
        this.loadFailures = List.copyOf(loadFailures);
    }

    /**
     * Finds every factory visible to {@code loader}.
     *
     * @throws IllegalStateException when two factories claim the same id or alias
     */
    public static ProviderRegistry discover(ClassLoader loader) {
        ServiceDiscovery.Found<PushProviderFactory> found = ServiceDiscovery.load(PushProviderFactory.class, loader,
                f -> "push provider " + f.id() + " (aliases " + f.aliases() + ")");
        return build(found.services(), found.failures());
    }

    /** Finds every factory visible to this class's loader. */
    public static ProviderRegistry discover() {
        return discover(ProviderRegistry.class.getClassLoader());
    }

    /**
     * A registry of the given factories.
     *
     * @throws IllegalStateException when two factories claim the same id or alias
     */
    public static ProviderRegistry of(Collection<? extends PushProviderFactory> factories) {
        return build(new ArrayList<>(factories), List.of());
    }

    private static ProviderRegistry build(List<? extends PushProviderFactory> factories, List<String> failures) {
        Map<String, PushProviderFactory> byId = new LinkedHashMap<>();
        Map<String, String> canonical = new LinkedHashMap<>();
        for (PushProviderFactory f : factories) {
            claim(canonical, byId, f.id(), f);
            byId.put(f.id(), f);
            for (String alias : f.aliases()) {
                claim(canonical, byId, alias, f);
            }
        }
        return new ProviderRegistry(byId, canonical, failures);
    }

    private static void claim(Map<String, String> canonical, Map<String, PushProviderFactory> byId, String id,
                              PushProviderFactory f) {
        String previous = canonical.putIfAbsent(id, f.id());
        if (previous != null) {
            PushProviderFactory other = byId.get(previous);
            throw new IllegalStateException("push provider id '" + id + "' is claimed twice: by "
                    + describe(other) + " and by " + describe(f) + "; remove one of the jars");
        }
    }

    /** The canonical id an id or alias stands for. */
    public Optional<String> canonicalId(String idOrAlias) {
        return Optional.ofNullable(canonicalIds.get(idOrAlias));
    }

    /**
     * The factory for an id or alias.
     *
     * @throws UnknownProviderException naming the artifact to add when the id is a known one, or the available ids
     */
    public PushProviderFactory factory(String idOrAlias) {
        String id = canonicalIds.get(idOrAlias);
        if (id != null) {
            return byId.get(id);
        }
        StringBuilder msg = new StringBuilder("no push provider '").append(idOrAlias).append("' is available");
        String artifact = KNOWN_ARTIFACTS.get(idOrAlias);
        if (artifact != null) {
            msg.append("; add the artifact ").append(artifact).append(" to the class path");
        }
        msg.append("; available: ").append(new TreeSet<>(canonicalIds.keySet()));
        if (!loadFailures.isEmpty()) {
            msg.append("; providers that failed to load: ").append(loadFailures);
        }
        throw new UnknownProviderException(idOrAlias, msg.toString());
    }

    /** Canonical ids of every factory. */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    /** Every id and alias, each mapped to its canonical id. */
    public Map<String, String> idsAndAliases() {
        return canonicalIds;
    }

    /** Messages of the factories that failed to load during discovery. */
    public List<String> loadFailures() {
        return loadFailures;
    }

    private static String describe(PushProviderFactory f) {
        return f.getClass().getName() + " (" + ServiceDiscovery.source(f.getClass()) + ")";
    }
}
