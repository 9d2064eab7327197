package io.pushcomponent.tigase.rest;

import io.pushcomponent.api.Jid;
import io.pushcomponent.api.Redaction;
import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.api.metrics.RegistrationChange;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a device registration on the word of whoever knows the account, the provider and the device token: what
 * Tigase's {@code unregister-device} REST call does, so that an app can stop pushes without logging in to its XMPP
 * server. Only the account's own registration of that token is removed; another account's registration of the same
 * device (multi-account clients) is left alone.
 *
 * <p>Thread-safe; blocks on the {@link DeviceRegistrationStore}.
 */
public final class DeviceUnregistration {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceUnregistration.class);

    private final String pushJid;
    private final DeviceRegistrationStore store;
    private final Function<String, Optional<String>> canonicalProviderId;
    private final Consumer<String> removedNodes;
    private final PushMetricsListener metrics;

    /**
     * Like {@link #DeviceUnregistration(String, DeviceRegistrationStore, Function, Consumer, PushMetricsListener)}
     * with nobody to tell about removed nodes: an app server caching node look-ups keeps delivering to a removed node
     * until its cache entry expires.
     */
    public DeviceUnregistration(String pushJid, DeviceRegistrationStore store,
                                Function<String, Optional<String>> canonicalProviderId) {
        this(pushJid, store, canonicalProviderId, node -> { }, PushMetricsListener.NONE);
    }

    /**
     * Like {@link #DeviceUnregistration(String, DeviceRegistrationStore, Function, Consumer, PushMetricsListener)}
     * with no metrics recorded.
     */
    public DeviceUnregistration(String pushJid, DeviceRegistrationStore store,
                                Function<String, Optional<String>> canonicalProviderId,
                                Consumer<String> removedNodes) {
        this(pushJid, store, canonicalProviderId, removedNodes, PushMetricsListener.NONE);
    }

    /**
     * @param pushJid             the component's JID; requests for another push service fail
     * @param store               where registrations live
     * @param canonicalProviderId maps a provider id or alias a client sends (e.g. {@code tigase:messenger:apns:1})
     *                            to the canonical id registrations are stored under; typically
     *                            {@code providerRegistry::canonicalId}
     * @param removedNodes        told each node whose registration was removed, after the store removed it;
     *                            typically {@code appServer::registrationRemoved}, so publishes to it stop at once
     * @param metrics             told of each registration removed
     *                            ({@link RegistrationChange#UNREGISTERED}), as {@code unregister-device} tells it;
     *                            typically the app server's ({@code AppServerContext.metrics()})
     */
    public DeviceUnregistration(String pushJid, DeviceRegistrationStore store,
                                Function<String, Optional<String>> canonicalProviderId,
                                Consumer<String> removedNodes, PushMetricsListener metrics) {
        this.pushJid = Objects.requireNonNull(pushJid, "pushJid");
        this.store = Objects.requireNonNull(store, "store");
        this.canonicalProviderId = Objects.requireNonNull(canonicalProviderId, "canonicalProviderId");
        this.removedNodes = Objects.requireNonNull(removedNodes, "removedNodes");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** {@code true} when {@code jid} names this push service. */
    public boolean serves(String jid) {
        return jid != null && Jid.tryParse(jid.trim()).equals(Jid.tryParse(pushJid));
    }

    /**
     * Removes {@code account}'s registration of {@code token} at {@code provider}.
     *
     * @return {@code true} when one was removed; {@code false} when the provider is unknown or the account has no
     *         registration of that token (another account's registration does not count)
     */
    public boolean unregister(String account, String provider, String token) {
        Optional<String> providerId = canonicalProviderId.apply(provider);
        if (providerId.isEmpty()) {
            return false;
        }
        Optional<Jid> owner = Jid.tryParse(account.trim());
        if (owner.isEmpty()) {
            return false;
        }
        List<String> removed = store.unregisterDevice(providerId.get(), token, owner.get().toString());
        for (String node : removed) {
            removedNodes.accept(node);
            metrics.registrationChanged(RegistrationChange.UNREGISTERED, providerId.get());
            LOG.info("device {} of {} at {} unregistered over REST (node {})", Redaction.token(token),
                    owner.get().bare(), providerId.get(), Redaction.token(node));
        }
        return !removed.isEmpty();
    }
}
