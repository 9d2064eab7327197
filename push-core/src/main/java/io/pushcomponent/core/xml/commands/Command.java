package io.pushcomponent.core.xml.commands;

import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.internal.Empty;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import jakarta.xml.bind.annotation.XmlValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A XEP-0050 ad-hoc command request or answer: node, session id, action or status, available actions, notes and a
 * data form.
 *
 * <p>Mutable JAXB object; not thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0050.html">XEP-0050: Ad-Hoc Commands</a>
 */
@XmlRootElement(name = "command", namespace = Namespaces.COMMANDS)
@XmlType(propOrder = {"actions", "notes", "form", "other"})
@XmlAccessorType(XmlAccessType.FIELD)
public final class Command {
    /** Action: start (or continue) the command. */
    public static final String EXECUTE = "execute";
    /** Action: finish the command with the form given. */
    public static final String COMPLETE = "complete";
    /** Action: next stage. */
    public static final String NEXT = "next";
    /** Action: previous stage. */
    public static final String PREV = "prev";
    /** Action: abandon the command. */
    public static final String CANCEL = "cancel";
    /** Status: more stages follow. */
    public static final String EXECUTING = "executing";
    /** Status: done. */
    public static final String COMPLETED = "completed";
    /** Status: abandoned. */
    public static final String CANCELED = "canceled";

    @XmlAttribute
    private String node;
    @XmlAttribute
    private String sessionid;
    @XmlAttribute
    private String action;
    @XmlAttribute
    private String status;
    @XmlElement(name = "actions", namespace = Namespaces.COMMANDS)
    private Actions actions;
    @XmlElement(name = "note", namespace = Namespaces.COMMANDS)
    private List<Note> notes;
    @XmlElement(name = "x", namespace = Namespaces.DATA)
    private DataForm form;
    @XmlAnyElement(lax = true)
    private List<Object> other;

    /** An empty command. */
    public Command() {
    }

    /** A command request for {@code node} with {@code action} ({@code null} for none, meaning execute). */
    public static Command request(String node, String action) {
        Command c = new Command();
        c.node = node;
        c.action = action;
        return c;
    }

    /** The command node, e.g. {@code register-device}. */
    public String node() {
        return node;
    }

    /** Sets the command node. */
    public Command node(String node) {
        this.node = node;
        return this;
    }

    /** The session id, or {@code null} on a first request. */
    public String sessionId() {
        return sessionid;
    }

    /** Sets the session id. */
    public Command sessionId(String sessionId) {
        this.sessionid = sessionId;
        return this;
    }

    /** The action attribute, or {@code null} (XEP-0050: treated as {@code execute}). */
    public String action() {
        return action;
    }

    /** Sets the action. */
    public Command action(String action) {
        this.action = action;
        return this;
    }

    /** The status attribute of an answer, or {@code null}. */
    public String status() {
        return status;
    }

    /** Sets the status. */
    public Command status(String status) {
        this.status = status;
        return this;
    }

    /**
     * Declares the actions the requester may take next.
     *
     * @param execute  the default action
     * @param allowed  the allowed actions among {@code prev}, {@code next}, {@code complete}
     */
    public Command actions(String execute, String... allowed) {
        Actions a = new Actions();
        a.execute = execute;
        for (String name : allowed) {
            switch (name) {
                case PREV -> a.prev = new Empty();
                case NEXT -> a.next = new Empty();
                case COMPLETE -> a.complete = new Empty();
                default -> throw new IllegalArgumentException("not an allowed action: " + name);
            }
        }
        this.actions = a;
        return this;
    }

    /** The default action of the declared actions, or {@code null}. */
    public String defaultAction() {
        return actions == null ? null : actions.execute;
    }

    /** Adds a note ({@code info}, {@code warn} or {@code error}). */
    public Command note(String type, String text) {
        if (notes == null) {
            notes = new ArrayList<>(1);
        }
        Note n = new Note();
        n.type = type;
        n.text = text;
        notes.add(n);
        return this;
    }

    /** The notes' texts. */
    public List<String> notes() {
        return notes == null ? List.of() : notes.stream().map(n -> n.text).toList();
    }

    /** The data form. */
    public Optional<DataForm> form() {
        return Optional.ofNullable(form);
    }

    /** Sets the data form. */
    public Command form(DataForm form) {
        this.form = form;
        return this;
    }

    /** Children this class does not model; live. */
    public List<Object> other() {
        if (other == null) {
            other = new ArrayList<>(1);
        }
        return other;
    }

    @XmlType(name = "actions", propOrder = {"prev", "next", "complete"})
    @XmlAccessorType(XmlAccessType.FIELD)
    static final class Actions {
        @XmlAttribute
        String execute;
        @XmlElement(name = "prev", namespace = Namespaces.COMMANDS)
        Empty prev;
        @XmlElement(name = "next", namespace = Namespaces.COMMANDS)
        Empty next;
        @XmlElement(name = "complete", namespace = Namespaces.COMMANDS)
        Empty complete;
    }

    @XmlType(name = "note")
    @XmlAccessorType(XmlAccessType.FIELD)
    static final class Note {
        @XmlAttribute
        String type;
        @XmlValue
        String text;
    }
}
