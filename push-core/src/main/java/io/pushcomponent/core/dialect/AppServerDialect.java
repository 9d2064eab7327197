package io.pushcomponent.core.dialect;

import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.ProviderAlias;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.stanza.Stanza;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The app-server half of a {@link Dialect}: what the XEP-0357 app server adds to its answers and which requests it
 * hands to the dialect. Every method has a default that adds nothing, so a dialect implements only what it speaks.
 *
 * <ul>
 *   <li>{@link #providerAliases()}: other ids its clients send for a provider on {@code register-device}.</li>
 *   <li>{@link #discoFeatures()}: features of the push service's disco#info.</li>
 *   <li>{@link #registerResultFields}: fields of the {@code register-device} result form, from the provider's
 *       neutral capabilities ({@link PushProvider#acceptsEncryptedPayload()}, {@link PushProvider#maxPayloadSize()}).</li>
 *   <li>{@link #mapNotification}: the published {@code <notification/>}'s extension elements onto the
 *       {@link PushRequest}.</li>
 *   <li>{@link #commands()}: ad-hoc commands of its own, listed and run next to {@code register-device}.</li>
 *   <li>{@link #handle}: any other stanza addressed to the push service (a registration IQ of another protocol, a
 *       publish the core would not accept, a notification sent as a message), offered to the dialect before the
 *       core serves it.</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> implementations are thread-safe; the app server calls them concurrently. They must not
 * block: blocking work (the store) runs on {@link AppServerContext#executor()}.
 *
 * @see Dialect#appServer()
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#publishing">XEP-0357 §7 Publishing Notifications</a>
 * @see <a href="https://xmpp.org/extensions/xep-0050.html">XEP-0050: Ad-Hoc Commands</a>
 */
public interface AppServerDialect {
    /** A half that adds nothing. */
    AppServerDialect NONE = new AppServerDialect() {
    };

    /**
     * Ids this dialect's clients send for providers, each naming the canonical provider id and the artifact that
     * provider comes from (so that a missing provider can be named). An alias of a provider that is not configured is
     * ignored; an alias claimed twice is an error.
     */
    default List<ProviderAlias> providerAliases() {
        return List.of();
    }

    /** Extra features of the push service's disco#info (besides the provider ids and aliases, which it lists). */
    default List<String> discoFeatures() {
        return List.of();
    }

    /**
     * Extra fields of the {@code register-device} result form for a registration just made.
     *
     * @param registration the stored registration
     * @param provider     its provider, for its capabilities
     */
    default List<DataForm.Field> registerResultFields(DeviceRegistration registration, PushProvider provider) {
        return List.of();
    }

    /**
     * The request to send for a published notification.
     *
     * @param request    what the app server built from the summary form (a background wake-up when there is none),
     *                   or what a dialect before this one made of it
     * @param extensions the {@code <notification/>}'s children other than the summary form, in document order: typed
     *                   objects for elements whose classes are registered with the XML codec, DOM
     *                   {@link org.w3c.dom.Element}s for the others
     * @return the request to send; {@code request} itself when nothing applies
     * @throws IllegalArgumentException when an extension is malformed; the publisher gets {@code modify/bad-request}
     *                                  with the message as text
     */
    default PushRequest mapNotification(PushRequest request, List<Object> extensions) {
        return request;
    }

    /** Ad-hoc commands of this dialect; their nodes must differ from the core's and from other dialects'. */
    default List<DialectCommand> commands() {
        return List.of();
    }

    /**
     * Handles a stanza addressed to the push service, if it is this dialect's: an IQ request (other than disco and
     * ad-hoc commands), a message or a presence. Dialects are asked in order before the core serves the stanza.
     *
     * @return empty when the stanza is not this dialect's (the next dialect or the core serves it); otherwise the
     *         stanzas to send, the answer to an IQ request first (exactly one); the stage may complete exceptionally,
     *         which answers an IQ request with {@code wait/internal-server-error}
     */
    default Optional<CompletionStage<List<Stanza>>> handle(Stanza stanza, AppServerContext context) {
        return Optional.empty();
    }
}
