package io.pushcomponent.monallegacy.internal;

import io.pushcomponent.api.Device;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code v1-register-push}: {@code type}, {@code node} and {@code token} in; the client's node, our JID and a new
 * secret out. The node is the client's: registering it again replaces its token (and the account's registrations of
 * the same token under other nodes, which that device left behind), and another account's node is refused.
 */
final class V1RegisterCommand implements DialectCommand {
    static final String NODE = "v1-register-push";
    private static final Logger LOG = LoggerFactory.getLogger(V1RegisterCommand.class);

    @Override
    public String node() {
        return NODE;
    }

    @Override
    public String title() {
        return "Register a device (mod_push_appserver v1)";
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
        Optional<String> token = V1Forms.value(form, "token");
        if (type.isEmpty() || node.isEmpty() || token.isEmpty()) {
            return V1Forms.notAcceptable(request, "Unknown command data: the fields 'type', 'node' and 'token'"
                    + " are required");
        }
        Optional<String> providerId = V1Forms.provider(type.get(), context);
        if (providerId.isEmpty()) {
            return V1Forms.notAcceptable(request, "Unknown command data: push type '" + type.get()
                    + "' is not served here");
        }
        Device device = Device.of(providerId.get(), token.get());
        Optional<String> tokenProblem = context.provider(providerId.get()).flatMap(p -> p.checkTokens(device));
        if (tokenProblem.isPresent()) {
            return V1Forms.notAcceptable(request, tokenProblem.get());
        }
        Optional<StanzaError> rate = context.acquireRegistration(request.from());
        if (rate.isPresent()) {
            return V1Forms.error(request, rate.get());
        }
        String owner = Jid.bareOf(request.from());
        String secret = V1Forms.randomId();
        return CompletableFuture.supplyAsync(() -> register(context.store(), node.get(), device, owner, secret),
                        context.executor())
                .handle((registered, failure) -> {
                    if (failure != null) {
                        return List.<Stanza>of(request.errorReply(V1Forms.storeError(failure)));
                    }
                    registered.touched().forEach(context::registrationRemoved);
                    registered.changes().forEach(change -> context.metrics().registrationChanged(change.change(),
                            change.providerId()));
                    LOG.info("registered v1 device {} at {} for {}: node {}", Redaction.token(device.token()),
                            device.providerId(), owner, Redaction.token(node.get()));
                    return List.<Stanza>of(V1Forms.completed(request, NODE, context.jid(), node.get(), secret));
                });
    }

    /** A registration added or removed, for the metrics. */
    private record Change(RegistrationChange change, String providerId) {
    }

    /** The nodes whose registrations changed or went (for the node cache), and what that changed (for the metrics). */
    private record Registered(List<String> touched, List<Change> changes) {
    }

    /**
     * Stores the registration under the client's node. A node registered again with another token of the same
     * provider is the same registration (not counted); with another provider it is one removed and one added.
     */
    private static Registered register(DeviceRegistrationStore store, String node, Device device, String owner,
                                       String secret) {
        Jid account = Jid.parse(owner);
        List<String> touched = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        Optional<DeviceRegistration> existing = store.findByNode(node);
        if (existing.isPresent()) {
            if (!account.sameBare(existing.get().owner())) {
                throw new V1Forms.NodeTaken();
            }
            Device before = existing.get().device();
            if (!before.providerId().equals(device.providerId()) || !before.token().equals(device.token())) {
                store.unregister(node);
            }
            if (!before.providerId().equals(device.providerId())) {
                changes.add(new Change(RegistrationChange.UNREGISTERED, before.providerId()));
                changes.add(new Change(RegistrationChange.REGISTERED, device.providerId()));
            }
        } else {
            changes.add(new Change(RegistrationChange.REGISTERED, device.providerId()));
        }
        for (DeviceRegistration r : store.findByToken(device.providerId(), device.token())) {
            if (!r.node().equals(node) && account.sameBare(r.owner()) && store.unregister(r.node())) {
                touched.add(r.node());
                changes.add(new Change(RegistrationChange.UNREGISTERED, r.device().providerId()));
            }
        }
        DeviceRegistration stored = store.register(new DeviceRegistration(node, device, owner, secret,
                Instant.now()));
        touched.add(stored.node());
        return new Registered(List.copyOf(touched), List.copyOf(changes));
    }
}
