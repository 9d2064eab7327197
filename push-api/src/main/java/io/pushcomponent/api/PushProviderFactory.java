package io.pushcomponent.api;

import java.util.Optional;
import java.util.Set;

/**
 * Service-provider interface: creates {@link PushProvider}s of one kind.
 *
 * <p>Implementations have a public no-arg constructor and are registered both in {@code module-info}
 * ({@code provides io.pushcomponent.api.PushProviderFactory with ...}) and in
 * {@code META-INF/services/io.pushcomponent.api.PushProviderFactory}. {@link ProviderRegistry#discover} finds them.
 *
 * <p><b>Thread-safety:</b> implementations are stateless and thread-safe.
 */
public interface PushProviderFactory {

    /** The canonical provider id, e.g. {@code fcm-http-v1}; unique among all factories. */
    String id();

    /**
     * Other ids clients send for this provider whatever dialect they speak. Empty by default; a dialect's own ids
     * for a provider are its {@link ProviderAlias}es.
     */
    default Set<String> aliases() {
        return Set.of();
    }

    /**
     * The Maven coordinates ({@code groupId:artifactId}) of the artifact this factory comes from, for log lines and
     * for errors that tell which jar to add or remove. Empty by default.
     */
    default Optional<String> artifact() {
        return Optional.empty();
    }

    /**
     * The setting keys this provider understands. Configuration holding any other key is rejected before
     * {@link #create} is called, so that a misspelt key is an error and not silently ignored.
     */
    Set<String> settingKeys();

    /**
     * Creates a provider.
     *
     * @param settings the provider's settings from the configuration
     * @return a ready provider
     * @throws IllegalArgumentException when the settings are wrong; the message says which key and what to fix and
     *                                  never contains a secret
     */
    PushProvider create(ProviderSettings settings);
}
