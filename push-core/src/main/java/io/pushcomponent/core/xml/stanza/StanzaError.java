package io.pushcomponent.core.xml.stanza;

import io.pushcomponent.core.xml.Namespaces;
import jakarta.xml.bind.JAXBElement;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import jakarta.xml.bind.annotation.XmlValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.namespace.QName;
import org.w3c.dom.Element;

/**
 * An RFC 6120 stanza error: a type, a defined condition, an optional human-readable text and optional
 * application-specific conditions (such as XEP-0050's {@code <bad-sessionid/>}).
 *
 * <pre>{@code
 * StanzaError e = StanzaError.of(StanzaError.Type.CANCEL, StanzaError.Condition.ITEM_NOT_FOUND, "no such node");
 * }</pre>
 *
 * <p>Mutable JAXB object; not thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-8.3">RFC 6120 §8.3 Stanza Errors</a>
 */
@XmlType(propOrder = {"conditions", "text"})
@XmlAccessorType(XmlAccessType.FIELD)
public final class StanzaError {

    /** The error type: what the sender should do about it. */
    public enum Type {
        /** Retry after providing credentials. */
        AUTH,
        /** Do not retry (the error cannot be remedied). */
        CANCEL,
        /** Proceed (the condition was only a warning). */
        CONTINUE,
        /** Retry after changing the data sent. */
        MODIFY,
        /** Retry after waiting (the error is temporary). */
        WAIT;

        /** The attribute value. */
        public String xmlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Type fromXml(String value) {
            if (value != null) {
                for (Type t : values()) {
                    if (t.xmlName().equals(value)) {
                        return t;
                    }
                }
            }
            return null;
        }
    }

    /** The defined conditions of RFC 6120 §8.3.3. */
    public enum Condition {
        BAD_REQUEST(Type.MODIFY),
        CONFLICT(Type.CANCEL),
        FEATURE_NOT_IMPLEMENTED(Type.CANCEL),
        FORBIDDEN(Type.AUTH),
        GONE(Type.CANCEL),
        INTERNAL_SERVER_ERROR(Type.WAIT),
        ITEM_NOT_FOUND(Type.CANCEL),
        JID_MALFORMED(Type.MODIFY),
        NOT_ACCEPTABLE(Type.MODIFY),
        NOT_ALLOWED(Type.CANCEL),
        NOT_AUTHORIZED(Type.AUTH),
        POLICY_VIOLATION(Type.MODIFY),
        RECIPIENT_UNAVAILABLE(Type.WAIT),
        REDIRECT(Type.MODIFY),
        REGISTRATION_REQUIRED(Type.AUTH),
        REMOTE_SERVER_NOT_FOUND(Type.CANCEL),
        REMOTE_SERVER_TIMEOUT(Type.WAIT),
        RESOURCE_CONSTRAINT(Type.WAIT),
        SERVICE_UNAVAILABLE(Type.CANCEL),
        SUBSCRIPTION_REQUIRED(Type.AUTH),
        UNDEFINED_CONDITION(Type.CANCEL),
        UNEXPECTED_REQUEST(Type.WAIT);

        private final Type defaultType;
        private final String xmlName;

        Condition(Type defaultType) {
            this.defaultType = defaultType;
            this.xmlName = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** The element name, e.g. {@code item-not-found}. */
        public String xmlName() {
            return xmlName;
        }

        /** The type RFC 6120 suggests for this condition. */
        public Type defaultType() {
            return defaultType;
        }

        /** The condition of an element name; {@code undefined-condition} for names RFC 6120 does not define. */
        public static Condition fromXml(String name) {
            for (Condition c : values()) {
                if (c.xmlName.equals(name)) {
                    return c;
                }
            }
            return UNDEFINED_CONDITION;
        }
    }

    @XmlAttribute
    private String type;
    @XmlAttribute
    private String by;
    @XmlAnyElement(lax = true)
    private List<Object> conditions;
    @XmlElement(name = "text", namespace = Namespaces.STANZAS)
    private Text text;

    @XmlAccessorType(XmlAccessType.FIELD)
    static final class Text {
        @XmlAttribute(namespace = Namespaces.XML)
        String lang;
        @XmlValue
        String value;
    }

    /** An empty error, for JAXB. */
    StanzaError() {
    }

    /** An error with a type, a condition and, unless {@code text} is {@code null}, a text. */
    public static StanzaError of(Type type, Condition condition, String text) {
        StanzaError e = new StanzaError();
        e.type = type.xmlName();
        e.conditions = new ArrayList<>(2);
        e.conditions.add(emptyElement(Namespaces.STANZAS, condition.xmlName()));
        if (text != null) {
            e.text = new Text();
            e.text.value = text;
        }
        return e;
    }

    /** An error with the condition's default type. */
    public static StanzaError of(Condition condition, String text) {
        return of(condition.defaultType(), condition, text);
    }

    /** Adds an application-specific condition element {@code <name xmlns='namespace'/>}. */
    public StanzaError withApplicationCondition(String namespace, String name) {
        conditions().add(emptyElement(namespace, name));
        return this;
    }

    /** The type; the condition's default type when the attribute is missing or unknown. */
    public Type type() {
        Type t = Type.fromXml(type);
        return t != null ? t : condition().defaultType();
    }

    /** The defined condition; {@code undefined-condition} when none is present. */
    public Condition condition() {
        for (QName name : childNames()) {
            if (Namespaces.STANZAS.equals(name.getNamespaceURI()) && !"text".equals(name.getLocalPart())) {
                return Condition.fromXml(name.getLocalPart());
            }
        }
        return Condition.UNDEFINED_CONDITION;
    }

    /** The names of application-specific condition elements (those outside the RFC 6120 namespace). */
    public List<QName> applicationConditions() {
        return childNames().stream().filter(n -> !Namespaces.STANZAS.equals(n.getNamespaceURI())).toList();
    }

    /** The human-readable text. */
    public Optional<String> text() {
        return text == null ? Optional.empty() : Optional.ofNullable(text.value);
    }

    /** The {@code by} attribute: the entity that produced the error. */
    public Optional<String> by() {
        return Optional.ofNullable(by);
    }

    private List<Object> conditions() {
        if (conditions == null) {
            conditions = new ArrayList<>(2);
        }
        return conditions;
    }

    private List<QName> childNames() {
        List<QName> names = new ArrayList<>();
        for (Object o : conditions()) {
            if (o instanceof JAXBElement<?> j) {
                names.add(j.getName());
            } else if (o instanceof Element e) {
                names.add(new QName(e.getNamespaceURI() == null ? "" : e.getNamespaceURI(), e.getLocalName()));
            }
        }
        return names;
    }

    private static JAXBElement<String> emptyElement(String namespace, String name) {
        return new JAXBElement<>(new QName(namespace, name), String.class, "");
    }

    @Override
    public String toString() {
        return "StanzaError[" + type().xmlName() + "/" + condition().xmlName()
                + text().map(t -> ": " + t).orElse("") + "]";
    }
}
