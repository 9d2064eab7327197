package io.pushcomponent.core.app;

import io.pushcomponent.api.Jid;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Redaction;
import io.pushcomponent.api.Summary;
import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a device owner and an operator can learn and do beyond XEP-0357: each registration with what became of its
 * pushes ({@link DeliveryDiagnostics}), removal of registrations by owner, node or device token, the number of
 * registrations per provider, and a test push to a node. The app server's ad-hoc commands ({@code push-diagnostics}
 * for owners, the {@code push-admin#...} commands for administrators) and a host's admin HTTP routes both go
 * through it, so both behave alike.
 *
 * <p><b>Authorisation</b> is the caller's: the commands allow an owner their own registrations and the admin
 * operations only to {@link #isAdmin administrators}; an HTTP route checks its token first. Every admin operation is
 * logged at INFO by the logger of this class: who asked ({@code actor}), what, and how many registrations it
 * concerned; device tokens appear only shortened ({@link Redaction#token}).
 *
 * <p><b>Removal</b> takes effect at once on this instance (its node cache forgets the nodes); the owner's server learns
 * of it from the {@code item-not-found} answer to its next publish, which makes it disable push for that node.
 *
 * <p><b>Thread-safety:</b> thread-safe. Never blocks: store calls run on the app server's executor, and the stages
 * complete there (or where the provider answers). <b>Lifecycle:</b> as its {@link PushAppServer}.
 */
public final class Administration {
    private static final Logger LOG = LoggerFactory.getLogger(Administration.class);

    /** The text of the notification a test push carries. */
    public static final String TEST_PUSH_BODY = "Test notification from the push service";

    private final Settings settings;
    private final NodeCache cache;
    private final Diagnostics diagnostics;
    private final Publisher publisher;

    Administration(Settings settings, NodeCache cache, Diagnostics diagnostics, Publisher publisher) {
        this.settings = settings;
        this.cache = cache;
        this.diagnostics = diagnostics;
        this.publisher = publisher;
    }

    /**
     * A registration as owners and operators see it.
     *
     * @param node        the pubsub node
     * @param owner       the bare JID that registered it
     * @param providerId  the canonical provider id
     * @param token       the device token, shortened ({@link Redaction#token}): enough to tell devices apart
     * @param createdAt   when it was registered
     * @param diagnostics what became of its pushes, including those not yet written to the store
     */
    public record RegistrationReport(String node, String owner, String providerId, String token, Instant createdAt,
                                     DeliveryDiagnostics diagnostics) {
    }

    /**
     * The outcome of a {@link #testPush test push}.
     *
     * @param delivered {@code true} when the provider accepted it
     * @param condition the XMPP error a publish would have got ({@code type/condition}), {@code null} when delivered
     * @param text      the error's text, {@code null} when delivered
     */
    public record TestPushOutcome(boolean delivered, String condition, String text) {
    }

    /** {@code true} when {@code jid} (any resource) is one of the configured administrators. */
    public boolean isAdmin(String jid) {
        return jid != null && Jid.tryParse(jid).map(j -> settings.admins().contains(j.bare().toString()))
                .orElse(false);
    }

    /** The configured administrators' bare JIDs. */
    public Set<String> admins() {
        return settings.admins();
    }

    /**
     * An account's registrations with their diagnostics, oldest first, for the account itself (the
     * {@code push-diagnostics} command); not logged.
     *
     * @param owner the account, any resource and case
     */
    public CompletionStage<List<RegistrationReport>> registrations(String owner) {
        String bare = Jid.bareOf(Objects.requireNonNull(owner, "owner"));
        return onStore(() -> reports(settings.store().listByOwner(bare)));
    }

    /** An account's registrations with their diagnostics, for an administrator; logged. */
    public CompletionStage<List<RegistrationReport>> listByOwner(String actor, String owner) {
        String bare = Jid.bareOf(Objects.requireNonNull(owner, "owner"));
        return onStore(() -> reports(settings.store().listByOwner(bare)))
                .whenComplete((found, failure) -> log(actor, "list registrations of " + bare, found == null ? -1
                        : found.size(), failure));
    }

    /**
     * Removes every registration of an account.
     *
     * @return how many were removed
     */
    public CompletionStage<Integer> removeByOwner(String actor, String owner) {
        String bare = Jid.bareOf(Objects.requireNonNull(owner, "owner"));
        return onStore(() -> remove(settings.store().listByOwner(bare)))
                .whenComplete((n, failure) -> log(actor, "remove registrations of " + bare, n == null ? -1 : n,
                        failure));
    }

    /**
     * Removes the registration of a node.
     *
     * @return 1 when it existed, 0 otherwise
     */
    public CompletionStage<Integer> removeByNode(String actor, String node) {
        Objects.requireNonNull(node, "node");
        return onStore(() -> remove(settings.store().findByNode(node).stream().toList()))
                .whenComplete((n, failure) -> log(actor, "remove the registration of node " + Redaction.token(node),
                        n == null ? -1 : n, failure));
    }

    /**
     * Removes every registration of a device token, whoever owns it.
     *
     * @param providerId a provider id or an alias clients send for it
     * @return how many were removed; 0 also for a provider that is not configured
     */
    public CompletionStage<Integer> removeByToken(String actor, String providerId, String token) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(token, "token");
        String canonical = settings.providers().canonicalId(providerId).orElse(providerId);
        return onStore(() -> remove(settings.store().findByToken(canonical, token)))
                .whenComplete((n, failure) -> log(actor, "remove the registrations of device "
                        + Redaction.token(token) + " at " + canonical, n == null ? -1 : n, failure));
    }

    /** The number of registrations per canonical provider id. */
    public CompletionStage<Map<String, Long>> countByProvider(String actor) {
        return onStore(() -> settings.store().countByProvider())
                .whenComplete((counts, failure) -> log(actor, "count registrations per provider",
                        counts == null ? -1 : counts.values().stream().mapToLong(Long::longValue).sum(), failure));
    }

    /**
     * Sends a test notification ({@link #TEST_PUSH_BODY}, one message) to a node's device through its provider, as
     * a publish would be sent, and says what became of it. It counts in the registration's diagnostics, and a
     * provider that calls the token dead removes the registration as after a publish.
     *
     * @return empty when the node has no registration
     */
    public CompletionStage<Optional<TestPushOutcome>> testPush(String actor, String node) {
        Objects.requireNonNull(node, "node");
        return onStore(() -> settings.store().findByNode(node))
                .thenCompose(found -> {
                    if (found.isEmpty()) {
                        return CompletableFuture.completedFuture(Optional.<TestPushOutcome>empty());
                    }
                    DeviceRegistration registration = found.get();
                    Iq request = (Iq) Iq.set(settings.jid(), null).from(actor);
                    PushRequest push = PushRequest.message(registration.device(), registration.owner(),
                            new Summary(1, settings.jid(), TEST_PUSH_BODY, null, null));
                    return publisher.deliver(request, registration, push)
                            .thenApply(replies -> Optional.of(outcome(replies.get(0))));
                })
                .whenComplete((outcome, failure) -> log(actor, "test push to node " + Redaction.token(node)
                        + (outcome == null || outcome.isEmpty() ? "" : outcome.get().delivered() ? ": delivered"
                        : ": failed, " + outcome.get().condition()), outcome == null ? -1
                        : outcome.map(o -> 1).orElse(0), failure));
    }

    private static TestPushOutcome outcome(Stanza answer) {
        Optional<StanzaError> error = answer.error();
        return error.map(e -> new TestPushOutcome(false, Diagnostics.condition(e), e.text().orElse(null)))
                .orElseGet(() -> new TestPushOutcome(true, null, null));
    }

    /** Runs on the store executor. */
    private List<RegistrationReport> reports(List<DeviceRegistration> registrations) {
        Map<String, DeliveryDiagnostics> found = diagnostics.read(registrations.stream()
                .map(DeviceRegistration::node).toList());
        List<RegistrationReport> reports = new ArrayList<>(registrations.size());
        for (DeviceRegistration r : registrations) {
            reports.add(new RegistrationReport(r.node(), r.owner(), r.device().providerId(),
                    Redaction.token(r.device().token()), r.createdAt(),
                    found.getOrDefault(r.node(), DeliveryDiagnostics.NONE)));
        }
        return List.copyOf(reports);
    }

    /** Runs on the store executor. */
    private int remove(List<DeviceRegistration> registrations) {
        int removed = 0;
        for (DeviceRegistration r : registrations) {
            if (settings.store().unregister(r.node())) {
                cache.put(r.node(), null);
                removed++;
            }
        }
        return removed;
    }

    private <T> CompletionStage<T> onStore(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, settings.executor());
    }

    private static void log(String actor, String what, long count, Throwable failure) {
        if (failure != null) {
            LOG.warn("admin {}: {} failed: {}", actor, what, failure.getMessage());
        } else {
            LOG.info("admin {}: {}: {} registrations", actor, what, count);
        }
    }
}
