package io.pushcomponent.tigase.internal;

/**
 * The XML namespaces and feature names of Tigase's push extensions, as Tigase servers and Tigase's clients (Siskin,
 * Beagle, Stork) put them on the wire.
 *
 * <p>Constants only; thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
public final class TigaseNamespaces {
    /** End-to-end encrypted notifications: {@code <encrypt/>} on enable, {@code <encrypted/>} in the notification. */
    public static final String ENCRYPT = "tigase:push:encrypt:0";
    /** Feature: the AES-128-GCM algorithm of {@link #ENCRYPT}. */
    public static final String ENCRYPT_AES_128_GCM = "tigase:push:encrypt:aes-128-gcm";
    /** Notification priority: {@code <priority/>} on enable, {@code <priority>high|low</priority>} in it. */
    public static final String PRIORITY = "tigase:push:priority:0";
    /** Filter: no pushes for messages from the listed JIDs. */
    public static final String FILTER_MUTED = "tigase:push:filter:muted:0";
    /** Filter: pushes for group chat messages only from listed rooms, always or when mentioned. */
    public static final String FILTER_GROUPCHAT = "tigase:push:filter:groupchat:0";
    /** Filter: no pushes for messages from senders outside the account's roster. */
    public static final String FILTER_IGNORE_UNKNOWN = "tigase:push:filter:ignore-unknown:0";
    /** Calls: Jingle Message Initiation proposals become call pushes. */
    public static final String JINGLE = "tigase:push:jingle:0";
    /** Pushes also while every resource is away, xa or dnd ({@code away='true'} on enable). */
    public static final String AWAY = "tigase:push:away:0";
    /** The provider id Siskin and Beagle register with and look for in the component's disco#info. */
    public static final String APNS_PROVIDER_FEATURE = "tigase:messenger:apns:1";
    /** Tigase's older summary form type (releases up to 8.4). */
    public static final String LEGACY_SUMMARY_FORM_TYPE = "urn:xmpp:push:0:summary";
    /** XEP-0353 Jingle Message Initiation. */
    public static final String JINGLE_MESSAGE = "urn:xmpp:jingle-message:0";
    /** XEP-0167 Jingle RTP sessions (the {@code <description media='audio|video'/>} of a proposal). */
    public static final String JINGLE_RTP = "urn:xmpp:jingle:apps:rtp:1";

    private TigaseNamespaces() {
    }
}
