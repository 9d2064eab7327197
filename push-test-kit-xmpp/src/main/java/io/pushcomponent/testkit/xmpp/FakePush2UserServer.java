package io.pushcomponent.testkit.xmpp;

import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.webpush.crypto.Vapid;
import io.pushcomponent.webpush.crypto.VapidKeys;
import io.pushcomponent.webpush.crypto.WebPushEncryption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Plays a Push 2.0 user's server (what Prosody's {@code mod_push2} sends) towards an app server: the
 * {@code <message>} with {@code <notification xmlns='urn:xmpp:push2:0'>} of the {@code notify-only:0} profile, and
 * of the {@code sce+rfc8291+rfc8292:0} profile, whose payload is the stanza forwarded in a Stanza Content Encryption
 * envelope, encrypted for the client's keys (RFC 8291), with an ES256 token (RFC 8292) signed with the client's key.
 * Hand the messages to an app server (e.g. {@code PushAppServer::handle}, or send them over a
 * {@link FakeXmppServer} connection) and check what reaches the provider.
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/inbox/push2.html">Push 2.0</a>
 */
public final class FakePush2UserServer {
    /** The Push 2.0 namespace. */
    public static final String NAMESPACE = "urn:xmpp:push2:0";
    private static final String SCE_RFC8291 = "urn:xmpp:sce:rfc8291:0";
    private static final Duration TOKEN_VALIDITY = Duration.ofHours(1);

    private final String domain;

    /** A user's server of {@code domain}: the {@code from} of its notifications and the token's {@code sub}. */
    public FakePush2UserServer(String domain) {
        this.domain = Objects.requireNonNull(domain, "domain");
    }

    /**
     * A {@code notify-only:0} notification.
     *
     * @param service  the push service's JID
     * @param client   the client's {@code <client/>}
     * @param priority {@code high}, {@code normal} or {@code low}
     */
    public Message notifyOnly(String service, String client, String priority) {
        return message(service, notification(client, priority, false));
    }

    /**
     * A {@code sce+rfc8291+rfc8292:0} notification of {@code stanza}.
     *
     * @param service    the push service's JID
     * @param client     the client's {@code <client/>}
     * @param priority   {@code high}, {@code normal} or {@code low}
     * @param voip       whether it is a call ({@code <voip/>})
     * @param stanza     the stanza to forward, as XML in the {@code jabber:client} namespace
     * @param uaPublic   the client's {@code <ua-public/>} (65-byte P-256 point)
     * @param authSecret the client's {@code <auth-secret/>} (16 bytes)
     * @param jwtKey     the client's {@code <jwt-key/>}; {@code null} for no token
     * @param audience   the token's {@code aud} claim
     */
    public Message encrypted(String service, String client, String priority, boolean voip, String stanza,
                             byte[] uaPublic, byte[] authSecret, VapidKeys jwtKey, String audience) {
        Element n = notification(client, priority, voip);
        String envelope = "<envelope xmlns='urn:xmpp:sce:1'><content><forwarded xmlns='urn:xmpp:forward:0'>"
                + stanza + "</forwarded></content></envelope>";
        byte[] body = WebPushEncryption.encrypt(uaPublic, authSecret, envelope.getBytes(StandardCharsets.UTF_8), 0);
        Element encrypted = n.getOwnerDocument().createElementNS(SCE_RFC8291, "encrypted");
        Element payload = n.getOwnerDocument().createElementNS(SCE_RFC8291, "payload");
        payload.setTextContent(Base64.getEncoder().encodeToString(body));
        encrypted.appendChild(payload);
        n.appendChild(encrypted);
        if (jwtKey != null) {
            Element jwt = n.getOwnerDocument().createElementNS(NAMESPACE, "jwt");
            jwt.setAttribute("key", Base64.getEncoder().encodeToString(
                    Base64.getUrlDecoder().decode(jwtKey.publicKeyBase64Url())));
            jwt.setTextContent(Vapid.token(jwtKey, audience, Instant.now().plus(TOKEN_VALIDITY), "xmpp:" + domain));
            n.appendChild(jwt);
        }
        return message(service, n);
    }

    private Message message(String service, Element notification) {
        return new Message().id(UUID.randomUUID().toString()).from(domain).to(service).add(notification);
    }

    private static Element notification(String client, String priority, boolean voip) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            doc = f.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's DOM is unavailable", e);
        }
        Element n = doc.createElementNS(NAMESPACE, "notification");
        doc.appendChild(n);
        Element c = doc.createElementNS(NAMESPACE, "client");
        c.setTextContent(client);
        n.appendChild(c);
        Element p = doc.createElementNS(NAMESPACE, "priority");
        p.setTextContent(priority);
        n.appendChild(p);
        if (voip) {
            n.appendChild(doc.createElementNS(NAMESPACE, "voip"));
        }
        return n;
    }
}
