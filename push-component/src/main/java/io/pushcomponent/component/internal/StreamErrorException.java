package io.pushcomponent.component.internal;

import java.io.IOException;

/** The server closed the stream with an RFC 6120 stream error. The message holds no secret. */
final class StreamErrorException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String condition;

    StreamErrorException(String condition, String text) {
        super("stream error <" + condition + "/>" + (text == null || text.isBlank() ? "" : " (" + text + ")"));
        this.condition = condition;
    }

    /** The condition, e.g. {@code not-authorized}. */
    String condition() {
        return condition;
    }
}
