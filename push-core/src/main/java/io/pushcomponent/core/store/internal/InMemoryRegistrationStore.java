package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.PublishSecret;
import io.pushcomponent.api.Redaction;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.ServiceKey;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DeviceRegistrationStore} in memory: for tests, and for hosts that keep registrations elsewhere.
 *
 * <p>Thread-safe. {@link #findByNode} takes no lock; changes are serialised on the store's own monitor, so they
 * are atomic with respect to each other. Nothing survives the process. Like every store it keeps publish secrets
 * in {@link PublishSecret#stored stored form}.
 */
public final class InMemoryRegistrationStore implements DeviceRegistrationStore {
    private final Map<String, DeviceRegistration> byNode = new ConcurrentHashMap<>();
    private final Map<DeviceKey, String> nodeByDevice = new ConcurrentHashMap<>();
    /** Diagnostics of the registrations that have any; changed only under the store's monitor. */
    private final Map<String, DeliveryDiagnostics> diagnosticsByNode = new ConcurrentHashMap<>();

    private final Map<String, ServiceKey> serviceKeys = new ConcurrentHashMap<>();
    private final Map<String, Revocation> revocations = new ConcurrentHashMap<>();

    private record Revocation(Instant revokedAt, Instant keepUntil) {
    }

    private record DeviceKey(String providerId, String token, String owner) {
        static DeviceKey of(DeviceRegistration r) {
            return new DeviceKey(r.device().providerId(), r.device().token(), r.owner());
        }
    }

    @Override
    public synchronized DeviceRegistration register(DeviceRegistration candidate) {
        Objects.requireNonNull(candidate, "candidate");
        RegistrationLimits.check(candidate);
        DeviceKey key = DeviceKey.of(candidate);
        String existingNode = nodeByDevice.get(key);
        if (existingNode != null) {
            DeviceRegistration existing = byNode.get(existingNode);
            DeviceRegistration updated = new DeviceRegistration(existing.node(), candidate.device(), existing.owner(),
                    candidate.secret(), existing.createdAt());
            byNode.put(existingNode, withStoredSecret(updated));
            return updated;
        }
        if (byNode.containsKey(candidate.node())) {
            throw new IllegalStateException(
                    "node " + Redaction.token(candidate.node()) + " is already registered to another device");
        }
        byNode.put(candidate.node(), withStoredSecret(candidate));
        nodeByDevice.put(key, candidate.node());
        return candidate;
    }

    private static DeviceRegistration withStoredSecret(DeviceRegistration registration) {
        return new DeviceRegistration(registration.node(), registration.device(), registration.owner(),
                PublishSecret.stored(registration.secret()), registration.createdAt());
    }

    @Override
    public Optional<DeviceRegistration> findByNode(String node) {
        return Optional.ofNullable(byNode.get(node));
    }

    @Override
    public List<DeviceRegistration> findByToken(String providerId, String token) {
        return byNode.values().stream()
                .filter(r -> r.device().providerId().equals(providerId) && r.device().token().equals(token))
                .sorted(Comparator.comparing(DeviceRegistration::createdAt).thenComparing(DeviceRegistration::node))
                .toList();
    }

    @Override
    public List<DeviceRegistration> listByOwner(String owner) {
        return byNode.values().stream()
                .filter(r -> r.owner().equals(owner))
                .sorted(Comparator.comparing(DeviceRegistration::createdAt).thenComparing(DeviceRegistration::node))
                .toList();
    }

    @Override
    public synchronized boolean unregister(String node) {
        DeviceRegistration removed = byNode.remove(node);
        if (removed == null) {
            return false;
        }
        nodeByDevice.remove(DeviceKey.of(removed), node);
        diagnosticsByNode.remove(node);
        return true;
    }

    @Override
    public long count() {
        return byNode.size();
    }

    @Override
    public Map<String, Long> countByProvider() {
        Map<String, Long> counts = new TreeMap<>();
        byNode.values().forEach(r -> counts.merge(r.device().providerId(), 1L, Long::sum));
        return counts;
    }

    @Override
    public synchronized void addDiagnostics(Map<String, DeliveryDiagnostics> changes) {
        changes.forEach((node, change) -> {
            if (byNode.containsKey(node)) {
                diagnosticsByNode.merge(node, change, DeliveryDiagnostics::plus);
            }
        });
    }

    @Override
    public Map<String, DeliveryDiagnostics> diagnostics(Collection<String> nodes) {
        Map<String, DeliveryDiagnostics> found = new HashMap<>();
        for (String node : nodes) {
            if (byNode.containsKey(node)) {
                found.put(node, diagnosticsByNode.getOrDefault(node, DeliveryDiagnostics.NONE));
            }
        }
        return found;
    }

    @Override
    public ServiceKey serviceKey(String name) {
        return serviceKeys.computeIfAbsent(ServiceKeys.checkName(name, "key name"), ServiceKeys::generate);
    }

    @Override
    public void revoke(String subject, Instant revokedAt, Instant keepUntil) {
        ServiceKeys.checkName(subject, "revocation subject");
        Instant now = Instant.now();
        revocations.values().removeIf(r -> r.keepUntil().isBefore(now));
        revocations.merge(subject, new Revocation(revokedAt, keepUntil),
                (old, next) -> old.revokedAt().isAfter(next.revokedAt()) ? old : next);
    }

    @Override
    public Optional<Instant> revokedAt(String subject) {
        return Optional.ofNullable(revocations.get(subject)).map(Revocation::revokedAt);
    }

    @Override
    public void close() {
        // Nothing to release: the maps are garbage collected with the store.
    }
}
