package io.pushcomponent.api.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One push registration of an account on the user's server: what a client enabled with
 * {@code <enable xmlns='urn:xmpp:push:0' jid='…' node='…'/>}. An account has at most one registration per
 * {@code jid} + {@code node}. Immutable; the maps are unmodifiable copies.
 *
 * @param account        bare JID of the account that enabled push
 * @param jid            the app server (push service) JID the notifications are published to
 * @param node           the pubsub node on that app server
 * @param publishOptions the fields of the publish-options form the client sent (without {@code FORM_TYPE}), in
 *                       order; echoed in every publish. Values may be secrets: {@code toString()} shows names only
 * @param away           {@code true} when the client asked for notifications while all its resources are away
 *                       ({@code away='true'}, Tigase's {@code tigase:push:away:0})
 * @param extensionData  opaque data that push extensions parsed from extra {@code <enable/>} children, keyed by
 *                       names the extensions choose; may hold keys: {@code toString()} shows names only
 * @param errorCount     consecutive publish errors that did not remove the registration
 * @param createdAt      when the registration was (last) enabled, in milliseconds
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#enabling">XEP-0357 §5 Enabling Notifications</a>
 */
public record AccountPushRegistration(String account, String jid, String node, Map<String, List<String>> publishOptions,
                               boolean away, Map<String, String> extensionData, int errorCount, Instant createdAt) {

    public AccountPushRegistration {
        requireText(account, "account");
        requireText(jid, "jid");
        requireText(node, "node");
        Objects.requireNonNull(createdAt, "createdAt");
        if (errorCount < 0) {
            throw new IllegalArgumentException("errorCount must not be negative: " + errorCount);
        }
        publishOptions = copyFields(publishOptions);
        extensionData = copyData(extensionData);
        createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** A fresh registration without publish-options, away flag or extension data. */
    public static AccountPushRegistration of(String account, String jid, String node, Instant createdAt) {
        return new AccountPushRegistration(account, jid, node, Map.of(), false, Map.of(), 0, createdAt);
    }

    /** This registration with another error count. */
    public AccountPushRegistration withErrorCount(int count) {
        return new AccountPushRegistration(account, jid, node, publishOptions, away, extensionData, count, createdAt);
    }

    /** {@code true} when this is the registration of {@code jid} + {@code node}. */
    public boolean is(String serviceJid, String serviceNode) {
        return jid.equals(serviceJid) && node.equals(serviceNode);
    }

    @Override
    public String toString() {
        return "AccountPushRegistration[account=" + account + ", jid=" + jid + ", node=" + node
                + ", publishOptions=" + publishOptions.keySet() + ", away=" + away
                + ", extensionData=" + extensionData.keySet() + ", errorCount=" + errorCount
                + ", createdAt=" + createdAt + "]";
    }

    private static Map<String, List<String>> copyFields(Map<String, List<String>> fields) {
        if (fields == null || fields.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        fields.forEach((name, values) -> copy.put(Objects.requireNonNull(name, "field name"),
                values == null ? List.of() : List.copyOf(values)));
        return Collections.unmodifiableMap(copy);
    }

    private static Map<String, String> copyData(Map<String, String> data) {
        if (data == null || data.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        data.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "extension data name"),
                Objects.requireNonNull(value, "extension data value")));
        return Collections.unmodifiableMap(copy);
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
