package io.pushcomponent.core.user;

import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.api.store.AccountPushRegistration;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One feature of a dialect on the user's-server side (service-provider interface): an option a client asks for on
 * {@code <enable/>}, a filter that suppresses some pushes, or an addition to the published notification (an
 * encrypted payload, a priority, a call). Extensions take part only when {@link PushSettings.Variant#EXTENDED} is on.
 *
 * <p>An extension may also speak a push protocol of its own beside XEP-0357 (another enable syntax, notifications
 * sent otherwise than as a publish): {@link #handleRequest} answers its requests, {@link #messageArrived} sends its
 * notifications, {@link #consume} takes the answers to them, {@link #owns} keeps its registrations out of the
 * XEP-0357 publishes and {@link #sessionActive} learns of the account's activity. They reach the host, the settings
 * and the service's scheduler through a {@link ServiceContext}.
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

    // ---- a protocol of the extension's own, beside XEP-0357 ------------------------------------------------------

    /**
     * Answers an IQ request that one of the account's own sessions sent to its account or to the server and that
     * XEP-0357 does not define (e.g. another protocol's enable). The first extension that answers wins.
     *
     * @param account bare JID of the requesting account
     * @param request the request; its {@code from} is one of the account's sessions
     * @param context the host, the settings and the service's scheduler
     * @return the answer (sent through {@link PushHost#send}); empty when the request is not this extension's
     */
    default Optional<Iq> handleRequest(String account, Iq request, ServiceContext context) {
        return Optional.empty();
    }

    /**
     * A message arrived for the account ({@link PushEnablementService#messageArrived}): sends this extension's own
     * notifications, deciding for itself whether the message warrants them. Called before the XEP-0357 decision,
     * whatever it is, when the account has registrations.
     *
     * @param account       bare JID of the recipient
     * @param message       the message
     * @param registrations the account's registrations (of every protocol)
     * @param context       the host, the settings and the service's scheduler
     * @return how many notifications it sent
     */
    default int messageArrived(String account, Message message, List<AccountPushRegistration> registrations,
                               ServiceContext context) {
        return 0;
    }

    /**
     * Takes a stanza the host handed to {@link PushEnablementService#process} that is not a request, when it is the
     * answer to (or an error reply to) a notification this extension sent.
     *
     * @return {@code true} when the stanza was this extension's; the host then does not process it further
     */
    default boolean consume(Stanza stanza, ServiceContext context) {
        return false;
    }

    /**
     * Whether {@code registration} is one this extension stored for its own protocol: the core then neither
     * publishes XEP-0357 notifications to it nor clears its badge.
     */
    default boolean owns(AccountPushRegistration registration) {
        return false;
    }

    /**
     * One of the account's sessions did something a user does (sent a message or a chat state), as the host reports
     * it through {@link PushEnablementService#sessionActive}.
     *
     * @param account  bare JID
     * @param resource the session's resource
     */
    default void sessionActive(String account, String resource, ServiceContext context) {
    }

    /**
     * What the service lends an extension that speaks a protocol of its own.
     *
     * <p>Thread-safe. <b>Lifecycle:</b> valid until the service is closed; tasks left on {@link #scheduler()} are then
     * dropped when the service owns it.
     */
    interface ServiceContext {
        /** The host. */
        PushHost host();

        /** The service's settings. */
        PushSettings settings();

        /** The service's scheduler, for timeouts and retries; tasks on it must not block. */
        ScheduledExecutorService scheduler();

        /** The service's clock. */
        Clock clock();

        /**
         * Takes one of the account's publishes of {@link PushSettings#publishesPerMinute()}; {@code false} when the
         * account has none left (the notification is then not sent).
         */
        boolean tryPublish(String account);
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
