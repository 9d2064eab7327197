package io.pushcomponent.core.user;

import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.api.store.AccountPushRegistration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One feature of a dialect on the user's-server side (service-provider interface): an option a client asks for on
 * {@code <enable/>}, a filter that suppresses some pushes, or an addition to the published notification (an
 * encrypted payload, a priority, a call). Extensions take part only when {@link PushSettings.Variant#EXTENDED} is on.
 *
 * <p>A {@link io.pushcomponent.core.dialect.Dialect} contributes its extensions through
 * {@link io.pushcomponent.core.dialect.Dialect#userServer()}, one per feature;
 * {@link PushEnablementService.Builder#discoverExtensions(ClassLoader)} adds those of every dialect
 * {@link java.util.ServiceLoader} finds, {@link PushEnablementService.Builder#dialect} those of one dialect and
 * {@link PushEnablementService.Builder#extension(PushExtension)} a single one. Every method has a default that does
 * nothing.
 *
 * <p><b>Thread-safety:</b> implementations must be thread-safe; the service calls them concurrently. They must not
 * block: they run on the host's stanza-processing threads.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
public interface PushExtension {

    /** A short unique id, e.g. the namespace of the feature; two extensions with one id are an error. */
    String id();

    /**
     * Features this extension adds to the account's disco#info.
     *
     * @param settings the service's settings, for features that are advertised only with a setting on (e.g. one that
     *                 needs {@link PushSettings#awayMode()})
     */
    default List<String> discoFeatures(PushSettings settings) {
        return List.of();
    }

    /**
     * Whether the client asked, in this extension's syntax, to be notified also while all its resources are away
     * (stored as {@link io.pushcomponent.api.store.AccountPushRegistration#away()}; it takes effect with
     * {@link PushSettings#awayMode()}).
     */
    default boolean notifiesWhileAway(Enable enable) {
        return false;
    }

    /**
     * Reads this extension's children or attributes of an {@code <enable/>} (e.g. {@code <encrypt/>}) into data stored
     * with the registration ({@link AccountPushRegistration#extensionData()}). Keys should start with the extension's id so
     * that extensions do not collide.
     *
     * @return the data to store; empty when the enable does not concern this extension
     * @throws IllegalArgumentException when the enable is malformed for this extension; the client gets
     *                                  {@code modify/bad-request} with the exception's message as text
     */
    default Map<String, String> parseEnable(Enable enable) {
        return Map.of();
    }

    /**
     * Whether a message without a body or OMEMO payload still warrants a push (e.g. a Jingle call proposal). The other
     * rules (not from the account's own resources, only when offline or all away) still apply.
     */
    default boolean triggers(String account, Message message) {
        return false;
    }

    /**
     * Alters or suppresses the notification published to one registration. Called in registration order of the
     * extensions; each sees the previous one's result.
     *
     * @param context      what the notification is about
     * @param notification the notification so far (may be replaced by a new one)
     * @return the notification to publish; empty suppresses the push for this registration
     */
    default Optional<Notification> apply(NotificationContext context, Notification notification) {
        return Optional.of(notification);
    }

    /**
     * What a notification is about.
     *
     * @param account      bare JID of the account
     * @param registration the registration it goes to
     * @param message      the message that caused it; {@code null} for the {@code message-count} 0 notification sent
     *                     after offline messages were fetched
     * @param messageCount the count in the summary
     * @param settings     the service's settings (whether body and sender may be included)
     * @param host         the host; an extension that needs more of the server (e.g. the roster, for a filter of
     *                     messages from unknown senders) checks whether the host also implements the interface it needs
     */
    record NotificationContext(String account, AccountPushRegistration registration, Message message, int messageCount,
                               PushSettings settings, PushHost host) {
    }
}
