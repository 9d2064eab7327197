package io.pushcomponent.core.user;

import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.api.store.AccountPushRegistration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An extension of the user's-server side (service-provider interface), such as Tigase's encrypted pushes, priority,
 * muted and groupchat filters or call pushes. Extensions take part only when {@link PushSettings.Variant#EXTENDED}
 * is on.
 *
 * <p>Extensions are found with {@link java.util.ServiceLoader} (register the class in
 * {@code META-INF/services/io.pushcomponent.core.user.PushExtension} and with {@code provides} in
 * {@code module-info}; it needs a public no-argument constructor) by
 * {@link PushEnablementService.Builder#discoverExtensions(ClassLoader)}, or registered explicitly with
 * {@link PushEnablementService.Builder#extension(PushExtension)}. Every method has a default that does nothing.
 *
 * <p><b>Thread-safety:</b> implementations must be thread-safe; the service calls them concurrently. They must not
 * block: they run on the host's stanza-processing threads.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
public interface PushExtension {

    /** A short unique id, e.g. {@code tigase:push:encrypt:0}; two extensions with one id are an error. */
    String id();

    /** Features this extension adds to the account's disco#info, e.g. {@code tigase:push:encrypt:0}. */
    default List<String> discoFeatures() {
        return List.of();
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
     * @param host         the host; an extension that needs more of the server (e.g. the roster, for Tigase's
     *                     {@code ignore-unknown} filter) checks whether the host also implements the interface it needs
     */
    record NotificationContext(String account, AccountPushRegistration registration, Message message, int messageCount,
                               PushSettings settings, PushHost host) {
    }
}
