package io.pushcomponent.core.xml.internal;

import io.pushcomponent.api.ServiceDiscovery;
import io.pushcomponent.core.xml.XmlElements;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.disco.DiscoInfo;
import io.pushcomponent.core.xml.disco.DiscoItems;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.push.Disable;
import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Presence;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlSchema;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.namespace.QName;

/**
 * The JAXB contexts the codec binds with: push-core's own element classes plus those that {@link XmlElements}
 * contribute, checked so that no element name and namespace is claimed twice.
 *
 * <p>Thread-safe. A context is created once per distinct set of classes (creating one costs tens of milliseconds);
 * the discovered contributions are looked up once per process and logged then.
 */
public final class ElementTypes {

    /** push-core's own root elements: the stanzas and the extensions XEP-0357 needs. */
    private static final List<Class<?>> CORE = List.of(Iq.class, Message.class, Presence.class, DiscoInfo.class,
            DiscoItems.class, Command.class, DataForm.class, PubSub.class, Notification.class, Enable.class,
            Disable.class);

    private static final Map<Set<Class<?>>, JAXBContext> CONTEXTS = new ConcurrentHashMap<>();
    private static volatile JAXBContext discovered;

    private ElementTypes() {
    }

    /** The context of push-core's elements and every {@link XmlElements} that {@link ServiceLoader} finds. */
    public static JAXBContext discovered() {
        JAXBContext context = discovered;
        if (context == null) {
            synchronized (ElementTypes.class) {
                context = discovered;
                if (context == null) {
                    context = context(classes(load()));
                    discovered = context;
                }
            }
        }
        return context;
    }

    /** The context of push-core's elements and {@code contributions}, without discovery. */
    public static JAXBContext of(Collection<? extends XmlElements> contributions) {
        return context(classes(contributions));
    }

    private static JAXBContext context(Set<Class<?>> classes) {
        return CONTEXTS.computeIfAbsent(classes, c -> {
            try {
                return JAXBContext.newInstance(c.toArray(Class<?>[]::new));
            } catch (JAXBException e) {
                throw new IllegalStateException("cannot bind the XML element classes " + c + ": " + e, e);
            }
        });
    }

    /**
     * push-core's classes, then each contribution's, in order; a class without {@code @XmlRootElement} or an
     * element that two classes claim is an {@link IllegalArgumentException} naming them.
     */
    static Set<Class<?>> classes(Collection<? extends XmlElements> contributions) {
        Map<QName, Class<?>> owners = new LinkedHashMap<>();
        Set<Class<?>> classes = new LinkedHashSet<>();
        for (Class<?> type : CORE) {
            claim(owners, classes, type, "push-core");
        }
        for (XmlElements contribution : contributions) {
            String by = contribution.getClass().getName();
            List<Class<?>> contributed = contribution.elementClasses();
            if (contributed == null) {
                throw new IllegalArgumentException(by + ".elementClasses() returned null");
            }
            for (Class<?> type : contributed) {
                claim(owners, classes, type, by);
            }
        }
        return Collections.unmodifiableSet(classes);
    }

    private static void claim(Map<QName, Class<?>> owners, Set<Class<?>> classes, Class<?> type, String by) {
        if (type == null) {
            throw new IllegalArgumentException(by + " contributes a null element class");
        }
        XmlRootElement root = type.getAnnotation(XmlRootElement.class);
        if (root == null) {
            throw new IllegalArgumentException(type.getName() + " (contributed by " + by
                    + ") has no @XmlRootElement, so it names no element to bind");
        }
        QName name = elementName(type, root);
        Class<?> previous = owners.putIfAbsent(name, type);
        if (previous != null && previous != type) {
            throw new IllegalArgumentException("two classes claim the element " + name + ": "
                    + previous.getName() + " and " + type.getName() + " (contributed by " + by + ")");
        }
        classes.add(type);
    }

    /** The element a root class binds, with JAXB's defaults for {@code ##default}. */
    static QName elementName(Class<?> type, XmlRootElement root) {
        String local = "##default".equals(root.name()) ? decapitalize(type.getSimpleName()) : root.name();
        String ns = root.namespace();
        if ("##default".equals(ns)) {
            XmlSchema schema = type.getPackage() == null ? null : type.getPackage().getAnnotation(XmlSchema.class);
            ns = schema == null ? "" : schema.namespace();
        }
        return new QName(ns, local);
    }

    /** JAXB's default element name of a class: {@code Flag} → {@code flag}, {@code URLList} → {@code URLList}. */
    private static String decapitalize(String name) {
        if (name.length() > 1 && Character.isUpperCase(name.charAt(1)) && Character.isUpperCase(name.charAt(0))) {
            return name;
        }
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static List<XmlElements> load() {
        return ServiceDiscovery.load(XmlElements.class, ElementTypes.class.getClassLoader(),
                e -> "XML elements " + e.elementClasses().stream().map(Class::getName).toList()).services();
    }
}
