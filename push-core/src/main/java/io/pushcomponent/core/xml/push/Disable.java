package io.pushcomponent.core.xml.push;

import io.pushcomponent.core.xml.Namespaces;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlRootElement;

/**
 * The XEP-0357 {@code <disable xmlns='urn:xmpp:push:0' jid='...' [node='...']/>}: without a node, every node of
 * that app server is disabled.
 *
 * <p>Mutable JAXB object; not thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#disabling">XEP-0357 §6 Disabling Notifications</a>
 */
@XmlRootElement(name = "disable", namespace = Namespaces.PUSH)
@XmlAccessorType(XmlAccessType.FIELD)
public final class Disable {
    @XmlAttribute
    private String jid;
    @XmlAttribute
    private String node;

    /** An empty disable element. */
    public Disable() {
    }

    /** Disables {@code node} at the app server {@code jid}; {@code node} {@code null} disables all of them. */
    public static Disable of(String jid, String node) {
        Disable d = new Disable();
        d.jid = jid;
        d.node = node;
        return d;
    }

    /** The app server's JID, or {@code null} (required by XEP-0357; check it). */
    public String jid() {
        return jid;
    }

    /** The node, or {@code null} for all nodes. */
    public String node() {
        return node;
    }
}
