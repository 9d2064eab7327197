package io.pushcomponent.tigase.internal;

import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.XmlRejectedException;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * Reads stanza fixtures as the codec reads them on the wire: Tigase's elements typed ({@link TigaseElements}, found
 * by {@link java.util.ServiceLoader}), others as DOM elements.
 */
public final class Xml {
    /** What a plain XEP-0357 enable asks for: none of Tigase's extensions. */
    static final TigasePushOptions NONE = new TigasePushOptions(null, false, false, Set.of(), null, false);

    private static final StanzaCodec CODEC = StanzaCodec.create();

    private Xml() {
    }

    private static Stanza read(String xml) {
        try {
            return CODEC.read(xml);
        } catch (XmlRejectedException e) {
            throw new IllegalArgumentException("bad fixture: " + xml, e);
        }
    }

    /** The children of an {@code <enable xmlns='urn:xmpp:push:0'/>} element. */
    static List<Object> enableChildren(String enable) {
        return ((Iq) read("<iq xmlns='jabber:client' type='set' id='e1'>" + enable + "</iq>")).extension(Enable.class)
                .orElseThrow().other();
    }

    /** The options in an {@code <enable xmlns='urn:xmpp:push:0'/>} element. */
    static TigasePushOptions options(String enable) {
        return TigasePushOptions.fromChildren(enableChildren(enable));
    }

    /** The children of a {@code <notification xmlns='urn:xmpp:push:0'/>} element other than the summary form. */
    static List<Object> notificationChildren(String notification) {
        Iq publish = (Iq) read("<iq xmlns='jabber:client' type='set' id='p1' from='example.com' "
                + "to='push.example.net'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n1'><item>"
                + notification + "</item></publish></pubsub></iq>");
        return publish.extension(PubSub.class).orElseThrow().publish().orElseThrow().items().get(0)
                .payload(Notification.class).orElseThrow().other();
    }

    /**
     * The wire form of notification children, as a publish carries them: each child written by the codec and read
     * back as a DOM element.
     */
    public static List<Element> wire(List<Object> children) {
        Notification notification = new Notification();
        notification.other().addAll(children);
        String xml = CODEC.write(Iq.set("push.example.net", PubSub.publish("n1", notification)));
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            Element root = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
            Element n = (Element) root.getElementsByTagNameNS("urn:xmpp:push:0", "notification").item(0);
            List<Element> out = new ArrayList<>();
            for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element e) {
                    out.add(e);
                }
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("the codec wrote what it cannot read back: " + xml, e);
        }
    }

    /** The facts of a {@code <message/>}. */
    static IncomingMessage message(String message) {
        Message m = (Message) read(message);
        return IncomingMessage.of(m.from(), m.type(), m.body().orElse(null), m.extensions());
    }
}
