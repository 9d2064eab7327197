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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * An RFC 6120 stanza error: a type, a defined condition, an optional human-readable text and optional
 * application-specific conditions (such as XEP-0050's {@code <bad-sessionid/>}). Every stanza error the project
 * sends is built here: with {@link #of(Type, Condition, String)} or, with an application-specific condition, with
 * {@link #builder(Condition)}; {@link #replyTo(String, String, String, String, String)} addresses the answer to a
 * stanza as RFC 6120 §8.3.1 allows.
 *
 * <pre>{@code
 * StanzaError e = StanzaError.of(StanzaError.Type.CANCEL, StanzaError.Condition.ITEM_NOT_FOUND, "no such node");
 * StanzaError expired = StanzaError.builder(StanzaError.Condition.NOT_ALLOWED).type(StanzaError.Type.CANCEL)
 *         .text("the command session has expired").applicationCondition(Namespaces.COMMANDS, "session-expired")
 *         .build();
 * }</pre>
 *
 * <p>Immutable once built (JAXB fills the fields of one it reads); safe to share between threads.
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
        return builder(condition).type(type).text(text).build();
    }

    /** An error with the condition's default type. */
    public static StanzaError of(Condition condition, String text) {
        return builder(condition).text(text).build();
    }

    /** A builder of an error with {@code condition}, of the condition's default type unless set. */
    public static Builder builder(Condition condition) {
        return new Builder(Objects.requireNonNull(condition, "condition"));
    }

    /**
     * Builds a {@link StanzaError}: a type, the defined condition, an optional text and optional
     * application-specific conditions (RFC 6120 §8.3.2). Not thread-safe; one per error.
     */
    public static final class Builder {
        private final Condition condition;
        private Type type;
        private String text;
        private final List<AppCondition> applicationConditions = new ArrayList<>(1);

        private Builder(Condition condition) {
            this.condition = condition;
            this.type = condition.defaultType();
        }

        /** The error type; the condition's default type unless set. */
        public Builder type(Type type) {
            this.type = Objects.requireNonNull(type, "type");
            return this;
        }

        /** The human-readable text; {@code null} for none. */
        public Builder text(String text) {
            this.text = text;
            return this;
        }

        /**
         * Adds an application-specific condition {@code <name xmlns='namespace'/>}, e.g. XEP-0050's
         * {@code <bad-sessionid xmlns='http://jabber.org/protocol/commands'/>}.
         *
         * @throws IllegalArgumentException when {@code namespace} is RFC 6120's own
         */
        public Builder applicationCondition(String namespace, String name) {
            return applicationCondition(namespace, name, Map.of());
        }

        /**
         * Adds an application-specific condition with attributes, e.g. XEP-0060's {@code <unsupported
         * xmlns='http://jabber.org/protocol/pubsub#errors' feature='subscribe'/>}.
         *
         * @param attributes unqualified attribute names and their values, written in this map's order
         * @throws IllegalArgumentException when {@code namespace} is RFC 6120's own
         */
        public Builder applicationCondition(String namespace, String name, Map<String, String> attributes) {
            if (Namespaces.STANZAS.equals(namespace)) {
                throw new IllegalArgumentException("an application-specific condition is outside " + namespace);
            }
            applicationConditions.add(new AppCondition(new QName(Objects.requireNonNull(namespace, "namespace"),
                    Objects.requireNonNull(name, "name")), new LinkedHashMap<>(attributes)));
            return this;
        }

        /** The error. */
        public StanzaError build() {
            StanzaError e = new StanzaError();
            e.type = type.xmlName();
            e.conditions = new ArrayList<>(1 + applicationConditions.size());
            e.conditions.add(emptyElement(Namespaces.STANZAS, condition.xmlName()));
            for (AppCondition c : applicationConditions) {
                e.conditions.add(c.attributes().isEmpty() ? emptyElement(c.name().getNamespaceURI(),
                        c.name().getLocalPart()) : c.element());
            }
            if (text != null) {
                e.text = new Text();
                e.text.value = text;
            }
            return e;
        }
    }

    /** An application-specific condition as the builder collects it. */
    private record AppCondition(QName name, Map<String, String> attributes) {
        /** The condition as a DOM element, the form JAXB writes attributes of an unmodelled element from. */
        Element element() {
            Document document;
            try {
                document = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder().newDocument();
            } catch (ParserConfigurationException e) {
                throw new IllegalStateException("the JDK's default DOM implementation is not available", e);
            }
            Element element = document.createElementNS(name.getNamespaceURI(), name.getLocalPart());
            attributes.forEach(element::setAttribute);
            return element;
        }
    }

    /**
     * This error as the answer to a stanza of which the element name, {@code id}, {@code type}, {@code from} and
     * {@code to} are known (any may be {@code null}), as RFC 6120 §8.3.1 allows one: to an IQ request
     * ({@code get} or {@code set}) with an {@code id}, and to a message or presence that is not itself an error;
     * never to an error or an IQ response. The answer has the same {@code id}, {@code from} and {@code to}
     * swapped and type {@code error}.
     */
    public Optional<Stanza> replyTo(String element, String id, String type, String from, String to) {
        if (element == null || Iq.ERROR.equals(type)) {
            return Optional.empty();
        }
        Stanza reply = switch (element) {
            case "iq" -> id != null && (Iq.GET.equals(type) || Iq.SET.equals(type)) ? new Iq() : null;
            case "message" -> new Message();
            case "presence" -> new Presence();
            default -> null;
        };
        if (reply == null) {
            return Optional.empty();
        }
        reply.id(id).type(Iq.ERROR).from(to).to(from).error(this);
        return Optional.of(reply);
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

    private List<QName> childNames() {
        List<QName> names = new ArrayList<>();
        if (conditions == null) {
            return names;
        }
        for (Object o : conditions) {
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
