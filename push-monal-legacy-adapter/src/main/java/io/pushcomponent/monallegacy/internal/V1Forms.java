package io.pushcomponent.monallegacy.internal;

import io.pushcomponent.core.dialect.AppServerContext;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What both commands share: the form's fields, the push types, random values and answers. */
final class V1Forms {
    private static final Logger LOG = LoggerFactory.getLogger(V1Forms.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** mod_push_appserver's push types and the providers they go to. */
    private static final Map<String, String> PROVIDERS = Map.of("apns", "apns", "fcm", "fcm-http-v1");

    private V1Forms() {
    }

    /** A non-blank field's trimmed value. */
    static Optional<String> value(Optional<DataForm> form, String var) {
        return form.flatMap(f -> f.value(var)).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The canonical id of the configured provider a push type goes to. */
    static Optional<String> provider(String type, AppServerContext context) {
        return Optional.ofNullable(PROVIDERS.get(type)).flatMap(context::canonicalProviderId);
    }

    /** 144 random bits, URL-safe Base64 without padding (24 characters). */
    static String randomId() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The answer to malformed command data, as mod_push_appserver gives it. */
    static CompletionStage<List<Stanza>> notAcceptable(Iq request, String text) {
        return error(request, StanzaError.of(StanzaError.Condition.NOT_ACCEPTABLE, text));
    }

    static CompletionStage<List<Stanza>> error(Iq request, StanzaError error) {
        return CompletableFuture.completedFuture(List.of(request.errorReply(error)));
    }

    /** A {@code cancel} action: the session ends, nothing changes. */
    static Optional<CompletionStage<List<Stanza>>> canceled(Iq request, Command command, String node) {
        if (!Command.CANCEL.equals(command.action())) {
            return Optional.empty();
        }
        return Optional.of(CompletableFuture.completedFuture(List.of(request.resultReply(
                new Command().node(node).sessionId(command.sessionId()).status(Command.CANCELED)))));
    }

    /** The completed answer with a result form of {@code jid}, {@code node} and, when given, {@code secret}. */
    static Iq completed(Iq request, String commandNode, String jid, String node, String secret) {
        DataForm form = DataForm.form(null)
                .add(new DataForm.Field("jid").type(DataForm.Field.JID_SINGLE).values(jid))
                .add(new DataForm.Field("node").type(DataForm.Field.TEXT_SINGLE).values(node));
        if (secret != null) {
            form.add(new DataForm.Field("secret").type(DataForm.Field.TEXT_SINGLE).values(secret));
        }
        return request.resultReply(new Command().node(commandNode).sessionId(randomId()).status(Command.COMPLETED)
                .form(form));
    }

    /** The error a failed store call is answered with. */
    static StanzaError storeError(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof NodeTaken) {
            return StanzaError.of(StanzaError.Condition.CONFLICT, "another account registered this node");
        }
        if (cause instanceof IllegalArgumentException) {
            return StanzaError.of(StanzaError.Condition.NOT_ACCEPTABLE, cause.getMessage());
        }
        LOG.warn("a v1 registration could not be changed in the store: {}", cause.toString());
        return StanzaError.of(StanzaError.Condition.INTERNAL_SERVER_ERROR,
                "the registration could not be stored; try again");
    }

    /** The node asked for belongs to another account. */
    static final class NodeTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NodeTaken() {
            super("node registered by another account", null, false, false);
        }
    }
}
