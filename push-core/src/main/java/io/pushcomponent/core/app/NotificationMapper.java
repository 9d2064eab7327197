package io.pushcomponent.core.app;

import io.pushcomponent.api.PushRequest;
import java.util.List;
import org.w3c.dom.Element;

/**
 * Adjusts the {@link PushRequest} the app server built from a published notification's summary form, using the
 * notification's other children: the hook for dialects such as Tigase's {@code <encrypted xmlns='tigase:push:encrypt:0'/>}
 * and {@code <priority xmlns='tigase:push:priority:0'/>}.
 *
 * <p>Implementations are thread-safe and do not block.
 *
 * @see PushAppServer.Builder#notificationMapper(NotificationMapper)
 */
@FunctionalInterface
public interface NotificationMapper {
    /** Leaves the request as built from the summary form. */
    NotificationMapper NONE = (request, extensions) -> request;

    /**
     * The request to send.
     *
     * @param request    what the app server built from the summary form (a background wake-up when there is none)
     * @param extensions the {@code <notification/>}'s children other than the summary form, in document order
     * @return the request to send, {@code request} itself when nothing applies
     * @throws IllegalArgumentException when an extension is malformed; the publisher gets {@code modify/bad-request}
     *                                  with the message as text
     */
    PushRequest map(PushRequest request, List<Element> extensions);
}
