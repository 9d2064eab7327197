package io.pushcomponent.core.xml.pubsub;

import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.push.Notification;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The XEP-0060 {@code <pubsub xmlns='http://jabber.org/protocol/pubsub'/>} element as XEP-0357 uses it: a publish
 * with publish-options, and the remote-disabling form {@code <pubsub node='N'><affiliation jid='user'
 * affiliation='none'/></pubsub>}.
 *
 * <pre>{@code
 * PubSub publish = PubSub.publish("yxs32uqsflafdk3iuqo", Notification.of(summaryForm))
 *         .publishOptions(DataForm.submit(Namespaces.PUBSUB_PUBLISH_OPTIONS).field("secret", secret));
 * }</pre>
 *
 * <p>Mutable JAXB object; not thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0060.html#publisher-publish">XEP-0060 §7.1 Publish an Item to a
 * Node</a>
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#remote-disabling">XEP-0357 §6.1 Remote Disabling</a>
 */
@XmlRootElement(name = "pubsub", namespace = Namespaces.PUBSUB)
@XmlType(propOrder = {"publish", "publishOptions", "affiliation", "affiliations", "other"})
@XmlAccessorType(XmlAccessType.FIELD)
public final class PubSub {
    @XmlAttribute
    private String node;
    @XmlElement(name = "publish", namespace = Namespaces.PUBSUB)
    private Publish publish;
    @XmlElement(name = "publish-options", namespace = Namespaces.PUBSUB)
    private PublishOptions publishOptions;
    @XmlElement(name = "affiliation", namespace = Namespaces.PUBSUB)
    private List<Affiliation> affiliation;
    @XmlElement(name = "affiliations", namespace = Namespaces.PUBSUB)
    private Affiliations affiliations;
    @XmlAnyElement(lax = true)
    private List<Object> other;

    /** An empty element. */
    public PubSub() {
    }

    /** A publish of one item carrying {@code payload} (e.g. a {@link Notification}) to {@code node}. */
    public static PubSub publish(String node, Object payload) {
        PubSub p = new PubSub();
        p.publish = new Publish(node);
        p.publish.item(new Item(payload));
        return p;
    }

    /**
     * The XEP-0357 remote-disabling payload: {@code jid} is no longer affiliated with {@code node}.
     */
    public static PubSub affiliationNone(String node, String jid) {
        PubSub p = new PubSub();
        p.node = node;
        p.affiliation = new ArrayList<>(1);
        p.affiliation.add(new Affiliation(jid, "none"));
        return p;
    }

    /** A publish with an optional publish-options form, as the codec's publish fast path reads it. */
    public static PubSub of(Publish publish, DataForm publishOptions) {
        PubSub p = new PubSub();
        p.publish = publish;
        p.publishOptions(publishOptions);
        return p;
    }

    /** The {@code node} attribute of the pubsub element itself (remote disabling), or {@code null}. */
    public String node() {
        return node;
    }

    /** The publish request. */
    public Optional<Publish> publish() {
        return Optional.ofNullable(publish);
    }

    /** The publish-options form. */
    public Optional<DataForm> publishOptions() {
        return publishOptions == null ? Optional.empty() : Optional.ofNullable(publishOptions.form);
    }

    /** Sets the publish-options form. */
    public PubSub publishOptions(DataForm form) {
        this.publishOptions = form == null ? null : new PublishOptions(form);
        return this;
    }

    /** Affiliations that are direct children (remote disabling). */
    public List<Affiliation> affiliation() {
        return affiliation == null ? List.of() : List.copyOf(affiliation);
    }

    /** The {@code <affiliations/>} container. */
    public Optional<Affiliations> affiliations() {
        return Optional.ofNullable(affiliations);
    }

    /** Children this class does not model; live. */
    public List<Object> other() {
        if (other == null) {
            other = new ArrayList<>(1);
        }
        return other;
    }

    /** {@code <publish node='...'>} with its items. */
    @XmlType(name = "publish")
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Publish {
        @XmlAttribute
        private String node;
        @XmlElement(name = "item", namespace = Namespaces.PUBSUB)
        private List<Item> items;

        Publish() {
        }

        /** A publish to {@code node} without items. */
        public Publish(String node) {
            this.node = node;
        }

        /** The node, or {@code null} when the publisher left it out. */
        public String node() {
            return node;
        }

        /** The items. */
        public List<Item> items() {
            return items == null ? List.of() : List.copyOf(items);
        }

        /** Adds an item. */
        public Publish item(Item item) {
            if (items == null) {
                items = new ArrayList<>(1);
            }
            items.add(item);
            return this;
        }
    }

    /** {@code <item [id]>} with its payload. */
    @XmlType(name = "item")
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Item {
        @XmlAttribute
        private String id;
        @XmlAnyElement(lax = true)
        private List<Object> payload;

        Item() {
        }

        /** An item carrying {@code payload}; {@code null} for an empty item. */
        public Item(Object payload) {
            this.payload = new ArrayList<>(1);
            if (payload != null) {
                this.payload.add(payload);
            }
        }

        /** An item with {@code id} (may be {@code null}) carrying {@code payload}, as the codec's publish fast path reads it. */
        public Item(String id, Object payload) {
            this(payload);
            this.id = id;
        }

        /** The item id, or {@code null}. */
        public String id() {
            return id;
        }

        /** The payload elements: model objects where known, DOM elements otherwise. */
        public List<Object> payload() {
            return payload == null ? List.of() : List.copyOf(payload);
        }

        /** The first payload element of a modelled type. */
        public <T> Optional<T> payload(Class<T> type) {
            if (payload != null) {
                for (Object o : payload) {
                    if (type.isInstance(o)) {
                        return Optional.of(type.cast(o));
                    }
                }
            }
            return Optional.empty();
        }
    }

    @XmlType(name = "publishOptions")
    @XmlAccessorType(XmlAccessType.FIELD)
    static final class PublishOptions {
        @XmlElement(name = "x", namespace = Namespaces.DATA)
        private DataForm form;

        PublishOptions() {
        }

        PublishOptions(DataForm form) {
            this.form = form;
        }
    }

    /** {@code <affiliation jid='...' affiliation='...' [node='...']/>}. */
    @XmlType(name = "affiliation")
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Affiliation {
        @XmlAttribute
        private String node;
        @XmlAttribute
        private String jid;
        @XmlAttribute
        private String affiliation;

        Affiliation() {
        }

        /** An affiliation of {@code jid}. */
        public Affiliation(String jid, String affiliation) {
            this.jid = jid;
            this.affiliation = affiliation;
        }

        /** The node, or {@code null}. */
        public String node() {
            return node;
        }

        /** The JID. */
        public String jid() {
            return jid;
        }

        /** The affiliation: {@code owner}, {@code publisher}, {@code none}, ... */
        public String affiliation() {
            return affiliation;
        }
    }

    /** {@code <affiliations [node]>} with affiliations. */
    @XmlType(name = "affiliations")
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Affiliations {
        @XmlAttribute
        private String node;
        @XmlElement(name = "affiliation", namespace = Namespaces.PUBSUB)
        private List<Affiliation> affiliations;

        Affiliations() {
        }

        /** The node, or {@code null}. */
        public String node() {
            return node;
        }

        /** The affiliations. */
        public List<Affiliation> affiliations() {
            return affiliations == null ? List.of() : List.copyOf(affiliations);
        }
    }
}
