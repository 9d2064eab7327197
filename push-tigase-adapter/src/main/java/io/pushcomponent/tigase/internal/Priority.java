package io.pushcomponent.tigase.internal;

import io.pushcomponent.api.PushPriority;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import jakarta.xml.bind.annotation.XmlValue;
import java.util.Optional;

/**
 * {@code <priority xmlns='tigase:push:priority:0'/>}: empty on {@code <enable/>} (the client wants priorities),
 * {@code high} or {@code low} in a notification.
 *
 * <p>Immutable once built or read.
 */
@XmlRootElement(name = "priority", namespace = TigaseNamespaces.PRIORITY)
@XmlType(name = "")
@XmlAccessorType(XmlAccessType.FIELD)
final class Priority {
    @XmlValue
    private String value;

    private Priority() {
    }

    /** {@code high} for {@link PushPriority#HIGH}, {@code low} otherwise. */
    static Priority of(PushPriority priority) {
        Priority p = new Priority();
        p.value = priority == PushPriority.HIGH ? "high" : "low";
        return p;
    }

    /** The text: {@code high}, {@code low}, or anything else a server sent. */
    String value() {
        return value == null ? "" : value.trim();
    }

    /** {@code high} and {@code low} as priorities; empty for other values, which are ignored. */
    Optional<PushPriority> priority() {
        return switch (value()) {
            case "high" -> Optional.of(PushPriority.HIGH);
            case "low" -> Optional.of(PushPriority.NORMAL);
            default -> Optional.empty();
        };
    }
}
