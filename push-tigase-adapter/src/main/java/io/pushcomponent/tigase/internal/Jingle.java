package io.pushcomponent.tigase.internal;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <jingle xmlns='tigase:push:jingle:0'/>}: empty on {@code <enable/>} (the client wants call pushes); in a
 * notification {@code <jingle sid='…'><media>audio</media></jingle>} for a call proposal, without media for a
 * retraction.
 *
 * <p>Immutable once built or read.
 */
@XmlRootElement(name = "jingle", namespace = TigaseNamespaces.JINGLE)
@XmlType(name = "")
@XmlAccessorType(XmlAccessType.FIELD)
final class Jingle {
    @XmlAttribute
    private String sid;
    @XmlElement(name = "media", namespace = TigaseNamespaces.JINGLE)
    private List<String> media;

    private Jingle() {
    }

    /** The element for a call action. */
    static Jingle of(JingleAction call) {
        Jingle j = new Jingle();
        j.sid = call.sid();
        j.media = call.media().isEmpty() ? null : new ArrayList<>(call.media());
        return j;
    }

    /** {@code true} when it names a medium: a proposal that rings, not a retraction. */
    boolean hasMedia() {
        return media != null && media.stream().anyMatch(m -> m != null && !m.isBlank());
    }
}
