package io.pushcomponent.core.xml.stanza;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.Optional;

/**
 * An {@code <iq/>} stanza: a request ({@code get}/{@code set}) that always gets exactly one answer ({@code result}
 * or {@code error}).
 *
 * <pre>{@code
 * Iq request = Iq.set("push.example.net", new PubSub().publish(node, notification));
 * Iq answer = request.resultReply();
 * }</pre>
 *
 * <p>Mutable and not thread-safe, like every {@link Stanza}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-8.2.3">RFC 6120 §8.2.3 IQ Semantics</a>
 */
@XmlRootElement(name = "iq", namespace = "")
@XmlAccessorType(XmlAccessType.FIELD)
public final class Iq extends Stanza {
    /** Type of a request for information. */
    public static final String GET = "get";
    /** Type of a request that changes something. */
    public static final String SET = "set";
    /** Type of a successful answer. */
    public static final String RESULT = "result";
    /** Type of an error answer. */
    public static final String ERROR = "error";

    /** An empty IQ; set at least {@code id} and {@code type} before writing it. */
    public Iq() {
    }

    /** A {@code get} request to {@code to} with a random id. */
    public static Iq get(String to, Object payload) {
        return request(GET, to, payload);
    }

    /** A {@code set} request to {@code to} with a random id. */
    public static Iq set(String to, Object payload) {
        return request(SET, to, payload);
    }

    private static Iq request(String type, String to, Object payload) {
        Iq iq = new Iq().type(type).to(to).id(StanzaIds.next());
        if (payload != null) {
            iq.add(payload);
        }
        return iq;
    }

    /** {@code true} for {@code get} and {@code set}: an answer is owed. */
    public boolean isRequest() {
        return GET.equals(type()) || SET.equals(type());
    }

    /** The first child element (the request's payload), if any. */
    public Optional<Object> payload() {
        return extensions().isEmpty() ? Optional.empty() : Optional.of(extensions().get(0));
    }

    /** A {@code result} answer: same id, {@code from} and {@code to} swapped, with the given payload if any. */
    public Iq resultReply(Object... payload) {
        Iq reply = new Iq().id(id()).type(RESULT).from(to()).to(from());
        for (Object p : payload) {
            reply.add(p);
        }
        return reply;
    }

    /** An {@code error} answer: same id, {@code from} and {@code to} swapped, carrying {@code error}. */
    public Iq errorReply(StanzaError error) {
        Iq reply = new Iq().id(id()).type(ERROR).from(to()).to(from());
        reply.error(error);
        return reply;
    }

    @Override
    public Iq id(String id) {
        super.id(id);
        return this;
    }

    @Override
    public Iq from(String from) {
        super.from(from);
        return this;
    }

    @Override
    public Iq to(String to) {
        super.to(to);
        return this;
    }

    @Override
    public Iq type(String type) {
        super.type(type);
        return this;
    }

    @Override
    public Iq error(StanzaError error) {
        super.error(error);
        return this;
    }

    @Override
    public Iq add(Object extension) {
        super.add(extension);
        return this;
    }

    @Override
    public String elementName() {
        return "iq";
    }
}
