package io.pushcomponent.core.xml.disco;

import io.pushcomponent.core.xml.Namespaces;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/**
 * A XEP-0030 disco#items query or answer.
 *
 * <p>Mutable JAXB object; not thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0030.html#items">XEP-0030 §4 Discovering the Items Associated with
 * a Jabber Entity</a>
 */
@XmlRootElement(name = "query", namespace = Namespaces.DISCO_ITEMS)
@XmlType(propOrder = {"items", "other"})
@XmlAccessorType(XmlAccessType.FIELD)
public final class DiscoItems {
    @XmlAttribute
    private String node;
    @XmlElement(name = "item", namespace = Namespaces.DISCO_ITEMS)
    private List<Item> items;
    @XmlAnyElement(lax = true)
    private List<Object> other;

    /** An empty query. */
    public DiscoItems() {
    }

    /** The queried node, or {@code null}. */
    public String node() {
        return node;
    }

    /** Sets the node. */
    public DiscoItems node(String node) {
        this.node = node;
        return this;
    }

    /** Adds an item. */
    public DiscoItems item(String jid, String node, String name) {
        if (items == null) {
            items = new ArrayList<>(4);
        }
        items.add(new Item(jid, node, name));
        return this;
    }

    /** The items. */
    public List<Item> items() {
        return items == null ? List.of() : List.copyOf(items);
    }

    /** An item: a JID, an optional node and an optional name. */
    @XmlType(name = "discoItem")
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Item {
        @XmlAttribute
        private String jid;
        @XmlAttribute
        private String node;
        @XmlAttribute
        private String name;

        Item() {
        }

        Item(String jid, String node, String name) {
            this.jid = jid;
            this.node = node;
            this.name = name;
        }

        /** The JID. */
        public String jid() {
            return jid;
        }

        /** The node, or {@code null}. */
        public String node() {
            return node;
        }

        /** The name, or {@code null}. */
        public String name() {
            return name;
        }
    }
}
