package io.pushcomponent.core.user;

import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.api.Jid;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A test extension in the shape of Tigase's muted filter and priority: reads {@code <muted xmlns='test:muted'>}
 * from the enable, suppresses pushes from muted senders, marks the others {@code <priority>high</priority>}, and
 * lets call proposals trigger a push. Registered for {@link java.util.ServiceLoader} in the test resources.
 */
public final class MutedTestExtension implements PushExtension {
    static final String NS = "test:muted";
    static final String KEY = NS + "#jids";

    @Override
    public String id() {
        return NS;
    }

    @Override
    public List<String> discoFeatures() {
        return List.of(NS);
    }

    @Override
    public Map<String, String> parseEnable(Enable enable) {
        Optional<Element> muted = Elements.find(enable.other(), NS, "muted");
        if (muted.isEmpty()) {
            return Map.of();
        }
        NodeList items = muted.get().getElementsByTagNameNS(NS, "item");
        StringBuilder jids = new StringBuilder();
        for (int i = 0; i < items.getLength(); i++) {
            String jid = ((Element) items.item(i)).getAttribute("jid");
            if (jid.isEmpty()) {
                throw new IllegalArgumentException("<item/> of <muted/> needs a jid");
            }
            jids.append(i == 0 ? "" : " ").append(jid);
        }
        return Map.of(KEY, jids.toString());
    }

    @Override
    public boolean triggers(String account, Message message) {
        return Elements.has(message, "urn:xmpp:jingle-message:0", "propose");
    }

    @Override
    public Optional<Notification> apply(NotificationContext context, Notification notification) {
        Message message = context.message();
        String muted = context.registration().extensionData().getOrDefault(KEY, "");
        if (message != null && List.of(muted.split(" ")).contains(Jid.tryParse(message.from()).map(j -> j.bare().toString()).orElse(null))) {
            return Optional.empty();
        }
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            Element priority = doc.createElementNS(NS, "priority");
            priority.setTextContent("high");
            return Optional.of(notification.add(priority));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }
}
