package io.pushcomponent.component.internal;

import io.pushcomponent.core.xml.stanza.Stanza;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What a connection hands each stanza it reads to; the replies go back on the same connection.
 *
 * <p>Implementations are thread-safe and never block: every connection calls from its own reader thread.
 */
@FunctionalInterface
public interface StanzaHandler {
    /** The replies to {@code stanza}; an IQ request must get exactly one. */
    CompletionStage<List<Stanza>> handle(Stanza stanza);
}
