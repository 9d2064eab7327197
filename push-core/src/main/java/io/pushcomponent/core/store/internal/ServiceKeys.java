package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.ServiceKey;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What every store of push-core does alike for {@link io.pushcomponent.api.store.DeviceRegistrationStore#serviceKey}
 * and the revocations: a fresh key is 32 random bytes with a random 8-hex-digit id; names and subjects are bounded.
 *
 * <p>Stateless and thread-safe.
 */
final class ServiceKeys {
    /** The longest key name and revocation subject the tables take. */
    static final int MAX_NAME = 64;

    private static final SecureRandom RANDOM = new SecureRandom();

    private ServiceKeys() {
    }

    /** A new random key of {@code name}. */
    static ServiceKey generate(String name) {
        byte[] secret = new byte[ServiceKey.MIN_BYTES];
        RANDOM.nextBytes(secret);
        byte[] id = new byte[4];
        RANDOM.nextBytes(id);
        return new ServiceKey(checkName(name, "key name"), HexFormat.of().formatHex(id), secret);
    }

    /** {@code value} when it is 1 to {@value #MAX_NAME} characters. */
    static String checkName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.length() > MAX_NAME) {
            throw new IllegalArgumentException("a " + what + " has 1 to " + MAX_NAME + " characters, not "
                    + value.length());
        }
        return value;
    }
}
