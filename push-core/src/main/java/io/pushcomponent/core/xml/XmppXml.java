package io.pushcomponent.core.xml;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;

/**
 * The one hardened StAX input factory every XMPP input goes through.
 *
 * <p>Its readers never load a DTD or an external entity and leave entity references unresolved (so
 * {@link StanzaCodec} rejects them), and Woodstox caps element depth, text and attribute size. Caps that are per
 * stanza (its total size, its depth below the stream element) are enforced by
 * {@link StanzaCodec#read(javax.xml.stream.XMLStreamReader)}, which a stream reader calls once per stanza. A host
 * that reads a socket should, like Smack, also cap the bytes of one top-level element before parsing, because
 * Woodstox buffers element names whole.
 *
 * <p>Stateless and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-11.1">RFC 6120 §11.1 Restrictions</a>
 */
public final class XmppXml {
    private XmppXml() {
    }

    /** A new hardened factory with {@link XmlLimits#DEFAULT}; the caller owns it (do not change its settings). */
    public static XMLInputFactory inputFactory() {
        return inputFactory(XmlLimits.DEFAULT);
    }

    /**
     * A new hardened factory; the caller owns it. Its readers accept a stream element one level above the
     * stanzas, so {@code limits.maxDepth() + 1} levels in all.
     */
    public static XMLInputFactory inputFactory(XmlLimits limits) {
        WstxInputFactory f = new WstxInputFactory();
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_VALIDATING, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external entities are not allowed in XMPP");
        });
        f.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, limits.maxDepth() + 1);
        f.setProperty(WstxInputProperties.P_MAX_TEXT_LENGTH, limits.maxStanzaChars());
        f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTE_SIZE, limits.maxStanzaChars());
        f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, 64);
        f.setProperty(WstxInputProperties.P_MAX_ENTITY_DEPTH, 1);
        f.setProperty(WstxInputProperties.P_MAX_ENTITY_COUNT, 1);
        return f;
    }
}
