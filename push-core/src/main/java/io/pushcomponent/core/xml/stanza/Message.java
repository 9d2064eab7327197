package io.pushcomponent.core.xml.stanza;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.Optional;

/**
 * A {@code <message/>} stanza. Only the {@code <body/>} is modelled; every other child is an
 * {@linkplain #extensions() extension}.
 *
 * <p>Mutable and not thread-safe, like every {@link Stanza}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6121#section-5">RFC 6121 §5 Exchanging Messages</a>
 */
@XmlRootElement(name = "message", namespace = "")
@XmlAccessorType(XmlAccessType.FIELD)
public final class Message extends Stanza {
    @XmlElement(name = "body", namespace = "")
    private String body;

    /** An empty message. */
    public Message() {
    }

    /** A message from {@code from} to {@code to} carrying {@code extension}, with a random id. */
    public static Message of(String from, String to, Object extension) {
        Message m = new Message().id(StanzaIds.next()).from(from).to(to);
        if (extension != null) {
            m.add(extension);
        }
        return m;
    }

    /** The body text. */
    public Optional<String> body() {
        return Optional.ofNullable(body);
    }

    /** Sets the body text. */
    public Message body(String body) {
        this.body = body;
        return this;
    }

    @Override
    public Message id(String id) {
        super.id(id);
        return this;
    }

    @Override
    public Message from(String from) {
        super.from(from);
        return this;
    }

    @Override
    public Message to(String to) {
        super.to(to);
        return this;
    }

    @Override
    public Message type(String type) {
        super.type(type);
        return this;
    }

    @Override
    public Message error(StanzaError error) {
        super.error(error);
        return this;
    }

    @Override
    public Message add(Object extension) {
        super.add(extension);
        return this;
    }

    @Override
    public String elementName() {
        return "message";
    }
}
