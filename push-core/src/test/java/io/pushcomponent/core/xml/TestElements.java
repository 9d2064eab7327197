package io.pushcomponent.core.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.List;

/**
 * A test-only module's element, contributed through {@code META-INF/services/io.pushcomponent.core.xml.XmlElements}
 * in push-core's test resources, as a dialect module contributes its own.
 */
public final class TestElements implements XmlElements {

    @Override
    public List<Class<?>> elementClasses() {
        return List.of(Flag.class);
    }

    /** {@code <flag xmlns='urn:example:test:flag' level='3'/>}: immutable, as contributed elements should be. */
    @XmlRootElement(name = "flag", namespace = Flag.NAMESPACE)
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Flag {
        static final String NAMESPACE = "urn:example:test:flag";

        @XmlAttribute
        private int level;

        private Flag() {
        }

        Flag(int level) {
            this.level = level;
        }

        int level() {
            return level;
        }
    }
}
