package io.pushcomponent.tigase.internal;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import jakarta.xml.bind.annotation.XmlValue;

/**
 * {@code <encrypt xmlns='tigase:push:encrypt:0' alg='aes-128-gcm' max-size='N'>base64 key</encrypt>}: the key a
 * client hands over on {@code <enable/>} for encrypted notifications.
 *
 * <p>Bound by JAXB; not modified after reading. {@code toString()} never shows the key.
 */
@XmlRootElement(name = "encrypt", namespace = TigaseNamespaces.ENCRYPT)
@XmlType(name = "")
@XmlAccessorType(XmlAccessType.FIELD)
final class Encrypt {
    @XmlAttribute
    private String alg;
    @XmlAttribute(name = "max-size")
    private String maxSize;
    @XmlValue
    private String key;

    private Encrypt() {
    }

    /**
     * The key it carries.
     *
     * @throws IllegalArgumentException naming what is wrong (never the key itself)
     */
    PushEncryptionKey key() {
        return PushEncryptionKey.parse(alg, key, maxSize);
    }

    @Override
    public String toString() {
        return "Encrypt[alg=" + alg + ", maxSize=" + maxSize + ", key=***]";
    }
}
