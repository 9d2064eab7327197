package io.pushcomponent.conversations.internal;

import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What both commands share: reading the submitted form, the device id, random values, answers. */
final class Forms {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Longest device id accepted; Android's ids are 16 hexadecimal digits. */
    static final int MAX_DEVICE_ID = 256;

    private Forms() {
    }

    /** A non-blank field's trimmed value. */
    static Optional<String> value(DataForm form, String var) {
        return form.value(var).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The device id: {@code device-id}, else {@code android-id}, as p2 reads it. */
    static Optional<String> deviceId(DataForm form) {
        return value(form, "device-id").or(() -> value(form, "android-id"));
    }

    /** 144 random bits, URL-safe Base64 without padding (24 characters). */
    static String randomId() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static CompletionStage<List<Stanza>> error(Iq request, StanzaError.Condition condition, String text) {
        return CompletableFuture.completedFuture(List.of(request.errorReply(StanzaError.of(condition, text))));
    }

    static Command completed(String node) {
        return new Command().node(node).sessionId(randomId()).status(Command.COMPLETED);
    }
}
