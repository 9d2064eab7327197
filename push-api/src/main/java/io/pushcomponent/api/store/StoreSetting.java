package io.pushcomponent.api.store;

import java.util.Objects;

/**
 * One setting a {@link StoreFactory} understands, as it states it: hosts list them in their documentation and check a
 * configuration against them before opening a store.
 *
 * @param key          the setting's name, e.g. {@code data-dir}
 * @param description  what it means, one sentence
 * @param defaultValue the value used when the setting is absent; {@code null} when the setting is required
 * @param secret       {@code true} when the value may hold a password (a JDBC URL); hosts never log or show it
 */
public record StoreSetting(String key, String description, String defaultValue, boolean secret) {
    public StoreSetting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(description, "description");
    }

    /** A required setting that holds no secret. */
    public static StoreSetting required(String key, String description) {
        return new StoreSetting(key, description, null, false);
    }

    /** An optional setting that holds no secret. */
    public static StoreSetting optional(String key, String description, String defaultValue) {
        return new StoreSetting(key, description, Objects.requireNonNull(defaultValue, "defaultValue"), false);
    }

    /** {@code true} when the setting has no default. */
    public boolean isRequired() {
        return defaultValue == null;
    }
}
