package io.pushcomponent.tigase.internal;

import io.pushcomponent.api.EncryptedPayload;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import jakarta.xml.bind.annotation.XmlValue;

/**
 * {@code <encrypted xmlns='tigase:push:encrypt:0' iv='base64' [type='voip']>base64(ciphertext‖tag)</encrypted>}: a
 * notification's content sealed for the device, in place of the summary form.
 *
 * <p>Immutable once built or read.
 */
@XmlRootElement(name = "encrypted", namespace = TigaseNamespaces.ENCRYPT)
@XmlType(name = "")
@XmlAccessorType(XmlAccessType.FIELD)
final class Encrypted {
    @XmlAttribute
    private String iv;
    @XmlAttribute
    private String type;
    @XmlValue
    private String ciphertext;

    private Encrypted() {
    }

    Encrypted(EncryptedPayload payload) {
        this.iv = payload.iv();
        this.type = payload.type();
        this.ciphertext = payload.ciphertext();
    }

    /**
     * The payload to pass through.
     *
     * @throws IllegalArgumentException when the IV or the ciphertext is missing
     */
    EncryptedPayload payload() {
        String i = iv == null ? "" : iv.trim();
        String c = ciphertext == null ? "" : ciphertext.trim();
        if (i.isEmpty() || c.isEmpty()) {
            throw new IllegalArgumentException("an <encrypted xmlns='" + TigaseNamespaces.ENCRYPT
                    + "'/> needs an iv attribute and the ciphertext as its text");
        }
        return new EncryptedPayload(i, c, type == null || type.isEmpty() ? null : type);
    }
}
