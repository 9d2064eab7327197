package io.pushcomponent.core.user;

import io.pushcomponent.core.xml.stanza.Stanza;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.w3c.dom.Element;

/** Finds extension elements the XML model keeps as DOM elements (or JAXB elements) by name and namespace. */
final class Elements {
    private Elements() {
    }

    static boolean has(Stanza stanza, String namespace, String name) {
        return find(stanza.extensions(), namespace, name).isPresent();
    }

    /** The first DOM element with this name and namespace. */
    static Optional<Element> find(List<Object> children, String namespace, String name) {
        for (Object child : children) {
            if (child instanceof Element e && name.equals(e.getLocalName())
                    && Objects.equals(namespace, e.getNamespaceURI())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
