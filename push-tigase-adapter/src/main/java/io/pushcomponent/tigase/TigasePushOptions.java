package io.pushcomponent.tigase;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What a Tigase client asked for with the children of its {@code <enable xmlns='urn:xmpp:push:0'/>}: encryption,
 * priority hints, call pushes and the filters. Children of other namespaces are not ours and are ignored.
 *
 * <pre>{@code
 * <enable xmlns='urn:xmpp:push:0' jid='push.example.net' node='n1'>
 *   <encrypt xmlns='tigase:push:encrypt:0' alg='aes-128-gcm' max-size='3072'>base64 key</encrypt>
 *   <priority xmlns='tigase:push:priority:0'/>
 *   <jingle xmlns='tigase:push:jingle:0'/>
 *   <muted xmlns='tigase:push:filter:muted:0'><item jid='spam@example.com'/></muted>
 *   <groupchat xmlns='tigase:push:filter:groupchat:0'><room jid='verona@muc.example.com' allow='mentioned' nick='romeo'/></groupchat>
 *   <ignore-unknown xmlns='tigase:push:filter:ignore-unknown:0'/>
 * </enable>
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@code toString()} never shows the encryption key.
 *
 * @param encryption    the key to encrypt notifications with; {@code null} for plain notifications
 * @param priority      {@code true} to add {@code <priority xmlns='tigase:push:priority:0'/>} to notifications
 * @param jingle        {@code true} to push Jingle call proposals and retractions
 * @param muted         bare JIDs whose messages never push
 * @param groupchat     the rooms whose group chat messages may push, by room JID; {@code null} when the filter is off
 *                      (every group chat message may push); empty when on without rooms (none may)
 * @param ignoreUnknown {@code true} to push only messages from senders in the account's roster
 */
public record TigasePushOptions(PushEncryptionKey encryption, boolean priority, boolean jingle, Set<String> muted,
                                Map<String, GroupchatRoom> groupchat, boolean ignoreUnknown) {

    /** A client that asked for none of Tigase's extensions. */
    public static final TigasePushOptions NONE = new TigasePushOptions(null, false, false, Set.of(), null, false);

    public TigasePushOptions {
        muted = muted == null ? Set.of() : Set.copyOf(muted.stream().map(Jids::bare).toList());
        groupchat = groupchat == null ? null : Map.copyOf(groupchat);
    }

    /**
     * The options in the children of an {@code <enable/>} element.
     *
     * @throws IllegalArgumentException when one of Tigase's children is malformed (a {@code modify/bad-request}
     *                                  for the client); the message says what is wrong and never holds the key
     */
    public static TigasePushOptions fromEnable(Element enable) {
        List<Element> children = new ArrayList<>();
        for (Node n = enable.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                children.add(e);
            }
        }
        return fromChildren(children);
    }

    /**
     * The options in the given children of an {@code <enable/>} element; see {@link #fromEnable(Element)}.
     *
     * @throws IllegalArgumentException when one of Tigase's children is malformed
     */
    public static TigasePushOptions fromChildren(Collection<Element> children) {
        PushEncryptionKey encryption = null;
        boolean priority = false;
        boolean jingle = false;
        boolean ignoreUnknown = false;
        Set<String> muted = new LinkedHashSet<>();
        Map<String, GroupchatRoom> rooms = null;
        for (Element child : children) {
            String ns = child.getNamespaceURI();
            String name = child.getLocalName();
            if (ns == null || name == null) {
                continue;
            }
            switch (ns + " " + name) {
                case TigaseNamespaces.ENCRYPT + " encrypt" -> encryption = PushEncryptionKey.parse(
                        attribute(child, "alg"), child.getTextContent(), attribute(child, "max-size"));
                case TigaseNamespaces.PRIORITY + " priority" -> priority = true;
                case TigaseNamespaces.JINGLE + " jingle" -> jingle = true;
                case TigaseNamespaces.FILTER_IGNORE_UNKNOWN + " ignore-unknown" -> ignoreUnknown = true;
                case TigaseNamespaces.FILTER_MUTED + " muted" -> {
                    for (Element item : children(child, "item")) {
                        String jid = attribute(item, "jid");
                        if (jid == null || jid.isBlank()) {
                            throw new IllegalArgumentException("a muted <item/> needs a jid");
                        }
                        muted.add(Jids.bare(jid));
                    }
                }
                case TigaseNamespaces.FILTER_GROUPCHAT + " groupchat" -> {
                    rooms = new LinkedHashMap<>();
                    for (Element room : children(child, "room")) {
                        GroupchatRoom r = new GroupchatRoom(Optional.ofNullable(attribute(room, "jid")).orElse(""),
                                GroupchatRoom.Allow.parse(attribute(room, "allow")), attribute(room, "nick"));
                        rooms.put(r.jid(), r);
                    }
                }
                default -> {
                    // Not one of Tigase's extensions: another processor's business.
                }
            }
        }
        return new TigasePushOptions(encryption, priority, jingle, muted, rooms, ignoreUnknown);
    }

    /** {@code true} when the client asked for any of Tigase's extensions. */
    public boolean isAnyOn() {
        return !equals(NONE);
    }

    private static String attribute(Element e, String name) {
        return e.hasAttribute(name) ? e.getAttribute(name) : null;
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }
}
