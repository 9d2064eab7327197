package io.pushcomponent.core.xml.internal;

import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.XmlRejectedException;
import javax.xml.stream.XMLStreamException;

/** Thrown from inside a parse by {@link StanzaReader}; {@link StanzaCodec} turns it into a rejection. */
public final class LimitExceededException extends XMLStreamException {
    private static final long serialVersionUID = 1L;

    private final XmlRejectedException.Reason reason;

    public LimitExceededException(XmlRejectedException.Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public XmlRejectedException.Reason reason() {
        return reason;
    }
}
