package io.pushcomponent.core.xml.stanza;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;

/**
 * A {@code <presence/>} stanza. Its children ({@code show}, {@code status}, ...) are kept as
 * {@linkplain #extensions() extensions}.
 *
 * <p>Mutable and not thread-safe, like every {@link Stanza}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6121#section-4">RFC 6121 §4 Exchanging Presence Information</a>
 */
@XmlRootElement(name = "presence", namespace = "")
@XmlAccessorType(XmlAccessType.FIELD)
public final class Presence extends Stanza {

    /** An empty presence. */
    public Presence() {
    }

    @Override
    public Presence id(String id) {
        super.id(id);
        return this;
    }

    @Override
    public Presence from(String from) {
        super.from(from);
        return this;
    }

    @Override
    public Presence to(String to) {
        super.to(to);
        return this;
    }

    @Override
    public Presence type(String type) {
        super.type(type);
        return this;
    }

    @Override
    public String elementName() {
        return "presence";
    }
}
