package io.pushcomponent.api.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * A secret key the push service keeps in its store so that every instance on that store, and every later start, uses
 * the same one: for example the key that signs the endpoint tokens a service hands out, so that tokens it issued stay
 * valid after a restart and are accepted by every instance.
 *
 * <p>Immutable: the secret is copied in and out. {@code toString()} never shows it.
 *
 * @param name   what the key is for, e.g. {@code unifiedpush-endpoint}; one key per name
 * @param id     a short identifier of this key among the keys the name has had, written into what the key signs so
 *               that a verifier can tell which key to use
 * @param secret the key's bytes (at least 32)
 * @see DeviceRegistrationStore#serviceKey(String)
 */
public record ServiceKey(String name, String id, byte[] secret) {
    /** The fewest bytes a key has. */
    public static final int MIN_BYTES = 32;

    public ServiceKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_BYTES) {
            throw new IllegalArgumentException("a service key has at least " + MIN_BYTES + " bytes, not "
                    + secret.length);
        }
        secret = secret.clone();
    }

    /** A copy of the key's bytes. */
    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServiceKey k && name.equals(k.name) && id.equals(k.id)
                && Arrays.equals(secret, k.secret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, id);
    }

    @Override
    public String toString() {
        return "ServiceKey[name=" + name + ", id=" + id + ", secret=***]";
    }
}
