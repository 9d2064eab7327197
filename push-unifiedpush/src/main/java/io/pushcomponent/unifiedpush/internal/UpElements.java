package io.pushcomponent.unifiedpush.internal;

import io.pushcomponent.core.xml.XmlElements;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import jakarta.xml.bind.annotation.XmlValue;
import java.util.List;

/**
 * The elements of the {@value #NAMESPACE} protocol as typed members of the XML model ({@link XmlElements}, found by
 * {@link java.util.ServiceLoader}): what a client sends ({@code <register/>}, {@code <unregister/>}), what the
 * distributor answers ({@code <registered/>}) and what it relays ({@code <push/>}).
 *
 * <p>Stateless and thread-safe; the element classes are mutable JAXB beans, each used by one thread.
 */
public final class UpElements implements XmlElements {
    /** The protocol's namespace, as Conversations, Prosody's and ejabberd's {@code mod_unified_push} speak it. */
    public static final String NAMESPACE = "http://gultsch.de/xmpp/drafts/unified-push";

    /** For {@link java.util.ServiceLoader}. */
    public UpElements() {
    }

    @Override
    public List<Class<?>> elementClasses() {
        return List.of(Register.class, Unregister.class, Registered.class, Push.class);
    }

    /** {@code <register application='…' instance='…'/>}: a client asks for an endpoint. */
    @XmlRootElement(name = "register", namespace = NAMESPACE)
    @XmlType(name = "")
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Register {
        @XmlAttribute
        String application;
        @XmlAttribute
        String instance;

        /** For JAXB. */
        public Register() {
        }

        /** A request for {@code application}'s {@code instance}. */
        public Register(String application, String instance) {
            this.application = application;
            this.instance = instance;
        }
    }

    /** {@code <unregister application='…' instance='…'/>}: a client gives an endpoint up. */
    @XmlRootElement(name = "unregister", namespace = NAMESPACE)
    @XmlType(name = "")
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Unregister {
        @XmlAttribute
        String application;
        @XmlAttribute
        String instance;

        /** For JAXB. */
        public Unregister() {
        }

        /** Gives up {@code application}'s {@code instance}. */
        public Unregister(String application, String instance) {
            this.application = application;
            this.instance = instance;
        }
    }

    /** {@code <registered endpoint='…' expiration='…'/>}: the answer to {@code <register/>}. */
    @XmlRootElement(name = "registered", namespace = NAMESPACE)
    @XmlType(name = "")
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Registered {
        @XmlAttribute
        String endpoint;
        @XmlAttribute
        String expiration;

        /** For JAXB. */
        public Registered() {
        }

        Registered(String endpoint, String expiration) {
            this.endpoint = endpoint;
            this.expiration = expiration;
        }

        /** The endpoint URL. */
        public String endpoint() {
            return endpoint;
        }

        /** When it expires, ISO 8601 in UTC. */
        public String expiration() {
            return expiration;
        }
    }

    /** {@code <push application='…' instance='…'>base64 of the body</push>}: one message relayed to the client. */
    @XmlRootElement(name = "push", namespace = NAMESPACE)
    @XmlType(name = "")
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Push {
        @XmlAttribute
        String application;
        @XmlAttribute
        String instance;
        @XmlValue
        String content;

        /** For JAXB. */
        public Push() {
        }

        Push(String application, String instance, String content) {
            this.application = application;
            this.instance = instance;
            this.content = content;
        }

        /** The application attribute. */
        public String application() {
            return application;
        }

        /** The instance attribute. */
        public String instance() {
            return instance;
        }

        /** The base64 of the message body. */
        public String content() {
            return content == null ? "" : content.trim();
        }
    }
}
