package io.pushcomponent.core.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.ToLongFunction;

/**
 * The 64-bit key an embedded H2 registration table is ordered by ({@code node_key}, the table's primary key, which H2
 * makes the row id): a hash of the node, so that looking a registration up reads the table's own B-tree only, not
 * also an index of node strings. Two nodes may hash alike: the second is stored under the next key not taken
 * ({@link #next}), and a look-up by key that does not find its node asks the unique index on {@code node} (see
 * {@link JdbcRegistrationStore#findByNodes}).
 */
final class NodeKeys {
    /** The hash every H2 store uses; tests pass their own to make two nodes collide. */
    static final ToLongFunction<String> HASH = NodeKeys::hash;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private NodeKeys() {
    }

    /**
     * FNV-1a over the node's UTF-16 code units, then the SplitMix64 finaliser so that nodes differing in their last
     * characters spread over the whole key range. Stored in the database: never change it (a new hash needs a
     * migration that rewrites every key).
     */
    static long hash(String node) {
        long h = FNV_OFFSET;
        for (int i = 0; i < node.length(); i++) {
            h = (h ^ node.charAt(i)) * FNV_PRIME;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /** The key tried after {@code key} when {@code key} is taken by another node. */
    static long next(long key) {
        return key + 1;
    }

    /**
     * The key to store {@code node} under in {@code table}: from {@code home} (its hash) on, the first key whose row
     * is missing or is the node's own, as the transaction on {@code connection} sees the table.
     */
    static long free(Connection connection, String table, String node, long home) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT node FROM " + table
                + " WHERE node_key = ?")) {
            for (long key = home; ; key = next(key)) {
                select.setLong(1, key);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next() || rows.getString(1).equals(node)) {
                        return key;
                    }
                }
            }
        }
    }
}
