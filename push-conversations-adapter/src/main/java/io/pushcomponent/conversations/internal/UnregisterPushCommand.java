package io.pushcomponent.conversations.internal;

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
import io.pushcomponent.core.xml.stanza.StanzaError.Condition;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * p2's {@code unregister-push-fcm}: removes the requesting account's registration of the device named by
 * {@code android-id} (or {@code device-id}). A request naming a group chat ({@code channel} or {@code muc}) finds
 * nothing, as this push service keeps no group-chat registrations. Nothing removed is {@code item-not-found}.
 */
final class UnregisterPushCommand implements DialectCommand {
    static final String NODE = "unregister-push-fcm";
    private static final Logger LOG = LoggerFactory.getLogger(UnregisterPushCommand.class);

    @Override
    public String node() {
        return NODE;
    }

    @Override
    public String title() {
        return "Unregister a device from Firebase Cloud Messaging (Conversations)";
    }

    @Override
    public CompletionStage<List<Stanza>> execute(Iq request, Command command, AppServerContext context) {
        if (Command.CANCEL.equals(command.action())) {
            return CompletableFuture.completedFuture(List.of(request.resultReply(
                    new Command().node(NODE).sessionId(command.sessionId()).status(Command.CANCELED))));
        }
        Optional<DataForm> submitted = command.form();
        Optional<String> deviceId = submitted.flatMap(Forms::deviceId);
        if (deviceId.isEmpty()) {
            return Forms.error(request, Condition.BAD_REQUEST, "the field 'android-id' is required");
        }
        DataForm form = submitted.get();
        if (Forms.value(form, "channel").isPresent() || Forms.value(form, "muc").isPresent()) {
            return Forms.error(request, Condition.ITEM_NOT_FOUND, "no registration of that group chat");
        }
        Optional<String> providerId = context.canonicalProviderId(P2AppServer.FCM);
        if (providerId.isEmpty()) {
            return Forms.error(request, Condition.ITEM_NOT_FOUND, "no registration of that device");
        }
        String owner = DeviceHash.of(request.from(), deviceId.get());
        return CompletableFuture.supplyAsync(() -> unregister(context.store(), providerId.get(), owner),
                        context.executor())
                .handle((removed, failure) -> {
                    if (failure != null) {
                        return List.<Stanza>of(request.errorReply(RegisterPushCommand.storeError(failure)));
                    }
                    if (removed.isEmpty()) {
                        return List.<Stanza>of(request.errorReply(StanzaError.of(
                                Condition.ITEM_NOT_FOUND, "no registration of that device")));
                    }
                    removed.forEach(context::registrationRemoved);
                    removed.forEach(node -> context.metrics().registrationChanged(RegistrationChange.UNREGISTERED,
                            providerId.get()));
                    LOG.info("unregistered {} Conversations registration(s)", removed.size());
                    return List.<Stanza>of(request.resultReply(Forms.completed(NODE)));
                });
    }

    private static List<String> unregister(DeviceRegistrationStore store, String providerId, String owner) {
        return store.listByOwner(owner).stream()
                .filter(r -> r.device().providerId().equals(providerId))
                .map(DeviceRegistration::node)
                .filter(store::unregister)
                .toList();
    }
}
