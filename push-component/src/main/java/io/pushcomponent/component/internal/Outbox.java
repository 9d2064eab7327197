package io.pushcomponent.component.internal;

import io.pushcomponent.core.xml.stanza.Stanza;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Where the app server's stanzas of its own go ({@code PushAppServer.Builder#sender}): spread over the component's
 * connections in turn, each falling back to another when its stream is down. Made before the connections exist (they
 * need the app server), which are {@link #attach attached} once made; until then stanzas are dropped.
 *
 * <p>Thread-safe; never blocks.
 */
public final class Outbox implements Consumer<Stanza> {
    private volatile List<ComponentConnection> connections = List.of();
    private final AtomicInteger next = new AtomicInteger();

    /** Sends through {@code group} from now on. */
    public void attach(List<ComponentConnection> group) {
        connections = List.copyOf(group);
    }

    @Override
    public void accept(Stanza stanza) {
        List<ComponentConnection> group = connections;
        if (group.isEmpty()) {
            return;
        }
        group.get(Math.floorMod(next.getAndIncrement(), group.size())).send(stanza);
    }
}
