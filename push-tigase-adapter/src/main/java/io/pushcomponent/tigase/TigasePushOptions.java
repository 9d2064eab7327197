package io.pushcomponent.tigase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcomponent.api.Jid;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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

    private static final String MAX_SIZE_SUFFIX = "#max-size";
    private static final ObjectMapper JSON = new ObjectMapper();

    public TigasePushOptions {
        muted = muted == null ? Set.of() : Set.copyOf(muted.stream().map(Jid::bareOf).toList());
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
                        muted.add(Jid.bareOf(jid.trim()));
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

    /**
     * The options as flat string data, for storing with the registration; keys are the extensions' namespaces.
     * {@link #fromData(Map)} reads them back. The map holds the encryption key: store it as the registration is
     * stored, never log it.
     */
    public Map<String, String> toData() {
        Map<String, String> data = new LinkedHashMap<>();
        if (encryption != null) {
            data.put(TigaseNamespaces.ENCRYPT, Base64.getEncoder().encodeToString(encryption.key()));
            if (encryption.maxSize() != null) {
                data.put(TigaseNamespaces.ENCRYPT + MAX_SIZE_SUFFIX, encryption.maxSize().toString());
            }
        }
        if (priority) {
            data.put(TigaseNamespaces.PRIORITY, "true");
        }
        if (jingle) {
            data.put(TigaseNamespaces.JINGLE, "true");
        }
        if (ignoreUnknown) {
            data.put(TigaseNamespaces.FILTER_IGNORE_UNKNOWN, "true");
        }
        if (!muted.isEmpty()) {
            data.put(TigaseNamespaces.FILTER_MUTED, String.join(" ", new TreeSet<>(muted)));
        }
        if (groupchat != null) {
            List<Map<String, String>> rooms = new ArrayList<>();
            for (GroupchatRoom room : new TreeMap<>(groupchat).values()) {
                Map<String, String> r = new LinkedHashMap<>();
                r.put("jid", room.jid());
                r.put("allow", room.allow().wire());
                if (room.nick() != null) {
                    r.put("nick", room.nick());
                }
                rooms.add(r);
            }
            try {
                data.put(TigaseNamespaces.FILTER_GROUPCHAT, JSON.writeValueAsString(rooms));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a list of string maps always serialises", e);
            }
        }
        return data;
    }

    /**
     * Options stored with {@link #toData()}; keys of other extensions are ignored.
     *
     * @throws IllegalArgumentException when the stored data is corrupt
     */
    public static TigasePushOptions fromData(Map<String, String> data) {
        PushEncryptionKey encryption = null;
        String key = data.get(TigaseNamespaces.ENCRYPT);
        if (key != null) {
            encryption = PushEncryptionKey.parse(PushEncryptionKey.AES_128_GCM, key,
                    data.get(TigaseNamespaces.ENCRYPT + MAX_SIZE_SUFFIX));
        }
        String mutedJids = data.get(TigaseNamespaces.FILTER_MUTED);
        Set<String> muted = mutedJids == null || mutedJids.isBlank() ? Set.of()
                : Set.of(mutedJids.trim().split(" +"));
        Map<String, GroupchatRoom> rooms = null;
        String roomsJson = data.get(TigaseNamespaces.FILTER_GROUPCHAT);
        if (roomsJson != null) {
            rooms = new LinkedHashMap<>();
            try {
                for (JsonNode r : JSON.readTree(roomsJson)) {
                    GroupchatRoom room = new GroupchatRoom(r.path("jid").asText(""),
                            GroupchatRoom.Allow.parse(r.path("allow").asText(null)),
                            r.hasNonNull("nick") ? r.get("nick").asText() : null);
                    rooms.put(room.jid(), room);
                }
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("stored groupchat filter is not valid JSON");
            }
        }
        return new TigasePushOptions(encryption, data.containsKey(TigaseNamespaces.PRIORITY),
                data.containsKey(TigaseNamespaces.JINGLE), muted, rooms,
                data.containsKey(TigaseNamespaces.FILTER_IGNORE_UNKNOWN));
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
