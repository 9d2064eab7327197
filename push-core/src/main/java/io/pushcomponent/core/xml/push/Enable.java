package io.pushcomponent.core.xml.push;

import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.forms.DataForm;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyAttribute;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.namespace.QName;

/**
 * The XEP-0357 {@code <enable xmlns='urn:xmpp:push:0' jid='...' node='...'/>} with its optional publish-options
 * form and any extension children (Tigase's {@code encrypt}, {@code priority}, filters, ...) and attributes
 * (Tigase's {@code away}), kept as they came.
 *
 * <pre>{@code
 * Enable enable = Enable.of("push.example.net", "yxs32uqsflafdk3iuqo")
 *         .publishOptions(DataForm.submit(Namespaces.PUBSUB_PUBLISH_OPTIONS).field("secret", "eruio234vzxc2kla-91"));
 * }</pre>
 *
 * <p>Mutable JAXB object; not thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#enabling">XEP-0357 §5 Enabling Notifications</a>
 */
@XmlRootElement(name = "enable", namespace = Namespaces.PUSH)
@XmlType(propOrder = {"form", "other"})
@XmlAccessorType(XmlAccessType.FIELD)
public final class Enable {
    @XmlAttribute
    private String jid;
    @XmlAttribute
    private String node;
    @XmlAnyAttribute
    private Map<QName, String> otherAttributes;
    @XmlElement(name = "x", namespace = Namespaces.DATA)
    private DataForm form;
    @XmlAnyElement(lax = true)
    private List<Object> other;

    /** An empty enable element. */
    public Enable() {
    }

    /** Enables push to the app server {@code jid} at {@code node}. */
    public static Enable of(String jid, String node) {
        Enable e = new Enable();
        e.jid = jid;
        e.node = node;
        return e;
    }

    /** The app server's JID, or {@code null} (required by XEP-0357; check it). */
    public String jid() {
        return jid;
    }

    /** The node, or {@code null}. */
    public String node() {
        return node;
    }

    /** The publish-options form. */
    public Optional<DataForm> publishOptions() {
        return Optional.ofNullable(form);
    }

    /** Sets the publish-options form. */
    public Enable publishOptions(DataForm form) {
        this.form = form;
        return this;
    }

    /** Attributes other than {@code jid} and {@code node} (e.g. Tigase's {@code away}); live. */
    public Map<QName, String> otherAttributes() {
        if (otherAttributes == null) {
            otherAttributes = new HashMap<>();
        }
        return otherAttributes;
    }

    /** Children other than the form, in document order; live. */
    public List<Object> other() {
        if (other == null) {
            other = new ArrayList<>(1);
        }
        return other;
    }

    /** Adds an extension element. */
    public Enable add(Object extension) {
        other().add(extension);
        return this;
    }
}
