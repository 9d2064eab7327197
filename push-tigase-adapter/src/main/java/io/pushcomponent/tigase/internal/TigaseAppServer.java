package io.pushcomponent.tigase.internal;

import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.core.app.NotificationMapper;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * App server side: reads Tigase's children of a published {@code <notification xmlns='urn:xmpp:push:0'/>} into the
 * {@link PushRequest} the providers send, so that FCM and APNs deliver what Siskin and Stork read.
 *
 * <ul>
 *   <li>{@code <encrypted xmlns='tigase:push:encrypt:0' iv='…' [type='voip']>…</encrypted>} becomes
 *       {@link PushRequest#encrypted()}, passed through unread; the push is a visible {@link PushKind#MESSAGE}
 *       (the device decrypts it in its notification extension), or a {@link PushKind#CALL} with {@code type='voip'}.</li>
 *   <li>{@code <priority xmlns='tigase:push:priority:0'>high|low</priority>} sets {@link PushPriority}; other values
 *       are ignored.</li>
 *   <li>{@code <jingle xmlns='tigase:push:jingle:0' sid='…'><media>audio</media></jingle>} with media is a call
 *       proposal ({@link PushKind#CALL}, high priority, VoIP push to the second token); without media it is a
 *       retraction ({@link PushKind#CALL_ENDED}).</li>
 * </ul>
 * Other children are left alone.
 *
 * <p>Plug it into the app server with {@code PushAppServer.builder().notificationMapper(new
 * TigaseNotificationMapper())}. Stateless and thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#publishing">XEP-0357 §7 Publishing Notifications</a>
 */
public final class TigaseNotificationMapper implements NotificationMapper {

    /** The mapper; hand it to {@code PushAppServer.Builder#notificationMapper}. */
    public TigaseNotificationMapper() {
    }

    @Override
    public PushRequest map(PushRequest request, List<Element> extensions) {
        return apply(request, extensions);
    }

    /**
     * {@code base} adjusted by Tigase's children among {@code notificationChildren}.
     *
     * @param base                 the request the core built from the summary form
     * @param notificationChildren the children of the {@code <notification/>} element
     * @throws IllegalArgumentException when an {@code <encrypted/>} element lacks its IV or ciphertext (a
     *                                  {@code modify/bad-request} for the publisher)
     */
    public static PushRequest apply(PushRequest base, Collection<Element> notificationChildren) {
        Objects.requireNonNull(base, "base");
        EncryptedPayload encrypted = base.encrypted();
        PushKind kind = base.kind();
        PushPriority priority = null;
        boolean call = false;
        for (Element child : notificationChildren) {
            String ns = child.getNamespaceURI();
            String name = child.getLocalName();
            if (TigaseNamespaces.ENCRYPT.equals(ns) && "encrypted".equals(name)) {
                encrypted = encrypted(child);
                if (!call) {
                    kind = NotificationEncryptor.VOIP.equals(encrypted.type()) ? PushKind.CALL : PushKind.MESSAGE;
                }
            } else if (TigaseNamespaces.PRIORITY.equals(ns) && "priority".equals(name)) {
                priority = switch (child.getTextContent().trim()) {
                    case "high" -> PushPriority.HIGH;
                    case "low" -> PushPriority.NORMAL;
                    default -> priority;
                };
            } else if (TigaseNamespaces.JINGLE.equals(ns) && "jingle".equals(name)) {
                call = true;
                kind = hasMedia(child) ? PushKind.CALL : PushKind.CALL_ENDED;
            }
        }
        if (priority == null) {
            priority = switch (kind) {
                case CALL -> PushPriority.HIGH;
                case MESSAGE -> encrypted != null ? PushPriority.HIGH : base.priority();
                default -> base.priority();
            };
        }
        return new PushRequest(base.device(), base.account(), base.summary(), kind, priority, encrypted,
                base.collapseKey());
    }

    private static EncryptedPayload encrypted(Element e) {
        String iv = e.getAttribute("iv").trim();
        String ciphertext = e.getTextContent().trim();
        if (iv.isEmpty() || ciphertext.isEmpty()) {
            throw new IllegalArgumentException("an <encrypted xmlns='" + TigaseNamespaces.ENCRYPT
                    + "'/> needs an iv attribute and the ciphertext as its text");
        }
        String type = e.getAttribute("type");
        return new EncryptedPayload(iv, ciphertext, type.isEmpty() ? null : type);
    }

    private static boolean hasMedia(Element jingle) {
        for (Node n = jingle.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "media".equals(e.getLocalName()) && !e.getTextContent().isBlank()) {
                return true;
            }
        }
        return false;
    }
}
