package io.pushcomponent.core.store.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The row key of a registration in the embedded H2 store ({@code node_key}, schema migration 7): the first 64 bits
 * of the SHA-256 of the node's UTF-8 bytes with the sign bit cleared, so that it is never negative. A registration
 * whose key another registration already holds is stored under a negative key instead; the key is a hint for
 * finding the row, never its identity, which stays the node.
 */
final class NodeKeys {
    private NodeKeys() {
    }

    /** The key a registration of {@code node} is stored under unless another registration holds it. */
    static long of(String node) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        return ByteBuffer.wrap(digest.digest(node.getBytes(StandardCharsets.UTF_8))).getLong() & Long.MAX_VALUE;
    }
}
