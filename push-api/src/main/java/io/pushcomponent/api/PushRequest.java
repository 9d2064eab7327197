package io.pushcomponent.api;

import java.util.Objects;

/**
 * One push to one device, as handed to a {@link PushProvider}.
 *
 * @param device      where it goes
 * @param account     the user's account (bare JID) the notification is about, for clients with several
 *                    accounts; {@code null} when unknown
 * @param summary     the XEP-0357 summary; {@link Summary#EMPTY} for a wake-up
 * @param kind        what it is for
 * @param priority    how urgent it is
 * @param encrypted   an end-to-end encrypted payload to pass through; {@code null} when none
 * @param collapseKey a key that lets the provider replace an undelivered older push; {@code null} for none
 */
public record PushRequest(Device device, String account, Summary summary, PushKind kind, PushPriority priority,
                          EncryptedPayload encrypted, String collapseKey) {
    public PushRequest {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(priority, "priority");
    }

    /** A message push with the usual priority for its content: high with a body or a count, normal otherwise. */
    public static PushRequest message(Device device, String account, Summary summary) {
        boolean visible = summary.lastMessageBody() != null
                || (summary.messageCount() != null && summary.messageCount() > 0);
        return new PushRequest(device, account, summary, visible ? PushKind.MESSAGE : PushKind.BACKGROUND,
                visible ? PushPriority.HIGH : PushPriority.NORMAL, null, account);
    }
}
