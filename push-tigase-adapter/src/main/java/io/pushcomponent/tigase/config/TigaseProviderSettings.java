package io.pushcomponent.tigase.config;

import io.pushcomponent.api.ProviderSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the provider blocks of a Tigase push component configuration ({@code push () { 'apns-binary-api' () {...} }})
 * with our providers' keys, so that an operator can start from the blocks in Tigase's guide.
 *
 * <p>Bean names need no translation: {@code fcm-xmpp-api}, {@code apns-binary-api} and
 * {@code tigase:messenger:apns:1} are aliases of our providers. Keys mostly match ({@code cert-file},
 * {@code cert-password}, {@code pool-size}); Tigase's {@code apns-topic} is our APNs provider's {@code topic}.
 * FCM's legacy {@code sender-id}/{@code server-key} are passed on unchanged so that the FCM provider refuses them with
 * its message about moving to a service-account JSON and FCM HTTP v1.
 *
 * <p>Stateless and thread-safe.
 */
public final class TigaseProviderSettings {
    /** Tigase's APNs key for the bundle id. */
    public static final String TIGASE_APNS_TOPIC = "apns-topic";
    /** Our APNs provider's key for it. */
    public static final String APNS_TOPIC = "topic";

    private static final Set<String> APNS_IDS = Set.of("apns", "apns-binary-api", "tigase:messenger:apns:1");

    private TigaseProviderSettings() {
    }

    /**
     * {@code settings} with Tigase's keys renamed to ours.
     *
     * @param canonicalId the canonical id of the provider the block configures (e.g. {@code apns} for a block
     *                    named {@code apns-binary-api})
     * @throws IllegalArgumentException when both Tigase's and our name of one key are set
     */
    public static ProviderSettings translate(ProviderSettings settings, String canonicalId) {
        Objects.requireNonNull(settings, "settings");
        if (!APNS_IDS.contains(canonicalId) || !settings.values().containsKey(TIGASE_APNS_TOPIC)) {
            return settings;
        }
        if (settings.values().containsKey(APNS_TOPIC)) {
            throw new IllegalArgumentException("push provider '" + settings.providerId() + "' sets both '"
                    + TIGASE_APNS_TOPIC + "' (Tigase's name) and '" + APNS_TOPIC + "'; keep one");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        settings.values().forEach((k, v) -> values.put(TIGASE_APNS_TOPIC.equals(k) ? APNS_TOPIC : k, v));
        return new ProviderSettings(settings.providerId(), values, settings.baseDir());
    }
}
