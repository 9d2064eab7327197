package io.pushcomponent.tigase;

import java.util.List;
import org.w3c.dom.Element;

/**
 * What Tigase's extensions add to one published notification.
 *
 * @param replacesSummary {@code true} when the summary form must be left out: the {@code <encrypted/>} element
 *                        carries its content for the device alone
 * @param elements        children to append to {@code <notification xmlns='urn:xmpp:push:0'/>}, in order
 */
public record NotificationExtras(boolean replacesSummary, List<Element> elements) {
    public NotificationExtras {
        elements = List.copyOf(elements);
    }
}
