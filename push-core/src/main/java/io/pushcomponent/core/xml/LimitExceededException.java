package io.pushcomponent.core.xml;

import javax.xml.stream.XMLStreamException;

/** Thrown from inside a parse by {@link StanzaReader}; {@link StanzaCodec} turns it into a rejection. */
final class LimitExceededException extends XMLStreamException {
    private static final long serialVersionUID = 1L;

    private final XmlRejectedException.Reason reason;

    LimitExceededException(XmlRejectedException.Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    XmlRejectedException.Reason reason() {
        return reason;
    }
}
