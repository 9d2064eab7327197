package io.pushcomponent.api;

import java.util.Objects;

/**
 * Another id clients send for a provider, as a dialect knows it: {@code register-device} with {@link #alias()} reaches
 * the provider {@link #providerId()}.
 *
 * @param alias      the id clients send
 * @param providerId the canonical id of the provider it stands for ({@link PushProviderFactory#id()})
 * @param artifact   the Maven coordinates ({@code groupId:artifactId}) of the artifact that provider comes from, so
 *                   that an error can name what to add when it is missing
 * @see ProviderRegistry#withAliases(java.util.Collection)
 */
public record ProviderAlias(String alias, String providerId, String artifact) {
    public ProviderAlias {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(artifact, "artifact");
    }
}
