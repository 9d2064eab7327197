package io.pushcomponent.conversations;

import io.pushcomponent.conversations.internal.P2AppServer;
import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.dialect.Dialect;

/**
 * Conversations' dialect of XEP-0357: the registration commands of p2, the app server Conversations is built for, so
 * that a build of Conversations pointed at this component registers with it as with p2.
 *
 * <ul>
 *   <li>{@code register-push-fcm}: a one-step command with the fields {@code token} (the FCM registration token) and
 *       {@code android-id} (or {@code device-id}); answered {@code completed} with a form of {@code jid},
 *       {@code node} and {@code secret}, which the client passes to its server's {@code <enable/>}. The same account
 *       and device registering again keep their node; a new token replaces the old one.</li>
 *   <li>{@code unregister-push-fcm}: {@code android-id} (or {@code device-id}); removes that account's registration
 *       of that device.</li>
 *   <li><b>Privacy:</b> a registration is stored under the SHA-1 of the account's bare JID and the device id
 *       (joined by a NUL character), as p2 stores it, never under the JID; that hash is what the push carries as
 *       {@code account}, so that the client, which knows its accounts and its device id, finds the account to wake
 *       up, and Google sees no JID.</li>
 * </ul>
 *
 * <p>Registrations for group chats (the {@code muc} field) are refused with {@code cancel/feature-not-implemented}.
 * {@link java.util.ServiceLoader} creates the dialect; {@code push-component} discovers it. Immutable and
 * thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 * @see <a href="https://xmpp.org/extensions/xep-0050.html">XEP-0050: Ad-Hoc Commands</a>
 */
public final class ConversationsDialect implements Dialect {
    /** The dialect's id. */
    public static final String ID = "conversations";

    private final AppServerDialect appServer = new P2AppServer();

    /** What {@link java.util.ServiceLoader} creates. */
    public ConversationsDialect() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AppServerDialect appServer() {
        return appServer;
    }
}
