package io.pushcomponent.tigase;

/**
 * The host's roster, as {@code tigase:push:filter:ignore-unknown:0} needs it.
 *
 * <p><b>Thread-safety:</b> implementations are thread-safe. <b>Blocking:</b> may read a database; hosts call the
 * filters off their event loop.
 */
@FunctionalInterface
public interface RosterView {
    /**
     * Whether {@code contact} is a contact of {@code account}: a roster item that is more than a pending inbound
     * subscription request.
     *
     * @param account the account's bare JID
     * @param contact the sender's bare JID
     */
    boolean isKnownContact(String account, String contact);
}
