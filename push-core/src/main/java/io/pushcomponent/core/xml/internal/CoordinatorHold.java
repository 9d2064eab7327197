package io.pushcomponent.core.xml.internal;

import io.pushcomponent.core.xml.StanzaCodec;
import jakarta.xml.bind.ValidationEvent;
import jakarta.xml.bind.ValidationEventLocator;
import org.glassfish.jaxb.runtime.v2.runtime.Coordinator;

/**
 * Keeps JAXB's per-thread coordinator slot occupied while {@link StanzaCodec} reads or writes a stanza.
 *
 * <p>Why: the JAXB runtime makes its unmarshalling context the thread's active coordinator around every element
 * and every text node, and when it steps down with no outer coordinator it removes the thread-local entry, so
 * the next element creates it again (a new weak reference and a thread-local map clean-up each time). A JFR
 * profile of {@code PushAppServer.handleXml} on the captured Prosody publish put about a third of the time there
 * ({@code Coordinator.pushCoordinator}/{@code popCoordinator}, {@code ThreadLocalMap.set}/{@code remove}). With
 * this coordinator active around the whole stanza, each step down restores it instead, and the entry lives on.
 * It takes part in nothing else: JAXB only consults the innermost coordinator.
 *
 * <p>Not thread-safe: one instance per thread, entered and exited on that thread; nested use is counted.
 */
public final class CoordinatorHold extends Coordinator {
    private static final ThreadLocal<CoordinatorHold> HOLDS = ThreadLocal.withInitial(CoordinatorHold::new);

    private int depth;

    private CoordinatorHold() {
    }

    /** This thread's hold, entered; {@link #exit()} it in a {@code finally}. */
    public static CoordinatorHold enter() {
        CoordinatorHold hold = HOLDS.get();
        if (hold.depth++ == 0) {
            hold.pushCoordinator();
        }
        return hold;
    }

    public void exit() {
        if (--depth == 0) {
            popCoordinator();
        }
    }

    @Override
    protected ValidationEventLocator getLocation() {
        return null;
    }

    @Override
    public boolean handleEvent(ValidationEvent event) {
        return true;
    }
}
