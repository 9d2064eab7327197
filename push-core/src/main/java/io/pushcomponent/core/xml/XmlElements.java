package io.pushcomponent.core.xml;

import java.util.List;

/**
 * Element types a module adds to the XML model (service-provider interface): the module says "these elements are
 * mine", and every {@link StanzaCodec} then reads them as those types wherever the model keeps extension elements
 * ({@link io.pushcomponent.core.xml.stanza.Stanza#extensions()}, {@code Notification.other()},
 * {@code Enable.other()}, ...) and writes them back. Elements nobody registered are still kept, as DOM elements.
 *
 * <p>Each class is a JAXB class annotated with {@link jakarta.xml.bind.annotation.XmlRootElement}, which names the
 * element and its namespace; the JAXB context of the process is assembled from push-core's own element classes and
 * every contribution. Two classes that claim the same element name and namespace are an error, reported when the
 * first codec is created, with both classes named.
 *
 * <p>Register an implementation (public, with a public no-argument constructor) for {@link java.util.ServiceLoader}:
 * in {@code META-INF/services/io.pushcomponent.core.xml.XmlElements} and, in a named module,
 * {@code provides io.pushcomponent.core.xml.XmlElements with ...}; a named module also opens the elements' package
 * to {@code jakarta.xml.bind}, {@code org.glassfish.jaxb.runtime} and {@code org.glassfish.jaxb.core}, which bind it
 * by reflection. Or hand implementations to {@link StanzaCodec#create(XmlLimits, java.util.Collection)}.
 *
 * <pre>{@code
 * public final class TigaseElements implements XmlElements {
 *     public List<Class<?>> elementClasses() {
 *         return List.of(Encrypt.class, Encrypted.class, Priority.class);
 *     }
 * }
 * }</pre>
 *
 * <p><b>Thread-safety:</b> {@link #elementClasses()} is called once per process, before the first stanza is read.
 *
 * @see <a href="https://download.igniterealtime.org/smack/docs/latest/documentation/extensions/index.html">Smack:
 * extension elements and their providers</a>
 */
public interface XmlElements {

    /** The element classes this module binds, each annotated with {@code @XmlRootElement}. */
    List<Class<?>> elementClasses();
}
