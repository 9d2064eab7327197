package io.pushcomponent.tigase.internal;

import io.pushcomponent.core.xml.XmlElements;
import java.util.List;

/**
 * Tigase's elements as typed members of the XML model ({@link XmlElements}, found by
 * {@link java.util.ServiceLoader}): the {@code <enable/>} children {@code encrypt}, {@code priority}, {@code jingle},
 * {@code muted}, {@code groupchat} and {@code ignore-unknown}, and the notification children {@code encrypted},
 * {@code priority} and {@code jingle}. Other elements stay as the codec keeps unknown ones.
 *
 * <p>Stateless and thread-safe.
 */
public final class TigaseElements implements XmlElements {
    /** For {@link java.util.ServiceLoader}. */
    public TigaseElements() {
    }

    @Override
    public List<Class<?>> elementClasses() {
        return List.of(Encrypt.class, Encrypted.class, Priority.class, Jingle.class, Muted.class, Groupchat.class,
                IgnoreUnknown.class);
    }
}
