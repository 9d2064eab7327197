package io.pushcomponent.conversations.internal;

import io.pushcomponent.api.Jid;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a registration of this dialect is stored under instead of the account: the SHA-1, in lowercase hexadecimal,
 * of the account's normalised bare JID and the device id joined by a NUL character, as p2 stores it and as the client
 * computes it to find the account a push is for.
 */
final class DeviceHash {
    private DeviceHash() {
    }

    /**
     * The hash of an account and a device.
     *
     * @param from     the requesting JID (any resource); normalised to its bare JID
     * @param deviceId the client's device id ({@code android-id})
     */
    static String of(String from, String deviceId) {
        String joined = Jid.bareOf(from) + '\0' + deviceId;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(joined.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
