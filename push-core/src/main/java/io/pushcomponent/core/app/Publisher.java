package io.pushcomponent.core.app;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.Jid;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.PublishSecret;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Redaction;
import io.pushcomponent.api.store.RegistrationStoreException;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.Summary;
import io.pushcomponent.api.metrics.PublishOutcome;
import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.api.metrics.RegistrationChange;
import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A publish to a device's node: look the node up (cached), check the publisher, read the summary, send through the
 * device's provider and answer with what the provider made of it.
 *
 * <p>Thread-safe; never blocks the caller (store look-ups run on {@link Settings#executor()}, in batches: see
 * {@link NodeLookups}; the node cache's refreshes on the thread that calls {@link #runClaimedRefreshes()}).
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#publishing">XEP-0357 §7 Publishing Notifications</a>
 */
final class Publisher {
    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
    /**
     * The most nodes one store call of a refresh round reads. A round of about 30 nodes in one call held its
     * processor for 0.4-0.7 ms on embedded SQLite, and a thread woken on that processor meanwhile (the connection's
     * reader, or the XMPP server's) waited for it while the other processor idled: in the hot rows at 10,000
     * publishes/s, about a fifth of the answers over 0.5 ms. Eight is one of the stores' prepared look-up sizes.
     */
    static final int REFRESH_CHUNK = 8;
    private static final Set<String> SUMMARY_FORM_TYPES = Set.of(Namespaces.PUSH_SUMMARY,
            Namespaces.PUSH_SUMMARY_LEGACY);

    private final Settings settings;
    private final NodeCache cache;
    private final NodeLookups lookups;
    /** {@link #refresh}, allocated once rather than for every publish. */
    private final Consumer<NodeCache.Refresh> refresh;
    /**
     * Refreshes claimed since {@link #runClaimedRefreshes()} last ran. At most one per cached entry and life, so
     * never more than the cache holds.
     */
    private final ConcurrentLinkedQueue<NodeCache.Refresh> claimedRefreshes = new ConcurrentLinkedQueue<>();
    private final LogThrottle throttle;
    private final Diagnostics diagnostics;
    /** Devices with a wake-up under way: another one for the same device is answered without a push. */
    private final Set<DeviceKey> wakeUpsInFlight = ConcurrentHashMap.newKeySet();

    private record DeviceKey(String providerId, String token) {
        static DeviceKey of(Device d) {
            return new DeviceKey(d.providerId(), d.token());
        }
    }

    /** A publish that cannot be served as sent; the text goes back to the publisher. */
    private static final class MalformedPublish extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedPublish(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * What one publish came to, for {@link PushMetricsListener#publishAnswered}: set along its path, and told to the
     * listener by {@link #accept} when its answer is complete (the completion orders the writes before the read).
     * It is itself the answer's completion callback, so a traced publish costs this object, its stage and two clock
     * reads. {@link #OFF} records nothing.
     */
    private static class Trace implements BiConsumer<List<Stanza>, Throwable> {
        static final Trace OFF = new Trace(PushMetricsListener.NONE, 0) {
            @Override
            void provider(String id) {
            }

            @Override
            void outcome(PublishOutcome o, RejectionReason reason) {
            }
        };

        private final PushMetricsListener metrics;
        private final long startedNanos;
        private String providerId;
        private PublishOutcome outcome;
        private RejectionReason rejection;

        Trace(PushMetricsListener metrics, long startedNanos) {
            this.metrics = metrics;
            this.startedNanos = startedNanos;
        }

        void provider(String id) {
            providerId = id;
        }

        void outcome(PublishOutcome o, RejectionReason reason) {
            outcome = o;
            rejection = reason;
        }

        /** Tells the metrics listener what the publish came to, once it is answered. */
        @Override
        public void accept(List<Stanza> stanzas, Throwable failure) {
            StanzaError error = stanzas == null || stanzas.isEmpty() ? null : stanzas.get(0).error().orElse(null);
            PublishOutcome answered = outcome != null ? outcome
                    : error != null || failure != null ? PublishOutcome.REFUSED : PublishOutcome.DELIVERED;
            String condition = error != null ? error.condition().xmlName()
                    : failure != null ? StanzaError.Condition.INTERNAL_SERVER_ERROR.xmlName() : null;
            metrics.publishAnswered(answered, condition, providerId, rejection, System.nanoTime() - startedNanos);
        }
    }

    Publisher(Settings settings, NodeCache cache, LogThrottle throttle, Diagnostics diagnostics) {
        this.settings = settings;
        this.cache = cache;
        this.lookups = new NodeLookups(settings.store(), settings.executor());
        this.refresh = this::refresh;
        this.throttle = throttle;
        this.diagnostics = diagnostics;
    }

    CompletionStage<List<Stanza>> publish(Iq iq, PubSub pubsub, PubSub.Publish publish) {
        if (settings.metrics() == PushMetricsListener.NONE) {
            return publish(iq, pubsub, publish, Trace.OFF);
        }
        Trace trace = new Trace(settings.metrics(), System.nanoTime());
        return publish(iq, pubsub, publish, trace).whenComplete(trace);
    }

    private CompletionStage<List<Stanza>> publish(Iq iq, PubSub pubsub, PubSub.Publish publish, Trace trace) {
        String node = publish.node();
        if (node == null || node.isBlank()) {
            return reply(iq.errorReply(Errors.badRequest("the publish has no node")));
        }
        if (iq.from() == null || iq.from().isBlank()) {
            settings.quotas().publishesWithoutSender.increment();
            return reply(iq.errorReply(Errors.badRequest("the publish has no sender (from)")));
        }
        if (!settings.allowedDomains().isEmpty()) {
            String domain = Jid.tryParse(iq.from()).map(Jid::domain).orElse(null);
            if (domain == null || !settings.allowedDomains().contains(domain)) {
                return reply(iq.errorReply(Errors.domainNotAllowed(domain)));
            }
        }
        Optional<Optional<DeviceRegistration>> cached = cache.get(node, refresh);
        if (cached.isPresent()) {
            return publish(iq, pubsub, publish, cached.get(), trace);
        }
        long epoch = cache.epoch();
        return lookups.find(node)
                .handle((found, failure) -> {
                    if (failure != null) {
                        logStoreFailure(failure);
                        return reply(iq.errorReply(Errors.storeFailure()));
                    }
                    cache.putIfCurrent(node, found.orElse(null), epoch);
                    return publish(iq, pubsub, publish, found, trace);
                })
                .thenCompose(stage -> stage);
    }

    /**
     * A node whose cached entry is in the last quarter of its life is read again in the background, with the others
     * claimed about the same time (see {@link #runClaimedRefreshes()}); the publish that found it does not wait, and
     * wakes no thread.
     */
    private void refresh(NodeCache.Refresh r) {
        claimedRefreshes.offer(r);
    }

    /**
     * Reads the nodes whose refreshes were claimed since the last call again, {@value #REFRESH_CHUNK} to a store
     * call, on the calling thread; the server calls it every {@link PushAppServer#REFRESH_INTERVAL} on a thread of
     * its own ({@code push-cache-refresh}). A refresh is not urgent (its entry has a quarter of its life left and is
     * served meanwhile); started each when claimed, they woke a store thread each, hundreds of times a second on the
     * publishing thread's processor while the hot nodes of a busy service came due. Between two store calls the
     * thread yields its processor: a thread woken there meanwhile (a connection's reader, anything answering a
     * publish) then waits for one call at most, not for the whole round. When the store fails, the entries expire as
     * they would have.
     */
    void runClaimedRefreshes() {
        List<NodeCache.Refresh> batch = new ArrayList<>(REFRESH_CHUNK);
        for (NodeCache.Refresh r; (r = claimedRefreshes.poll()) != null; ) {
            batch.add(r);
            if (batch.size() == REFRESH_CHUNK) {
                refreshNow(batch);
                batch.clear();
                Thread.yield();
            }
        }
        if (!batch.isEmpty()) {
            refreshNow(batch);
        }
    }

    private void refreshNow(List<NodeCache.Refresh> batch) {
        Map<String, DeviceRegistration> found;
        try {
            found = settings.store().findByNodes(batch.stream().map(NodeCache.Refresh::node).toList());
        } catch (RuntimeException e) {
            logStoreFailure(e);
            return;
        }
        for (NodeCache.Refresh r : batch) {
            cache.refreshed(r, found.get(r.node()));
        }
    }

    private CompletionStage<List<Stanza>> publish(Iq iq, PubSub pubsub, PubSub.Publish publish,
                                                  Optional<DeviceRegistration> found, Trace trace) {
        if (found.isEmpty()) {
            return reply(iq.errorReply(Errors.unknownNode()));
        }
        DeviceRegistration registration = found.get();
        trace.provider(registration.device().providerId());
        Optional<String> violation = pubsub.publishOptions().flatMap(DataForm::violation);
        if (violation.isPresent()) {
            return reply(iq.errorReply(Errors.badRequest("publish-options: " + violation.get())));
        }
        StanzaError secretError = checkSecret(registration, pubsub);
        if (secretError != null) {
            return reply(iq.errorReply(secretError));
        }
        PushRequest request;
        try {
            request = request(registration, notification(publish));
        } catch (MalformedPublish e) {
            return reply(iq.errorReply(Errors.badRequest(e.getMessage())));
        }
        return deliver(iq, registration, request, trace);
    }

    /**
     * Sends {@code request} through the registration's provider and answers {@code iq} with what the provider made
     * of it; never completes exceptionally. Also what dialects deliver through ({@code AppServerContext#deliver}).
     */
    CompletionStage<List<Stanza>> deliver(Iq iq, DeviceRegistration registration, PushRequest request) {
        if (settings.metrics() == PushMetricsListener.NONE) {
            return deliver(iq, registration, request, Trace.OFF);
        }
        Trace trace = new Trace(settings.metrics(), System.nanoTime());
        trace.provider(registration.device().providerId());
        return deliver(iq, registration, request, trace).whenComplete(trace);
    }

    private CompletionStage<List<Stanza>> deliver(Iq iq, DeviceRegistration registration, PushRequest request,
                                                  Trace trace) {
        String providerId = registration.device().providerId();
        Optional<PushProvider> provider = settings.providers().provider(providerId);
        if (provider.isEmpty()) {
            throttle.log("unconfigured:" + providerId, suppressed -> LOG.warn(
                    "publish to a device of provider {}, which is not configured; answering wait errors{}",
                    providerId, suppressedNote(suppressed)));
            StanzaError error = Errors.providerNotConfigured(providerId);
            diagnostics.failure(registration.node(), "not-configured", error);
            return reply(iq.errorReply(error));
        }
        DeviceKey wakeUpKey = isWakeUp(request) ? DeviceKey.of(request.device()) : null;
        if (wakeUpKey != null && !wakeUpsInFlight.add(wakeUpKey)) {
            return reply(iq.resultReply());
        }
        CompletionStage<List<Stanza>> answer = send(provider.get(), request)
                .handle((result, failure) -> outcome(iq, registration, result, failure, trace)
                        .thenApply(replies -> {
                            diagnostics.record(registration.node(), reason(result, failure), replies.get(0));
                            return replies;
                        }))
                .thenCompose(stage -> stage);
        if (wakeUpKey != null) {
            answer = answer.whenComplete((r, e) -> wakeUpsInFlight.remove(wakeUpKey));
        }
        return answer;
    }

    /**
     * The publisher rules for a notification without a secret (a dialect's): a sender, an allowed domain, no
     * {@code require-secret}. Also what dialects check through ({@code AppServerContext#refusedPublisher}).
     */
    Optional<StanzaError> refusedWithoutSecret(String from) {
        if (from == null || from.isBlank()) {
            settings.quotas().publishesWithoutSender.increment();
            return Optional.of(Errors.badRequest("the notification has no sender (from)"));
        }
        if (!settings.allowedDomains().isEmpty()) {
            String domain = Jid.tryParse(from).map(Jid::domain).orElse(null);
            if (domain == null || !settings.allowedDomains().contains(domain)) {
                return Optional.of(Errors.domainNotAllowed(domain));
            }
        }
        return settings.requireSecret() ? Optional.of(Errors.wrongSecret(true)) : Optional.empty();
    }

    private StanzaError checkSecret(DeviceRegistration registration, PubSub pubsub) {
        Optional<DataForm.Field> field = pubsub.publishOptions().flatMap(form -> form.field("secret"));
        if (field.isPresent() && field.get().valueCount() > 1) {
            return Errors.badRequest("publish-options: the field 'secret' has more than one value; XEP-0004 section "
                    + "3.2 allows one in a text-single field");
        }
        String offered = field.flatMap(DataForm.Field::value).orElse(null);
        if (offered == null) {
            return settings.requireSecret() ? Errors.wrongSecret(true) : null;
        }
        String expected = registration.secret();
        if (expected == null) {
            return null;
        }
        return PublishSecret.matches(expected, offered) ? null : Errors.wrongSecret(false);
    }

    private static Notification notification(PubSub.Publish publish) throws MalformedPublish {
        List<PubSub.Item> items = publish.items();
        if (items.isEmpty()) {
            throw new MalformedPublish("the publish has no <item/>");
        }
        return items.get(0).payload(Notification.class).orElseThrow(() -> new MalformedPublish(
                "the published item has no <notification xmlns='" + Namespaces.PUSH + "'/>"));
    }

    private PushRequest request(DeviceRegistration registration, Notification notification) throws MalformedPublish {
        Optional<DataForm> form = notification.form();
        PushRequest base = form.isPresent()
                ? PushRequest.message(registration.device(), registration.owner(), summary(form.get()))
                : new PushRequest(registration.device(), registration.owner(), Summary.EMPTY, PushKind.BACKGROUND,
                        PushPriority.NORMAL, null, registration.owner());
        List<Object> extensions = List.copyOf(notification.other());
        if (extensions.isEmpty()) {
            return base;
        }
        PushRequest request = base;
        try {
            for (AppServerDialect dialect : settings.dialects()) {
                request = dialect.mapNotification(request, extensions);
            }
        } catch (IllegalArgumentException e) {
            throw new MalformedPublish(e.getMessage());
        }
        return request;
    }

    /** Reads the summary form as real servers send it: fields may be missing or empty. */
    private static Summary summary(DataForm form) throws MalformedPublish {
        Optional<String> violation = form.violation();
        if (violation.isPresent()) {
            throw new MalformedPublish("the notification's summary: " + violation.get());
        }
        String formType = form.formType();
        if (formType != null && !SUMMARY_FORM_TYPES.contains(formType)) {
            throw new MalformedPublish("the notification form has FORM_TYPE '" + formType + "'; expected "
                    + Namespaces.PUSH_SUMMARY);
        }
        return new Summary(count(form, "message-count"), form.value("last-message-sender").orElse(null),
                form.value("last-message-body").orElse(null), count(form, "pending-subscription-count"), null);
    }

    private static Integer count(DataForm form, String var) throws MalformedPublish {
        String value = form.value(var).orElse(null);
        if (value == null || (value = value.trim()).isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new MalformedPublish("the summary field '" + var + "' is negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new MalformedPublish("the summary field '" + var + "' is not a number");
        }
    }

    private static boolean isWakeUp(PushRequest request) {
        return request.kind() == PushKind.BACKGROUND && request.summary().isEmpty() && request.encrypted() == null;
    }

    private CompletableFuture<DeliveryResult> send(PushProvider provider, PushRequest request) {
        CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
        try {
            provider.send(request).whenComplete((r, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else if (r == null) {
                    result.completeExceptionally(new IllegalStateException("the provider answered null"));
                } else {
                    result.complete(r);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result.orTimeout(settings.providerTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Why a push failed, for the registration's diagnostics; {@code null} when it was delivered. */
    private static String reason(DeliveryResult result, Throwable failure) {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            return cause instanceof TimeoutException ? "timeout" : "unreachable";
        }
        return result instanceof DeliveryResult.Rejected rejected ? rejected.reason().name() : null;
    }

    /** Maps what the provider made of a push onto the answer (and, for a dead device, its removal). */
    private CompletionStage<List<Stanza>> outcome(Iq iq, DeviceRegistration registration, DeliveryResult result,
                                                  Throwable failure, Trace trace) {
        String providerId = registration.device().providerId();
        if (failure != null) {
            trace.outcome(PublishOutcome.FAILED, null);
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            throttle.log("failed:" + providerId, suppressed -> LOG.warn(
                    "push provider {} failed: {}{}", providerId, describe(cause), suppressedNote(suppressed)));
            return reply(iq.errorReply(Errors.failed(cause)));
        }
        if (result instanceof DeliveryResult.Rejected rejected) {
            trace.outcome(rejected.reason().invalidatesDevice() ? PublishOutcome.DEVICE_GONE : PublishOutcome.REJECTED,
                    rejected.reason());
            if (rejected.reason().invalidatesDevice()) {
                return removeDevice(iq, registration, rejected);
            }
            if (rejected.reason() == RejectionReason.SECOND_TOKEN_INVALID
                    && registration.device().secondToken() != null) {
                return dropSecondToken(iq, registration, rejected);
            }
            throttle.log("rejected:" + providerId + ":" + rejected.reason(), suppressed -> LOG.warn(
                    "push provider {} rejected a push ({}: {}); the device is kept{}", providerId, rejected.reason(),
                    rejected.detail(), suppressedNote(suppressed)));
            return reply(iq.errorReply(Errors.rejected(rejected)));
        }
        return reply(iq.resultReply());
    }

    /**
     * The provider says the token is dead: the registration the push was sent for goes (and only it: other accounts
     * that registered the same token are not touched, since a registration of someone else's token must not be
     * able to remove theirs), the publisher gets {@code cancel/item-not-found} and the owner the XEP-0357
     * remote-disabling message. The registration is removed only while it still holds the token that failed; one
     * re-registered with another token in the meantime stays.
     */
    private CompletionStage<List<Stanza>> removeDevice(Iq iq, DeviceRegistration registration,
                                                       DeliveryResult.Rejected rejected) {
        Device device = registration.device();
        return CompletableFuture.supplyAsync(() -> {
            Optional<DeviceRegistration> current = settings.store().findByNode(registration.node());
            return current.isPresent() && sameToken(current.get().device(), device)
                    && settings.store().unregister(registration.node());
        }, settings.executor()).handle((removed, failure) -> {
            if (failure != null) {
                logStoreFailure(failure);
            }
            if (Boolean.TRUE.equals(removed)) {
                settings.metrics().registrationChanged(RegistrationChange.REMOVED_DEVICE_GONE, device.providerId());
                cache.put(registration.node(), null);
            } else {
                cache.invalidate(registration.node());
            }
            LOG.info("device {} at {} of {} is gone ({}: {}){}", Redaction.token(device.token()),
                    device.providerId(), registration.owner(), rejected.reason(), rejected.detail(),
                    Boolean.TRUE.equals(removed) ? ": registration removed" : "; its registration had changed or "
                            + "could not be removed");
            return List.of(iq.errorReply(Errors.deviceGone(rejected.reason())), Message.of(settings.jid(),
                    registration.owner(), PubSub.affiliationNone(registration.node(), registration.owner())));
        });
    }

    /**
     * The provider refused the device's second token (a PushKit VoIP token): the registration keeps its node and
     * ordinary token and loses only the second token, so later pushes that would have used it go to the ordinary
     * token; the publisher gets a {@code wait} error (the device is fine). Only while the registration still holds
     * the second token that failed.
     */
    private CompletionStage<List<Stanza>> dropSecondToken(Iq iq, DeviceRegistration registration,
                                                          DeliveryResult.Rejected rejected) {
        Device device = registration.device();
        return CompletableFuture.supplyAsync(() -> {
            Optional<DeviceRegistration> current = settings.store().findByNode(registration.node());
            if (current.isEmpty() || !sameToken(current.get().device(), device)
                    || !device.secondToken().equals(current.get().device().secondToken())) {
                return false;
            }
            Device d = current.get().device();
            DeviceRegistration stripped = new DeviceRegistration(registration.node(),
                    new Device(d.providerId(), d.token(), null, d.appId(), d.sandbox()), current.get().owner(),
                    current.get().secret(), current.get().createdAt());
            cache.put(registration.node(), settings.store().register(stripped));
            return true;
        }, settings.executor()).handle((dropped, failure) -> {
            if (failure != null) {
                logStoreFailure(failure);
                cache.invalidate(registration.node());
            }
            LOG.info("second token {} of device {} at {} of {} refused ({}: {}){}",
                    Redaction.token(device.secondToken()), Redaction.token(device.token()), device.providerId(),
                    registration.owner(), rejected.reason(), rejected.detail(),
                    Boolean.TRUE.equals(dropped) ? ": second token dropped, the registration stays" : "");
            return List.<Stanza>of(iq.errorReply(Errors.secondTokenRefused()));
        });
    }

    private static boolean sameToken(Device a, Device b) {
        return a.providerId().equals(b.providerId()) && a.token().equals(b.token());
    }

    private void logStoreFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        throttle.log("store", suppressed -> {
            if (cause instanceof RegistrationStoreException) {
                LOG.warn("registration store failed: {}{}", cause.getMessage(), suppressedNote(suppressed));
            } else {
                LOG.error("registration store failed{}", suppressedNote(suppressed), cause);
            }
        });
    }

    private static String describe(Throwable t) {
        return t instanceof TimeoutException ? "no answer in time"
                : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    static String suppressedNote(long suppressed) {
        return suppressed == 0 ? "" : " (" + suppressed + " more like this since the last report)";
    }

    private static CompletionStage<List<Stanza>> reply(Stanza stanza) {
        return CompletableFuture.completedFuture(List.of(stanza));
    }
}
