package io.pushcomponent.core.user;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How the user's-server side behaves (immutable). Start from {@link #defaults()} and change what you need:
 *
 * <pre>{@code
 * PushSettings settings = PushSettings.defaults().toBuilder().includeSender(true).awayMode(true).build();
 * }</pre>
 *
 * @param includeBody             put the message body into {@code last-message-body}; default {@code false}, because
 *                                the app server and the push provider then read every message (privacy)
 * @param includeSender           put the sender's bare JID into {@code last-message-sender}; default {@code false}
 * @param placeholderBody         when the body is not included, the {@code last-message-body} to send instead (like
 *                                Prosody's {@code "New Message!"}), so that devices show an alert; default
 *                                {@code null}: no body field at all
 * @param awayMode                also notify when every available resource is away/xa/dnd, for registrations whose
 *                                client asked for it through a dialect's extension
 *                                ({@link PushExtension#notifiesWhileAway}); default {@code false}
 * @param variants                which notification processors are on, plain XEP-0357 ({@code urn:xmpp:push:0}) and
 *                                with the extensions ({@code urn:xmpp:push:0:ext}); default {@link Variant#STANDARD} only. With both on,
 *                                each message is still decided once, so it never produces two pushes
 * @param maxRegistrationsPerAccount at most this many registrations per account; enabling one more drops the oldest;
 *                                default 5
 * @param maxConsecutiveErrors    a registration whose publishes failed transiently ({@code wait} errors, timeouts)
 *                                this many times in a row is removed; default 16 (Prosody's {@code push_max_errors})
 * @param publishTimeout          how long to wait for the app server's answer before counting a timeout; default
 *                                60 seconds
 * @param notifyOfflineMessagesFetched send a {@code message-count} 0 notification (clears the badge) when the
 *                                account fetched its offline messages; default {@code true}
 * @param publishesPerMinute      how many messages per minute may lead to publishes for one account (each to every
 *                                registration it applies to; a token bucket of that size, refilled evenly), so that
 *                                a flood of messages to one account, or an app server chosen to be flooded, gets a
 *                                bounded number of publishes; messages over it publish nothing (the devices were
 *                                just woken anyway); badge clears ({@code message-count} 0) are not limited;
 *                                default 60, 0 for no limit
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#publishing">XEP-0357 §7 Publishing Notifications</a>
 */
public record PushSettings(boolean includeBody, boolean includeSender, String placeholderBody, boolean awayMode,
                           Set<Variant> variants, int maxRegistrationsPerAccount, int maxConsecutiveErrors,
                           Duration publishTimeout, boolean notifyOfflineMessagesFetched, int publishesPerMinute) {

    public PushSettings {
        Objects.requireNonNull(variants, "variants");
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("at least one variant must be on: " + Set.of(Variant.values()));
        }
        variants = Set.copyOf(variants);
        if (maxRegistrationsPerAccount < 1) {
            throw new IllegalArgumentException("maxRegistrationsPerAccount must be at least 1, not "
                    + maxRegistrationsPerAccount);
        }
        if (maxConsecutiveErrors < 1) {
            throw new IllegalArgumentException("maxConsecutiveErrors must be at least 1, not " + maxConsecutiveErrors);
        }
        Objects.requireNonNull(publishTimeout, "publishTimeout");
        if (publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("publishTimeout must be positive, not " + publishTimeout);
        }
        if (publishesPerMinute < 0) {
            throw new IllegalArgumentException("publishesPerMinute must not be negative (0 switches the limit off), not "
                    + publishesPerMinute);
        }
        if (placeholderBody != null && placeholderBody.isBlank()) {
            placeholderBody = null;
        }
    }

    /** The documented defaults. */
    public static PushSettings defaults() {
        return new PushSettings(false, false, null, false, EnumSet.of(Variant.STANDARD), 5, 16,
                Duration.ofSeconds(60), true, 60);
    }

    /** {@code true} when {@link Variant#EXTENDED} is on: extensions take part. */
    public boolean extended() {
        return variants.contains(Variant.EXTENDED);
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The notification processors: plain XEP-0357, and XEP-0357 with the dialects' extensions.
     *
     * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357</a>
     */
    public enum Variant {
        /** {@code urn:xmpp:push:0}: plain XEP-0357; {@link PushExtension}s are not consulted. */
        STANDARD("urn:xmpp:push:0"),
        /**
         * {@code urn:xmpp:push:0:ext}: XEP-0357 plus the registered {@link PushExtension}s (they parse extra
         * {@code <enable/>} children, trigger, filter and alter notifications, and add disco features).
         */
        EXTENDED("urn:xmpp:push:0:ext");

        private final String id;

        Variant(String id) {
            this.id = id;
        }

        /** The processor id, as server configurations name it. */
        public String id() {
            return id;
        }
    }

    /** Builds {@link PushSettings}; not thread-safe. */
    public static final class Builder {
        private boolean includeBody;
        private boolean includeSender;
        private String placeholderBody;
        private boolean awayMode;
        private Set<Variant> variants;
        private int maxRegistrationsPerAccount;
        private int maxConsecutiveErrors;
        private Duration publishTimeout;
        private boolean notifyOfflineMessagesFetched;
        private int publishesPerMinute;

        private Builder(PushSettings from) {
            includeBody = from.includeBody;
            includeSender = from.includeSender;
            placeholderBody = from.placeholderBody;
            awayMode = from.awayMode;
            variants = from.variants;
            maxRegistrationsPerAccount = from.maxRegistrationsPerAccount;
            maxConsecutiveErrors = from.maxConsecutiveErrors;
            publishTimeout = from.publishTimeout;
            notifyOfflineMessagesFetched = from.notifyOfflineMessagesFetched;
            publishesPerMinute = from.publishesPerMinute;
        }

        /** See {@link PushSettings#includeBody()}. */
        public Builder includeBody(boolean value) {
            includeBody = value;
            return this;
        }

        /** See {@link PushSettings#includeSender()}. */
        public Builder includeSender(boolean value) {
            includeSender = value;
            return this;
        }

        /** See {@link PushSettings#placeholderBody()}. */
        public Builder placeholderBody(String value) {
            placeholderBody = value;
            return this;
        }

        /** See {@link PushSettings#awayMode()}. */
        public Builder awayMode(boolean value) {
            awayMode = value;
            return this;
        }

        /** See {@link PushSettings#variants()}. */
        public Builder variants(Variant first, Variant... more) {
            variants = EnumSet.of(first, more);
            return this;
        }

        /** See {@link PushSettings#maxRegistrationsPerAccount()}. */
        public Builder maxRegistrationsPerAccount(int value) {
            maxRegistrationsPerAccount = value;
            return this;
        }

        /** See {@link PushSettings#maxConsecutiveErrors()}. */
        public Builder maxConsecutiveErrors(int value) {
            maxConsecutiveErrors = value;
            return this;
        }

        /** See {@link PushSettings#publishTimeout()}. */
        public Builder publishTimeout(Duration value) {
            publishTimeout = value;
            return this;
        }

        /** See {@link PushSettings#notifyOfflineMessagesFetched()}. */
        public Builder notifyOfflineMessagesFetched(boolean value) {
            notifyOfflineMessagesFetched = value;
            return this;
        }

        /** See {@link PushSettings#publishesPerMinute()}. */
        public Builder publishesPerMinute(int value) {
            publishesPerMinute = value;
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException when a value is out of range; the message names it
         */
        public PushSettings build() {
            return new PushSettings(includeBody, includeSender, placeholderBody, awayMode, variants,
                    maxRegistrationsPerAccount, maxConsecutiveErrors, publishTimeout, notifyOfflineMessagesFetched,
                    publishesPerMinute);
        }
    }
}
