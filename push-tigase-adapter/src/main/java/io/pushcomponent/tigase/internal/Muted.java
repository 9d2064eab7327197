package io.pushcomponent.tigase.internal;

import io.pushcomponent.api.Jid;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <muted xmlns='tigase:push:filter:muted:0'><item jid='…'/></muted>} on {@code <enable/>}: the JIDs whose
 * messages never push.
 *
 * <p>Not modified after reading.
 */
@XmlRootElement(name = "muted", namespace = TigaseNamespaces.FILTER_MUTED)
@XmlType(name = "")
@XmlAccessorType(XmlAccessType.FIELD)
final class Muted {
    @XmlElement(name = "item", namespace = TigaseNamespaces.FILTER_MUTED)
    private List<Item> items;

    private Muted() {
    }

    /**
     * The muted bare JIDs.
     *
     * @throws IllegalArgumentException when an item has no jid
     */
    List<String> jids() {
        List<String> jids = new ArrayList<>();
        for (Item item : items == null ? List.<Item>of() : items) {
            if (item.jid == null || item.jid.isBlank()) {
                throw new IllegalArgumentException("a muted <item/> needs a jid");
            }
            jids.add(Jid.bareOf(item.jid.trim()));
        }
        return jids;
    }

    /** {@code <item jid='…'/>}. */
    @XmlType(name = "")
    @XmlAccessorType(XmlAccessType.FIELD)
    static final class Item {
        @XmlAttribute
        private String jid;

        private Item() {
        }
    }
}
