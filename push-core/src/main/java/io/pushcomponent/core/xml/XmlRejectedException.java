package io.pushcomponent.core.xml;

import io.pushcomponent.core.xml.internal.Empty;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.util.Optional;

/**
 * A stanza that was refused while reading: not well-formed, using XML that XMPP forbids, over a limit, or not a
 * stanza at all. The message says what was wrong; it never quotes the input.
 *
 * <p>When the start tag of the refused stanza could still be read, {@link #head()} gives its name, {@code id},
 * {@code type}, {@code from} and {@code to}, so a host can answer a refused IQ with {@link #errorReply()}.
 */
public final class XmlRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the input was refused, with the RFC 6120 condition a host reports. */
    public enum Reason {
        /** The input is not well-formed XML (RFC 6120 stream error {@code not-well-formed}). */
        NOT_WELL_FORMED("not-well-formed"),
        /** A DTD, entity reference, processing instruction or comment (RFC 6120 §11.1, {@code restricted-xml}). */
        RESTRICTED_XML("restricted-xml"),
        /** Too large or too deeply nested ({@code policy-violation}). */
        POLICY_VIOLATION("policy-violation"),
        /** Well-formed, but not a stanza ({@code bad-request}). */
        BAD_REQUEST("bad-request");

        private final String condition;

        Reason(String condition) {
            this.condition = condition;
        }

        /** The RFC 6120 condition name. */
        public String condition() {
            return condition;
        }
    }

    /**
     * The attributes of a refused stanza's start tag; any of them may be {@code null}.
     *
     * @param name the element name: {@code iq}, {@code message}, {@code presence} or another
     * @param id   the {@code id}
     * @param type the {@code type}
     * @param from the {@code from}
     * @param to   the {@code to}
     */
    public record StanzaHead(String name, String id, String type, String from, String to) {
    }

    private final Reason reason;
    private final transient StanzaHead head;
    private final boolean streamUsable;

    XmlRejectedException(Reason reason, String message, StanzaHead head, boolean streamUsable, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.head = head;
        this.streamUsable = streamUsable;
    }

    /** Why the input was refused. */
    public Reason reason() {
        return reason;
    }

    /** The RFC 6120 condition name, e.g. {@code restricted-xml}. */
    public String condition() {
        return reason.condition();
    }

    /** The refused stanza's start tag, when it could be read. */
    public Optional<StanzaHead> head() {
        return Optional.ofNullable(head);
    }

    /**
     * For {@link StanzaCodec#read(javax.xml.stream.XMLStreamReader)}: {@code true} when the refused element was
     * consumed whole and the stream reader can go on with the next stanza; {@code false} when the stream must be
     * closed (with the stream error {@link #condition()}).
     */
    public boolean streamUsable() {
        return streamUsable;
    }

    /**
     * The stanza error a host answers with: {@code modify/policy-violation} for a stanza over a limit,
     * {@code modify/bad-request} otherwise; the text is this exception's message.
     */
    public StanzaError toStanzaError() {
        StanzaError.Condition condition = reason == Reason.POLICY_VIOLATION
                ? StanzaError.Condition.POLICY_VIOLATION : StanzaError.Condition.BAD_REQUEST;
        return StanzaError.of(StanzaError.Type.MODIFY, condition, getMessage());
    }

    /**
     * The error reply to the refused stanza when it was a request IQ ({@code get}/{@code set}) whose {@code id}
     * could be read; every IQ gets an answer. Empty for messages and presences, which get none.
     */
    public Optional<Iq> errorReply() {
        if (head == null || !"iq".equals(head.name())) {
            return Optional.empty();
        }
        return toStanzaError().replyTo(head.name(), head.id(), head.type(), head.from(), head.to())
                .map(Iq.class::cast);
    }
}
