package io.pushcomponent.component.internal;

import java.io.IOException;

/**
 * The server's stream broke a rule of RFC 6120: the component must end the stream with the stream error
 * {@link #condition()} (RFC 6120 §4.9), close it and reconnect. The message says what was wrong and never quotes the
 * input.
 */
final class StreamFault extends IOException {
    private static final long serialVersionUID = 1L;

    /** The RFC 6120 §4.9.3 conditions the component sends. */
    enum Condition {
        /** §4.9.3.1: XML that cannot be processed and for which no more specific condition applies. */
        BAD_FORMAT("bad-format"),
        /** §4.9.3.2: a namespace prefix that is not declared, or no prefix where one is needed. */
        BAD_NAMESPACE_PREFIX("bad-namespace-prefix"),
        /** §4.9.3.10: the stream header is not in the streams namespace or its content namespace is not supported. */
        INVALID_NAMESPACE("invalid-namespace"),
        /** §4.9.3.11: XML that is well-formed but not what the protocol requires. */
        INVALID_XML("invalid-xml"),
        /** §4.9.3.12: stanzas or other data sent before the stream was authenticated. */
        NOT_AUTHORIZED("not-authorized"),
        /** §4.9.3.13: input that is not well-formed XML, including bytes that are not UTF-8 (§11.6). */
        NOT_WELL_FORMED("not-well-formed"),
        /** §4.9.3.14: a limit of this component, here the size of the server's stream header. */
        POLICY_VIOLATION("policy-violation"),
        /** §4.9.3.18 and §11.1: a DTD, comment, processing instruction or entity reference. */
        RESTRICTED_XML("restricted-xml"),
        /** §4.9.3.22 and §11.6: the stream is declared in an encoding other than UTF-8. */
        UNSUPPORTED_ENCODING("unsupported-encoding"),
        /** §4.9.3.24: a first-level child of the stream that is not a stanza this stream supports. */
        UNSUPPORTED_STANZA_TYPE("unsupported-stanza-type");

        private final String wireName;

        Condition(String wireName) {
            this.wireName = wireName;
        }

        /** The element name, e.g. {@code restricted-xml}. */
        String wireName() {
            return wireName;
        }
    }

    private final Condition condition;

    StreamFault(Condition condition, String message) {
        super(message);
        this.condition = condition;
    }

    /** The stream error to send. */
    Condition condition() {
        return condition;
    }
}
