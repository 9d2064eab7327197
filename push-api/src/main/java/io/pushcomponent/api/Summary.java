package io.pushcomponent.api;

/**
 * The XEP-0357 notification summary ({@code urn:xmpp:push:summary} form), as far as the publishing server sent it.
 * Any field may be {@code null}: ejabberd sends no {@code message-count}, servers leave body and sender out for
 * privacy, and an empty {@code <notification/>} carries nothing at all.
 *
 * @param messageCount             {@code message-count}; {@code null} when absent
 * @param lastMessageSender        {@code last-message-sender} (a JID); {@code null} when absent
 * @param lastMessageBody          {@code last-message-body}; {@code null} when absent
 * @param pendingSubscriptionCount {@code pending-subscription-count}; {@code null} when absent
 * @param nickname                 sender's nickname where the server supplies one; {@code null} when absent
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#publishing">XEP-0357 §7 Publishing Notifications</a>
 */
public record Summary(Integer messageCount, String lastMessageSender, String lastMessageBody,
                      Integer pendingSubscriptionCount, String nickname) {

    /** The summary of an empty notification: nothing known. */
    public static final Summary EMPTY = new Summary(null, null, null, null, null);

    public Summary {
        lastMessageSender = blankToNull(lastMessageSender);
        lastMessageBody = blankToNull(lastMessageBody);
        nickname = blankToNull(nickname);
    }

    /** {@code true} when no field is present. */
    public boolean isEmpty() {
        return messageCount == null && lastMessageSender == null && lastMessageBody == null
                && pendingSubscriptionCount == null && nickname == null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Message bodies are private: {@code toString()} shows only their length. */
    @Override
    public String toString() {
        return "Summary[messageCount=" + messageCount + ", lastMessageSender=" + lastMessageSender
                + ", lastMessageBody=" + (lastMessageBody == null ? "null" : "(" + lastMessageBody.length() + " chars)")
                + ", pendingSubscriptionCount=" + pendingSubscriptionCount + ", nickname=" + nickname + "]";
    }
}
