package io.pushcomponent.conversations.internal;

import io.pushcomponent.api.Device;
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
import io.pushcomponent.core.xml.stanza.StanzaError.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * p2's {@code register-push-fcm}: one step, the fields {@code token} and {@code android-id} (or {@code device-id}) in,
 * a form with {@code jid}, {@code node} and {@code secret} out. A registration is kept under the hash of account and
 * device ({@link DeviceHash}); the same account and device registering again keep their node, with the new token
 * and a new secret.
 */
final class RegisterPushCommand implements DialectCommand {
    static final String NODE = "register-push-fcm";
    private static final Logger LOG = LoggerFactory.getLogger(RegisterPushCommand.class);

    @Override
    public String node() {
        return NODE;
    }

    @Override
    public String title() {
        return "Register a device with Firebase Cloud Messaging (Conversations)";
    }

    @Override
    public CompletionStage<List<Stanza>> execute(Iq request, Command command, AppServerContext context) {
        if (Command.CANCEL.equals(command.action())) {
            return CompletableFuture.completedFuture(List.of(request.resultReply(
                    new Command().node(NODE).sessionId(command.sessionId()).status(Command.CANCELED))));
        }
        Optional<DataForm> submitted = command.form();
        if (submitted.isEmpty()) {
            return Forms.error(request, Condition.BAD_REQUEST,
                    NODE + " takes a form with the fields 'token' and 'android-id'");
        }
        DataForm form = submitted.get();
        if (Forms.value(form, "muc").isPresent()) {
            return Forms.error(request, Condition.FEATURE_NOT_IMPLEMENTED,
                    "registrations for group chats (the field 'muc') are not supported by this push service");
        }
        Optional<String> token = Forms.value(form, "token");
        Optional<String> deviceId = Forms.deviceId(form);
        if (token.isEmpty() || deviceId.isEmpty()) {
            return Forms.error(request, Condition.BAD_REQUEST, "the fields 'token' and 'android-id' are required");
        }
        if (deviceId.get().length() > Forms.MAX_DEVICE_ID) {
            return Forms.error(request, Condition.NOT_ACCEPTABLE,
                    "the device id is longer than " + Forms.MAX_DEVICE_ID + " characters");
        }
        Optional<String> providerId = context.canonicalProviderId(P2AppServer.FCM);
        if (providerId.isEmpty()) {
            return Forms.error(request, Condition.ITEM_NOT_FOUND,
                    "Firebase Cloud Messaging is not configured at this push service");
        }
        Device device = Device.of(providerId.get(), token.get());
        Optional<String> tokenProblem = context.provider(providerId.get()).flatMap(p -> p.checkTokens(device));
        if (tokenProblem.isPresent()) {
            return Forms.error(request, Condition.NOT_ACCEPTABLE, tokenProblem.get());
        }
        Optional<StanzaError> rate = context.acquireRegistration(request.from());
        if (rate.isPresent()) {
            return CompletableFuture.completedFuture(List.of(request.errorReply(rate.get())));
        }
        String owner = DeviceHash.of(request.from(), deviceId.get());
        return CompletableFuture.supplyAsync(() -> register(context.store(), device, owner), context.executor())
                .handle((registered, failure) -> {
                    if (failure != null) {
                        return List.<Stanza>of(request.errorReply(storeError(failure)));
                    }
                    registered.touched().forEach(context::registrationRemoved);
                    DeviceRegistration stored = registered.stored();
                    if (registered.added()) {
                        context.metrics().registrationChanged(RegistrationChange.REGISTERED, device.providerId());
                    }
                    for (int i = 0; i < registered.removed(); i++) {
                        context.metrics().registrationChanged(RegistrationChange.UNREGISTERED, device.providerId());
                    }
                    LOG.info("registered Conversations device {} at {}: node {}", Redaction.token(device.token()),
                            device.providerId(), Redaction.token(stored.node()));
                    DataForm result = DataForm.form(null)
                            .add(new DataForm.Field("jid").type(DataForm.Field.JID_SINGLE).values(context.jid()))
                            .add(new DataForm.Field("node").type(DataForm.Field.TEXT_SINGLE).values(stored.node()))
                            .add(new DataForm.Field("secret").type(DataForm.Field.TEXT_SINGLE)
                                    .values(stored.secret()));
                    return List.<Stanza>of(request.resultReply(Forms.completed(NODE).form(result)));
                });
    }

    /**
     * The registration stored; every node whose registration changed or went (for the node cache); whether the
     * registration is new (its device had none at this provider before; a replaced token is not new) and how many
     * earlier registrations of the device went for good (their nodes not kept), for the metrics.
     */
    private record Registered(DeviceRegistration stored, List<String> touched, boolean added, int removed) {
    }

    /**
     * Keeps one registration per account, device and provider: the one with this token if there is one, else the
     * node of an earlier one (its token replaced), else a new node. Runs on the store executor.
     */
    private static Registered register(DeviceRegistrationStore store, Device device, String owner) {
        List<DeviceRegistration> earlier = store.listByOwner(owner).stream()
                .filter(r -> r.device().providerId().equals(device.providerId())).toList();
        Optional<DeviceRegistration> sameToken = earlier.stream()
                .filter(r -> r.device().token().equals(device.token())).findFirst();
        String node = sameToken.or(() -> earlier.stream().findFirst()).map(DeviceRegistration::node)
                .orElseGet(Forms::randomId);
        List<String> touched = new ArrayList<>();
        int removed = 0;
        for (DeviceRegistration r : earlier) {
            if (sameToken.map(same -> !same.node().equals(r.node())).orElse(true) && store.unregister(r.node())) {
                touched.add(r.node());
                if (!r.node().equals(node)) {
                    removed++;
                }
            }
        }
        DeviceRegistration stored = store.register(new DeviceRegistration(node, device, owner, Forms.randomId(),
                Instant.now()));
        touched.add(stored.node());
        return new Registered(stored, List.copyOf(touched), earlier.isEmpty(), removed);
    }

    static StanzaError storeError(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof IllegalArgumentException) {
            return StanzaError.of(Condition.NOT_ACCEPTABLE, cause.getMessage());
        }
        LOG.warn("a Conversations registration could not be stored: {}", cause.toString());
        return StanzaError.of(Condition.INTERNAL_SERVER_ERROR, "the registration could not be stored; try again");
    }
}
