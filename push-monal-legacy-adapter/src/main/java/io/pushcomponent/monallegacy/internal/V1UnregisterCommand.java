package io.pushcomponent.monallegacy.internal;

import io.pushcomponent.api.Jid;
import io.pushcomponent.api.Redaction;
import io.pushcomponent.api.metrics.RegistrationChange;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.dialect.AppServerContext;
import io.pushcomponent.core.dialect.DialectCommand;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code v1-unregister-push}: {@code type} and {@code node} in; the requesting account's registration of that node
 * goes, and the answer names our JID and the node. A node nobody registered and another account's node are both
 * {@code item-not-found}, so that nobody learns which nodes exist.
 */
final class V1UnregisterCommand implements DialectCommand {
    static final String NODE = "v1-unregister-push";
    private static final Logger LOG = LoggerFactory.getLogger(V1UnregisterCommand.class);

    @Override
    public String node() {
        return NODE;
    }

    @Override
    public String title() {
        return "Unregister a device (mod_push_appserver v1)";
    }

    @Override
    public CompletionStage<List<Stanza>> execute(Iq request, Command command, AppServerContext context) {
        Optional<CompletionStage<List<Stanza>>> canceled = V1Forms.canceled(request, command, NODE);
        if (canceled.isPresent()) {
            return canceled.get();
        }
        Optional<DataForm> form = command.form();
        Optional<String> type = V1Forms.value(form, "type");
        Optional<String> node = V1Forms.value(form, "node");
        if (type.isEmpty() || node.isEmpty()) {
            return V1Forms.notAcceptable(request, "Unknown command data: the fields 'type' and 'node' are required");
        }
        Optional<String> providerId = V1Forms.provider(type.get(), context);
        if (providerId.isEmpty()) {
            return V1Forms.notAcceptable(request, "Unknown command data: push type '" + type.get()
                    + "' is not served here");
        }
        Jid account = Jid.parse(Jid.bareOf(request.from()));
        return CompletableFuture.supplyAsync(() -> unregister(context.store(), node.get(), providerId.get(), account),
                        context.executor())
                .handle((removed, failure) -> {
                    if (failure != null) {
                        return List.<Stanza>of(request.errorReply(V1Forms.storeError(failure)));
                    }
                    if (!removed) {
                        return List.<Stanza>of(request.errorReply(StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND,
                                "Node not found")));
                    }
                    context.registrationRemoved(node.get());
                    context.metrics().registrationChanged(RegistrationChange.UNREGISTERED, providerId.get());
                    LOG.info("unregistered v1 node {} for {}", Redaction.token(node.get()),
                            account);
                    return List.<Stanza>of(V1Forms.completed(request, NODE, context.jid(), node.get(), null));
                });
    }

    private static boolean unregister(DeviceRegistrationStore store, String node, String providerId, Jid account) {
        Optional<DeviceRegistration> existing = store.findByNode(node);
        return existing.isPresent() && account.sameBare(existing.get().owner())
                && existing.get().device().providerId().equals(providerId) && store.unregister(node);
    }
}
