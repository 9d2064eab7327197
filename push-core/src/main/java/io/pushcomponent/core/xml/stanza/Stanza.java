package io.pushcomponent.core.xml.stanza;

import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.StanzaCodec;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyAttribute;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlTransient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.namespace.QName;

/**
 * An XMPP stanza: {@link Iq}, {@link Message} or {@link Presence}, with its addressing attributes, an optional
 * {@link StanzaError} and its extension elements.
 *
 * <p>Extensions the XML layer models (pubsub, ad-hoc commands, data forms, push notifications, ...) are read as
 * those types; any other element is kept as a DOM {@link org.w3c.dom.Element} and written back as it
 * came, so nothing a server sends is lost. Unknown attributes are kept in {@link #otherAttributes()}.
 *
 * <p>Stanzas are mutable JAXB objects and not thread-safe: build or read one, then hand it over; do not share one
 * between threads while it changes. Read and write them with {@link StanzaCodec}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-8">RFC 6120 §8 XML Stanzas</a>
 */
@XmlTransient
@XmlAccessorType(XmlAccessType.FIELD)
public abstract sealed class Stanza permits Iq, Message, Presence {
    @XmlAttribute
    private String id;
    @XmlAttribute
    private String from;
    @XmlAttribute
    private String to;
    @XmlAttribute
    private String type;
    @XmlAttribute(namespace = Namespaces.XML)
    private String lang;
    @XmlAnyAttribute
    private Map<QName, String> otherAttributes;
    @XmlElement(name = "error", namespace = "")
    private StanzaError error;
    @XmlAnyElement(lax = true)
    private List<Object> extensions;

    Stanza() {
    }

    /** The {@code id} attribute, or {@code null}. */
    public String id() {
        return id;
    }

    /** Sets the {@code id} attribute. */
    public Stanza id(String id) {
        this.id = id;
        return this;
    }

    /** The {@code from} attribute (a JID), or {@code null}. */
    public String from() {
        return from;
    }

    /** Sets the {@code from} attribute. */
    public Stanza from(String from) {
        this.from = from;
        return this;
    }

    /** The {@code to} attribute (a JID), or {@code null}. */
    public String to() {
        return to;
    }

    /** Sets the {@code to} attribute. */
    public Stanza to(String to) {
        this.to = to;
        return this;
    }

    /** The {@code type} attribute, or {@code null}. */
    public String type() {
        return type;
    }

    /** Sets the {@code type} attribute. */
    public Stanza type(String type) {
        this.type = type;
        return this;
    }

    /** The {@code xml:lang} attribute, or {@code null}. */
    public String lang() {
        return lang;
    }

    /** Attributes other than {@code id}, {@code from}, {@code to}, {@code type} and {@code xml:lang}; live. */
    public Map<QName, String> otherAttributes() {
        if (otherAttributes == null) {
            otherAttributes = new HashMap<>();
        }
        return otherAttributes;
    }

    /** The {@code <error/>} child. */
    public Optional<StanzaError> error() {
        return Optional.ofNullable(error);
    }

    /** Sets the {@code <error/>} child ({@code null} removes it). */
    public Stanza error(StanzaError error) {
        this.error = error;
        return this;
    }

    /**
     * The child elements other than {@code <error/>} (and a message's {@code <body/>}), in document order: model
     * objects for the extensions this package knows, DOM elements for the rest. Live: add to it to extend.
     */
    public List<Object> extensions() {
        if (extensions == null) {
            extensions = new ArrayList<>(2);
        }
        return extensions;
    }

    /** The first extension of a modelled type, e.g. {@code extension(PubSub.class)}. */
    public <T> Optional<T> extension(Class<T> type) {
        if (extensions != null) {
            for (Object o : extensions) {
                if (type.isInstance(o)) {
                    return Optional.of(type.cast(o));
                }
            }
        }
        return Optional.empty();
    }

    /** Adds an extension element (a model object, a DOM element or a {@code JAXBElement}). */
    public Stanza add(Object extension) {
        extensions().add(extension);
        return this;
    }

    /**
     * {@code true} when the stanza's common parts are nothing but its addressing attributes ({@code id},
     * {@code from}, {@code to}, {@code type}): no {@code xml:lang}, other attributes, error or extensions. For an
     * {@link Iq}, which has nothing else, that is the whole stanza, as for most IQ results.
     */
    public boolean isAddressingOnly() {
        return lang == null && (otherAttributes == null || otherAttributes.isEmpty()) && error == null
                && (extensions == null || extensions.isEmpty());
    }

    /** The element name: {@code iq}, {@code message} or {@code presence}. */
    public abstract String elementName();
}
