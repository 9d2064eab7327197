package io.pushcomponent.core.xml.push;

import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.forms.DataForm;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The XEP-0357 {@code <notification xmlns='urn:xmpp:push:0'/>}: an optional summary form and any extension
 * elements (Tigase's {@code <encrypted/>} and {@code <priority/>}, ...), kept as they came. An empty notification
 * is a wake-up.
 *
 * <p>Mutable JAXB object; not thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#publishing">XEP-0357 §7 Publishing Notifications</a>
 */
@XmlRootElement(name = "notification", namespace = Namespaces.PUSH)
@XmlType(propOrder = {"form", "other"})
@XmlAccessorType(XmlAccessType.FIELD)
public final class Notification {
    @XmlElement(name = "x", namespace = Namespaces.DATA)
    private DataForm form;
    @XmlAnyElement(lax = true)
    private List<Object> other;

    /** An empty notification (a wake-up). */
    public Notification() {
    }

    /** A notification carrying the summary {@code form}. */
    public static Notification of(DataForm form) {
        Notification n = new Notification();
        n.form = form;
        return n;
    }

    /** The summary form. */
    public Optional<DataForm> form() {
        return Optional.ofNullable(form);
    }

    /** Children other than the form, in document order; live: add to extend. */
    public List<Object> other() {
        if (other == null) {
            other = new ArrayList<>(1);
        }
        return other;
    }

    /** Adds an extension element. */
    public Notification add(Object extension) {
        other().add(extension);
        return this;
    }

    /** {@code true} when the notification has neither a form nor any other child. */
    public boolean isEmpty() {
        return form == null && (other == null || other.isEmpty());
    }
}
