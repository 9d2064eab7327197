package io.pushcomponent.tigase.internal;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <groupchat xmlns='tigase:push:filter:groupchat:0'><room jid='…' allow='always|mentioned|never'
 * nick='…'/></groupchat>} on {@code <enable/>}: the rooms whose messages may push, and when.
 *
 * <p>Not modified after reading.
 */
@XmlRootElement(name = "groupchat", namespace = TigaseNamespaces.FILTER_GROUPCHAT)
@XmlType(name = "")
@XmlAccessorType(XmlAccessType.FIELD)
final class Groupchat {
    @XmlElement(name = "room", namespace = TigaseNamespaces.FILTER_GROUPCHAT)
    private List<Room> rooms;

    private Groupchat() {
    }

    /**
     * The rooms, in document order.
     *
     * @throws IllegalArgumentException when a room has no jid or a wrong {@code allow}
     */
    List<GroupchatRoom> rooms() {
        List<GroupchatRoom> out = new ArrayList<>();
        for (Room r : rooms == null ? List.<Room>of() : rooms) {
            out.add(new GroupchatRoom(r.jid == null ? "" : r.jid, GroupchatRoom.Allow.parse(r.allow), r.nick));
        }
        return out;
    }

    /** {@code <room jid='…' allow='…' nick='…'/>}. */
    @XmlType(name = "")
    @XmlAccessorType(XmlAccessType.FIELD)
    static final class Room {
        @XmlAttribute
        private String jid;
        @XmlAttribute
        private String allow;
        @XmlAttribute
        private String nick;

        private Room() {
        }
    }
}
