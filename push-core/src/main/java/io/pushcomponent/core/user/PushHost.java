package io.pushcomponent.core.user;

import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import java.util.List;
import java.util.OptionalInt;

/**
 * What an XMPP server provides to {@link PushEnablementService}: implement these few methods and hand the service the
 * stanzas it asks for (see {@link PushEnablementService} for which).
 *
 * <p><b>Thread-safety:</b> the service calls these methods from whichever threads call the service, and from its
 * scheduler thread (publish timeouts); implementations must be thread-safe. {@link #send} must not block for long.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
public interface PushHost {

    /** The server's domain: the {@code from} of every publish. */
    String domain();

    /**
     * Whether {@code domain} is served by this server: a push service there (the server itself or one of its
     * accounts) is refused at {@code <enable/>}, since publishes to it would go to the server or to a local user
     * rather than to an app server. By default only {@link #domain()} (ignoring case); a server with several
     * virtual hosts overrides this to name them all.
     *
     * @param domain a domain, as written in a JID
     */
    default boolean isLocalDomain(String domain) {
        return domain.equalsIgnoreCase(domain());
    }

    /**
     * Routes a stanza: publishes to app servers (which may be on other servers or be external components), and
     * answers to the account's clients.
     */
    void send(Stanza stanza);

    /**
     * The account's current sessions (resources) with their presence; empty when the account is offline. A
     * XEP-0198 session that is hibernated (its connection gone) should be reported with
     * {@link AccountSession.Presence#NONE}, so that its user gets pushes.
     *
     * @param account bare JID
     */
    List<AccountSession> sessions(String account);

    /** Where the accounts' push registrations live. */
    AccountPushRegistrationStore registrations();

    /**
     * The number of subscription requests waiting for the account's answer, for the summary's
     * {@code pending-subscription-count}; empty (the default) leaves the field out.
     *
     * @param account bare JID
     */
    default OptionalInt pendingSubscriptions(String account) {
        return OptionalInt.empty();
    }
}
