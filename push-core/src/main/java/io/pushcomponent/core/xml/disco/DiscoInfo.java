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
 * A XEP-0030 disco#info query or answer: identities, features and extension forms (XEP-0128).
 *
 * <p>Mutable JAXB object; not thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0030.html#info">XEP-0030 §3 Discovering Information About a Jabber
 * Entity</a>
 */
@XmlRootElement(name = "query", namespace = Namespaces.DISCO_INFO)
@XmlType(propOrder = {"identities", "features", "other"})
@XmlAccessorType(XmlAccessType.FIELD)
public final class DiscoInfo {
    @XmlAttribute
    private String node;
    @XmlElement(name = "identity", namespace = Namespaces.DISCO_INFO)
    private List<Identity> identities;
    @XmlElement(name = "feature", namespace = Namespaces.DISCO_INFO)
    private List<Feature> features;
    @XmlAnyElement(lax = true)
    private List<Object> other;

    /** An empty query. */
    public DiscoInfo() {
    }

    /** The queried node, or {@code null}. */
    public String node() {
        return node;
    }

    /** Sets the node. */
    public DiscoInfo node(String node) {
        this.node = node;
        return this;
    }

    /** Adds an identity. */
    public DiscoInfo identity(String category, String type, String name) {
        if (identities == null) {
            identities = new ArrayList<>(1);
        }
        identities.add(new Identity(category, type, name));
        return this;
    }

    /** Adds a feature. */
    public DiscoInfo feature(String var) {
        if (features == null) {
            features = new ArrayList<>(8);
        }
        features.add(new Feature(var));
        return this;
    }

    /** The identities. */
    public List<Identity> identities() {
        return identities == null ? List.of() : List.copyOf(identities);
    }

    /** The feature names, in document order. */
    public List<String> features() {
        return features == null ? List.of() : features.stream().map(Feature::var).toList();
    }

    /** Other children (e.g. XEP-0128 extension forms); live. */
    public List<Object> other() {
        if (other == null) {
            other = new ArrayList<>(1);
        }
        return other;
    }

    /** An identity: category, type and optional name. */
    @XmlType(name = "identity")
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Identity {
        @XmlAttribute
        private String category;
        @XmlAttribute
        private String type;
        @XmlAttribute
        private String name;

        Identity() {
        }

        Identity(String category, String type, String name) {
            this.category = category;
            this.type = type;
            this.name = name;
        }

        /** The category, e.g. {@code pubsub}. */
        public String category() {
            return category;
        }

        /** The type, e.g. {@code push}. */
        public String type() {
            return type;
        }

        /** The name, or {@code null}. */
        public String name() {
            return name;
        }
    }

    @XmlType(name = "feature")
    @XmlAccessorType(XmlAccessType.FIELD)
    static final class Feature {
        @XmlAttribute
        private String var;

        Feature() {
        }

        Feature(String var) {
            this.var = var;
        }

        String var() {
            return var;
        }
    }
}
