package io.pushcomponent.core.user;

import io.pushcomponent.api.Redaction;
import io.pushcomponent.core.dialect.Dialect;
import io.pushcomponent.api.Jid;
import io.pushcomponent.api.store.AccountPushRegistration;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.core.limits.AccountRateLimiter;
import io.pushcomponent.core.user.ErrorPolicy.Outcome;
import io.pushcomponent.core.user.PushExtension.NotificationContext;
import io.pushcomponent.core.user.WhenToNotify.Decision;
import io.pushcomponent.core.user.WhenToNotify.MessageFacts;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.push.Disable;
import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's-server side of XEP-0357, for an XMPP server to embed: clients enable and disable push, the server
 * publishes a notification to the app server when a message arrives for an account that is offline (or, with
 * {@link PushSettings#awayMode()}, whose resources are all away), and reacts to the app server's answers.
 *
 * <pre>{@code
 * PushEnablementService push = PushEnablementService.builder(host).settings(PushSettings.defaults()).build();
 * // for every stanza addressed to an account or to the server itself:
 * if (push.process(stanza)) { return; }          // enable/disable answered, publish reply consumed
 * // for every message routed to an account, before delivering or storing it:
 * push.messageArrived("juliet@capulet.lit", message);
 * // when a client fetched its offline messages:
 * push.offlineMessagesFetched("juliet@capulet.lit");
 * // in the account's disco#info:
 * push.discoFeatures().forEach(info::feature);
 * }</pre>
 *
 * <p>What the host hands in: {@link #process} every IQ that a client addresses to its own account or to the server
 * (enable/disable are answered here, through {@link PushHost#send}), every IQ answer addressed to the server (the
 * app servers' answers to publishes) and every message addressed to an account (the remote-disabling
 * {@code affiliation='none'} message removes the registration; the message is then still delivered as usual).
 *
 * <p><b>Thread-safety:</b> every method is thread-safe. {@link #messageArrived} and {@link #process} do store I/O on
 * the calling thread. <b>Lifecycle:</b> build, use, {@link #close()}: closing stops the publish-timeout scheduler if
 * the service created it and forgets publishes still waiting for an answer.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
public final class PushEnablementService implements AutoCloseable {
    static final String OMEMO_LEGACY = "eu.siacs.conversations.axolotl";
    static final String OMEMO = "urn:xmpp:omemo:1";
    static final String DELAY = "urn:xmpp:delay";
    private static final Logger LOG = LoggerFactory.getLogger(PushEnablementService.class);
    /** The longest node a client may enable (ours are 24 characters, other app servers' well under 100). */
    static final int MAX_NODE_LENGTH = 256;
    /** The most publish-options fields a client may enable. */
    static final int MAX_OPTIONS = 8;
    /** The most values of one publish-options field. */
    static final int MAX_OPTION_VALUES = 4;
    /** The most characters of all publish-options names and values together. */
    static final int MAX_OPTIONS_CHARS = 2048;
    /** How much of an app server's error answer goes into a log line. */
    static final int MAX_LOGGED_ERROR_CHARS = 200;
    /** The most accounts whose publish rate is tracked at once. */
    private static final int MAX_TRACKED_ACCOUNTS = 100_000;

    private final PushHost host;
    private final PushSettings settings;
    private final List<PushExtension> extensions;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final Clock clock;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Integer> unread = new ConcurrentHashMap<>();
    private final AccountRateLimiter publishRate;
    private final LongAdder enablesRefused = new LongAdder();
    private final PushExtension.ServiceContext extensionContext = new ExtensionContext();
    /** The last publish and answer of each registration, in memory; at most {@link #MAX_TRACKED_ACCOUNTS}. */
    private final Map<RegistrationKey, Activity> activity = new ConcurrentHashMap<>();

    private record RegistrationKey(String account, String jid, String node) {
    }

    /** The last publish and the last answer of one registration. */
    private record Activity(Instant lastPublish, Instant lastAnswerAt, String lastAnswer) {
        static final Activity NONE = new Activity(null, null, null);
    }

    private record Pending(String account, String jid, String node, int errorCountAtSend, ScheduledFuture<?> timeout) {
    }

    private PushEnablementService(Builder b) {
        this.host = b.host;
        this.settings = b.settings;
        this.extensions = settings.extended() ? List.copyOf(b.extensions.values()) : List.of();
        this.ownScheduler = b.scheduler == null;
        this.scheduler = ownScheduler ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "push-publish-timeouts");
            t.setDaemon(true);
            return t;
        }) : b.scheduler;
        this.clock = b.clock;
        this.publishRate = new AccountRateLimiter(settings.publishesPerMinute(), MAX_TRACKED_ACCOUNTS);
        if (!settings.extended() && !b.extensions.isEmpty()) {
            LOG.info("push extensions {} are not used: the {} variant is off", b.extensions.keySet(),
                    PushSettings.Variant.EXTENDED.id());
        }
    }

    /** A builder for a service on {@code host}. */
    public static Builder builder(PushHost host) {
        return new Builder(host);
    }

    /** The settings in force. */
    public PushSettings settings() {
        return settings;
    }

    /** Ids of the extensions taking part (none unless {@link PushSettings.Variant#EXTENDED} is on). */
    public List<String> extensionIds() {
        return extensions.stream().map(PushExtension::id).toList();
    }

    /**
     * The features to add to an account's disco#info: {@code urn:xmpp:push:0} and the extensions' features.
     */
    public List<String> discoFeatures() {
        Set<String> features = new LinkedHashSet<>();
        features.add(Namespaces.PUSH);
        extensions.forEach(e -> features.addAll(e.discoFeatures(settings)));
        return List.copyOf(features);
    }

    /**
     * Handles a stanza if it concerns push: answers {@code <enable/>} and {@code <disable/>} IQs (every one gets an
     * answer, sent through {@link PushHost#send}), consumes app servers' answers to publishes and applies the error
     * policy to them, and acts on the remote-disabling message.
     *
     * @return {@code true} when the stanza was consumed and the host must not process it further; for messages
     *         {@code false}, as the host delivers them as usual, except for the answers (error replies) to an
     *         extension's own notifications ({@link PushExtension#consume})
     */
    public boolean process(Stanza stanza) {
        Objects.requireNonNull(stanza, "stanza");
        if (stanza instanceof Iq iq) {
            if (iq.isRequest()) {
                return handleRequest(iq);
            }
            return handleAnswer(iq) || consumedByExtension(stanza);
        }
        if (stanza instanceof Message message) {
            if (consumedByExtension(message)) {
                return true;
            }
            handleRemoteDisabling(message);
        }
        return false;
    }

    /**
     * Decides whether a message for {@code account} warrants a push and publishes one to each registration it
     * applies to. Call it for every message routed to the account, before delivering or storing it offline, once
     * per message: the decision is taken once whichever {@linkplain PushSettings#variants() variants} are on.
     *
     * @param account bare JID of the recipient
     * @param message the message
     * @return how many publishes were sent; a failure (the store, an extension) is logged and never thrown, so that
     *         it cannot hold up the message
     */
    public int messageArrived(String account, Message message) {
        Objects.requireNonNull(message, "message");
        account = Jid.bareOf(Objects.requireNonNull(account, "account"));
        List<AccountPushRegistration> audience;
        int extensionSent = 0;
        try {
            List<AccountPushRegistration> all = host.registrations().list(account);
            if (all.isEmpty()) {
                return 0;
            }
            extensionSent = extensionsNotify(account, message, all);
            List<AccountPushRegistration> registrations = xep0357(all);
            if (registrations.isEmpty()) {
                return extensionSent;
            }
            Decision decision = WhenToNotify.decide(facts(account, message), host.sessions(account),
                    settings.awayMode());
            if (!decision.notifies()) {
                LOG.debug("no push for a message to {}: {}", account, decision);
                return extensionSent;
            }
            audience = registrations.stream().filter(decision::appliesTo).toList();
        } catch (RuntimeException e) {
            LOG.warn("could not decide on a push for a message to {}; the message is not affected", account, e);
            return extensionSent;
        }
        if (audience.isEmpty()) {
            return extensionSent;
        }
        if (!publishRate.tryAcquire(account)) {
            LOG.debug("no push for a message to {}: more than {} a minute", account, settings.publishesPerMinute());
            unread.merge(account, 1, Integer::sum);
            return extensionSent;
        }
        return extensionSent + publishAll(audience, message, unread.merge(account, 1, Integer::sum));
    }

    /**
     * Tells every registration of the account that nothing is unread any more: a notification with
     * {@code message-count} 0, which makes clients clear their badge. Call it when a client fetched the account's
     * offline messages (and, with the away mode, when a resource comes back from away). Does nothing when
     * {@link PushSettings#notifyOfflineMessagesFetched()} is off.
     *
     * @return how many publishes were sent
     */
    public int offlineMessagesFetched(String account) {
        account = Jid.bareOf(Objects.requireNonNull(account, "account"));
        unread.remove(account);
        if (!settings.notifyOfflineMessagesFetched()) {
            return 0;
        }
        try {
            return publishAll(xep0357(host.registrations().list(account)), null, 0);
        } catch (RuntimeException e) {
            LOG.warn("could not read the push registrations of {} to clear their badges", account, e);
            return 0;
        }
    }

    /** Publishes to each registration; one that fails (a broken extension, the host) does not stop the others. */
    private int publishAll(List<AccountPushRegistration> registrations, Message message, int count) {
        int sent = 0;
        for (AccountPushRegistration registration : registrations) {
            try {
                if (publish(registration, message, count)) {
                    sent++;
                }
            } catch (RuntimeException e) {
                LOG.warn("push to {} node {} for {} failed", registration.jid(), Redaction.token(registration.node()),
                        registration.account(), e);
            }
        }
        return sent;
    }

    /**
     * What an app server wrote, made safe for one log line: control characters become {@code ?} and the text is cut
     * at {@value #MAX_LOGGED_ERROR_CHARS} characters, with the full length noted.
     */
    static String forLog(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_LOGGED_ERROR_CHARS) + 16);
        for (int i = 0; i < text.length() && i < MAX_LOGGED_ERROR_CHARS; i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > MAX_LOGGED_ERROR_CHARS) {
            b.append("…(").append(text.length()).append(" characters)");
        }
        return b.toString();
    }

    /**
     * How often a limit of this service refused something since it was built, for metrics: monotonic counters a
     * metrics listener can sample.
     *
     * @param enablesRefused       {@code <enable/>} requests refused for a malformed or local push service JID, or a
     *                             node or publish-options over their limits
     * @param publishesRateLimited messages that published nothing because their account went over
     *                             {@link PushSettings#publishesPerMinute()}
     */
    public record Refusals(long enablesRefused, long publishesRateLimited) {
    }

    /** The refusal counters so far; cheap, callable from any thread. */
    public Refusals refusals() {
        return new Refusals(enablesRefused.sum(), publishRate.refused());
    }

    /**
     * What became of the publishes for each of an account's push registrations: the last publish, the app server's
     * last answer and its errors in a row, so that the host can show an operator (or the account's owner) where
     * pushes stop. The last publish and answer are kept in memory since the service started (for up to
     * {@value #MAX_TRACKED_ACCOUNTS} registrations); the error count is the store's, so it survives a restart.
     *
     * <p>Reads the store on the calling thread.
     *
     * @param account the account, any resource
     * @return one entry per XEP-0357 registration of the account, in the store's order (registrations an extension
     *         owns, such as another push protocol's, are that extension's to report)
     */
    public List<PublishDiagnostics> diagnostics(String account) {
        String bare = Jid.bareOf(Objects.requireNonNull(account, "account"));
        return xep0357(host.registrations().list(bare)).stream().map(r -> {
            Activity a = activity.getOrDefault(new RegistrationKey(bare, r.jid(), r.node()), Activity.NONE);
            return new PublishDiagnostics(r.jid(), r.node(), a.lastPublish(), a.lastAnswerAt(), a.lastAnswer(),
                    r.errorCount());
        }).toList();
    }

    private void published(AccountPushRegistration registration) {
        RegistrationKey key = new RegistrationKey(registration.account(), registration.jid(), registration.node());
        if (activity.size() < MAX_TRACKED_ACCOUNTS || activity.containsKey(key)) {
            Instant now = clock.instant();
            activity.compute(key, (k, a) -> new Activity(now, a == null ? null : a.lastAnswerAt(),
                    a == null ? null : a.lastAnswer()));
        }
    }

    private void answered(Pending p, String answer) {
        Instant now = clock.instant();
        activity.computeIfPresent(new RegistrationKey(p.account(), p.jid(), p.node()),
                (k, a) -> new Activity(a.lastPublish(), now, answer));
    }

    /** Publishes still waiting for the app server's answer. */
    public int pendingPublishes() {
        return pending.size();
    }

    @Override
    public void close() {
        pending.values().forEach(p -> p.timeout().cancel(false));
        pending.clear();
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
    }

    // ---- enable / disable -------------------------------------------------------------------------------------

    private boolean handleRequest(Iq iq) {
        Optional<Enable> enable = iq.extension(Enable.class);
        Optional<Disable> disable = iq.extension(Disable.class);
        if (enable.isEmpty() && disable.isEmpty()) {
            return handledByExtension(iq);
        }
        host.send(answer(iq, enable.orElse(null), disable.orElse(null)));
        return true;
    }

    private Iq answer(Iq iq, Enable enable, Disable disable) {
        String account = requestingAccount(iq);
        if (account == null) {
            return error(iq, StanzaError.Condition.FORBIDDEN, "only the account's own sessions may enable or disable"
                    + " push notifications");
        }
        if (!Iq.SET.equals(iq.type())) {
            return error(iq, StanzaError.Condition.BAD_REQUEST, "enable and disable must be sent with type='set'");
        }
        try {
            return enable != null ? enable(iq, account, enable) : disable(iq, account, disable);
        } catch (RuntimeException e) {
            LOG.warn("push {} for {} failed", enable != null ? "enable" : "disable", account, e);
            return iq.errorReply(StanzaError.of(StanzaError.Type.WAIT, StanzaError.Condition.INTERNAL_SERVER_ERROR,
                    "push settings could not be stored; try again later"));
        }
    }

    /** The account the request is about, when its sender is one of that account's sessions; otherwise null. */
    private String requestingAccount(Iq iq) {
        Optional<Jid> from = Jid.tryParse(iq.from());
        if (from.isEmpty() || !from.get().hasLocal()) {
            return null;
        }
        String to = iq.to();
        boolean toSelfOrServer = to == null || to.equalsIgnoreCase(host.domain()) || from.get().sameBare(to);
        return toSelfOrServer ? from.get().bare().toString() : null;
    }

    private Iq enable(Iq iq, String account, Enable enable) {
        if (enable.jid() == null) {
            return error(iq, StanzaError.Condition.BAD_REQUEST, "the 'jid' attribute of <enable/> is required");
        }
        Jid service;
        try {
            service = Jid.parse(enable.jid());
        } catch (IllegalArgumentException e) {
            return refused(iq, StanzaError.Condition.JID_MALFORMED, "the 'jid' attribute is not a valid JID: "
                    + e.getMessage());
        }
        if (host.isLocalDomain(service.domain())) {
            return refused(iq, StanzaError.Condition.NOT_ACCEPTABLE, "the push service must be an app server, not "
                    + "this server or one of its accounts");
        }
        if (enable.node() == null || enable.node().isBlank()) {
            return error(iq, StanzaError.Condition.BAD_REQUEST, "the 'node' attribute of <enable/> is required");
        }
        if (enable.node().length() > MAX_NODE_LENGTH || enable.node().chars().anyMatch(Character::isISOControl)) {
            return refused(iq, StanzaError.Condition.NOT_ACCEPTABLE, "the 'node' attribute must be at most "
                    + MAX_NODE_LENGTH + " characters without control characters");
        }
        Map<String, List<String>> options = new LinkedHashMap<>();
        Optional<DataForm> form = enable.publishOptions();
        if (form.isPresent()) {
            Optional<String> violation = form.get().violation();
            if (violation.isPresent()) {
                return error(iq, StanzaError.Condition.BAD_REQUEST, "the form in <enable/>: " + violation.get());
            }
            String formType = form.get().formType();
            if (formType != null && !Namespaces.PUBSUB_PUBLISH_OPTIONS.equals(formType)) {
                return error(iq, StanzaError.Condition.BAD_REQUEST, "the form in <enable/> must be of FORM_TYPE "
                        + Namespaces.PUBSUB_PUBLISH_OPTIONS);
            }
            for (DataForm.Field field : form.get().fields()) {
                if (field.var() != null && !"FORM_TYPE".equals(field.var())) {
                    options.put(field.var(), field.values());
                }
            }
            if (!withinOptionLimits(options)) {
                return refused(iq, StanzaError.Condition.NOT_ACCEPTABLE, "the publish-options must have at most "
                        + MAX_OPTIONS + " fields of at most " + MAX_OPTION_VALUES + " values, and at most "
                        + MAX_OPTIONS_CHARS + " characters in all");
            }
        }
        Map<String, String> extensionData = new LinkedHashMap<>();
        for (PushExtension extension : extensions) {
            try {
                extensionData.putAll(extension.parseEnable(enable));
            } catch (IllegalArgumentException e) {
                return error(iq, StanzaError.Condition.BAD_REQUEST, e.getMessage());
            }
        }
        boolean away = extensions.stream().anyMatch(e -> e.notifiesWhileAway(enable));
        AccountPushRegistration registration = new AccountPushRegistration(account, enable.jid(), enable.node(), options, away,
                extensionData, 0, clock.instant());
        List<AccountPushRegistration> dropped = host.registrations().put(registration, settings.maxRegistrationsPerAccount());
        LOG.info("push enabled for {} at {} node {} (away={})", account, registration.jid(),
                Redaction.token(registration.node()), away);
        dropped.forEach(d -> LOG.info("push registration of {} at {} node {} dropped: more than {} registrations",
                account, d.jid(), Redaction.token(d.node()), settings.maxRegistrationsPerAccount()));
        return iq.resultReply();
    }

    private Iq disable(Iq iq, String account, Disable disable) {
        if (disable.jid() == null || Jid.tryParse(disable.jid()).isEmpty()) {
            return error(iq, StanzaError.Condition.BAD_REQUEST, disable.jid() == null
                    ? "the 'jid' attribute of <disable/> is required" : "the 'jid' attribute is not a valid JID");
        }
        AccountPushRegistrationStore store = host.registrations();
        int removed = disable.node() == null ? store.removeAll(account, disable.jid())
                : store.remove(account, disable.jid(), disable.node()) ? 1 : 0;
        activity.keySet().removeIf(k -> k.account().equals(account) && k.jid().equals(disable.jid())
                && (disable.node() == null || k.node().equals(disable.node())));
        LOG.info("push disabled for {} at {}{}: {} registration(s) removed", account, disable.jid(),
                disable.node() == null ? "" : " node " + Redaction.token(disable.node()), removed);
        return iq.resultReply();
    }

    /** The publish-options echoed into every publish stay small: a few fields, a few short values. */
    private static boolean withinOptionLimits(Map<String, List<String>> options) {
        if (options.size() > MAX_OPTIONS) {
            return false;
        }
        int chars = 0;
        for (Map.Entry<String, List<String>> option : options.entrySet()) {
            if (option.getValue().size() > MAX_OPTION_VALUES) {
                return false;
            }
            chars += option.getKey().length();
            for (String value : option.getValue()) {
                chars += value.length();
            }
        }
        return chars <= MAX_OPTIONS_CHARS;
    }

    /** An error answer to an {@code <enable/>} refused by a rule of this service, counted. */
    private Iq refused(Iq iq, StanzaError.Condition condition, String text) {
        enablesRefused.increment();
        return error(iq, condition, text);
    }

    private static Iq error(Iq iq, StanzaError.Condition condition, String text) {
        return iq.errorReply(StanzaError.of(condition, text));
    }

    // ---- publishing ---------------------------------------------------------------------------------------------

    private MessageFacts facts(String account, Message message) {
        boolean hasBody = message.body().filter(b -> !b.isBlank()).isPresent();
        boolean encrypted = Elements.has(message, OMEMO_LEGACY, "encrypted") || Elements.has(message, OMEMO,
                "encrypted");
        boolean fromAccount = Jid.tryParse(message.from()).filter(from -> from.sameBare(account)).isPresent();
        boolean replay = Elements.find(message.extensions(), DELAY, "delay")
                .map(d -> d.getAttribute("from"))
                .filter(from -> !from.isEmpty() && (from.equalsIgnoreCase(Jid.parse(account).domain())
                        || from.equalsIgnoreCase(host.domain())))
                .isPresent();
        boolean triggered = !hasBody && !encrypted && extensions.stream().anyMatch(e -> e.triggers(account, message));
        return new MessageFacts(message.type(), hasBody || encrypted, fromAccount, replay, triggered);
    }

    private boolean publish(AccountPushRegistration registration, Message message, int count) {
        Notification notification = Notification.of(summary(registration.account(), message, count));
        NotificationContext context = new NotificationContext(registration.account(), registration, message, count,
                settings, host);
        for (PushExtension extension : extensions) {
            Optional<Notification> altered = extension.apply(context, notification);
            if (altered.isEmpty()) {
                LOG.debug("push to {} node {} suppressed by {}", registration.jid(),
                        Redaction.token(registration.node()), extension.id());
                return false;
            }
            notification = altered.get();
        }
        PubSub pubsub = PubSub.publish(registration.node(), notification);
        if (!registration.publishOptions().isEmpty()) {
            DataForm options = DataForm.submit(Namespaces.PUBSUB_PUBLISH_OPTIONS);
            registration.publishOptions().forEach((name, values) ->
                    options.field(name, values.toArray(String[]::new)));
            pubsub.publishOptions(options);
        }
        Iq iq = Iq.set(registration.jid(), pubsub).from(host.domain());
        track(iq.id(), registration);
        try {
            host.send(iq);
        } catch (RuntimeException e) {
            Pending p = pending.remove(iq.id());
            if (p != null) {
                p.timeout().cancel(false);
            }
            throw e;
        }
        published(registration);
        return true;
    }

    DataForm summary(String account, Message message, int count) {
        DataForm form = DataForm.submit(Namespaces.PUSH_SUMMARY).field("message-count", Integer.toString(count));
        if (message != null) {
            if (settings.includeSender() && message.from() != null) {
                form.field("last-message-sender", message.from());
            }
            Optional<String> body = message.body().filter(b -> !b.isBlank());
            if (settings.includeBody() && body.isPresent()) {
                form.field("last-message-body", body.get());
            } else if (settings.placeholderBody() != null) {
                form.field("last-message-body", settings.placeholderBody());
            }
        }
        OptionalInt subscriptions = host.pendingSubscriptions(account);
        if (subscriptions.isPresent()) {
            form.field("pending-subscription-count", Integer.toString(subscriptions.getAsInt()));
        }
        return form;
    }

    private void track(String id, AccountPushRegistration registration) {
        ScheduledFuture<?> timeout = scheduler.schedule(() -> timedOut(id),
                settings.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        pending.put(id, new Pending(registration.account(), registration.jid(), registration.node(),
                registration.errorCount(), timeout));
    }

    private void timedOut(String id) {
        Pending p = pending.remove(id);
        if (p != null) {
            answered(p, "timeout");
            apply(p, Outcome.TIMEOUT, "no answer within " + settings.publishTimeout());
        }
    }

    // ---- answers and remote disabling ---------------------------------------------------------------------------

    private boolean handleAnswer(Iq iq) {
        if (iq.id() == null) {
            return false;
        }
        Pending p = pending.get(iq.id());
        if (p == null || Jid.tryParse(iq.from()).filter(from -> from.sameBare(p.jid())).isEmpty()) {
            return false;
        }
        if (!pending.remove(iq.id(), p)) {
            return false;
        }
        p.timeout().cancel(false);
        if (Iq.RESULT.equals(iq.type())) {
            answered(p, "result");
            apply(p, Outcome.RESULT, "result");
        } else {
            StanzaError error = iq.error().orElse(null);
            answered(p, error == null ? "error" : error.type().xmlName() + "/" + error.condition().xmlName());
            Outcome outcome = error == null ? Outcome.WAIT : Outcome.ofErrorType(error.type().xmlName());
            apply(p, outcome, error == null ? "error without <error/>" : forLog(error.toString()));
        }
        return true;
    }

    private void apply(Pending p, Outcome outcome, String detail) {
        AccountPushRegistrationStore store = host.registrations();
        try {
            switch (ErrorPolicy.actionFor(outcome)) {
                case RESET_ERRORS -> {
                    if (p.errorCountAtSend() > 0) {
                        store.resetErrorCount(p.account(), p.jid(), p.node());
                    }
                }
                case COUNT_ERROR -> {
                    OptionalInt count = store.incrementErrorCount(p.account(), p.jid(), p.node());
                    if (count.isPresent() && ErrorPolicy.exhausted(count.getAsInt(), settings.maxConsecutiveErrors())) {
                        remove(p, count.getAsInt() + " consecutive errors, the last: " + detail);
                    } else {
                        LOG.debug("push to {} node {} failed ({}), registration kept", p.jid(),
                                Redaction.token(p.node()), detail);
                    }
                }
                case REMOVE -> remove(p, detail);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not apply the answer of {} ({}) to the push registration of {}", p.jid(), detail,
                    p.account(), e);
        }
    }

    private void remove(Pending p, String why) {
        activity.remove(new RegistrationKey(p.account(), p.jid(), p.node()));
        if (host.registrations().remove(p.account(), p.jid(), p.node())) {
            LOG.info("push registration of {} at {} node {} removed: {}", p.account(), p.jid(),
                    Redaction.token(p.node()), why);
        }
    }

    private void handleRemoteDisabling(Message message) {
        Optional<PubSub> pubsub = message.extension(PubSub.class);
        if (pubsub.isEmpty() || pubsub.get().node() == null || message.from() == null || message.to() == null) {
            return;
        }
        Optional<Jid> to = Jid.tryParse(message.to());
        if (to.isEmpty()) {
            return;
        }
        String account = to.get().bare().toString();
        boolean none = pubsub.get().affiliation().stream()
                .anyMatch(a -> "none".equals(a.affiliation()) && to.get().sameBare(a.jid()));
        if (!none) {
            return;
        }
        String jid = message.from();
        String node = pubsub.get().node();
        try {
            if (host.registrations().remove(account, jid, node)
                    || Jid.tryParse(jid).filter(j -> host.registrations().remove(account, j.bare().toString(), node))
                    .isPresent()) {
                LOG.info("push registration of {} at {} node {} removed: the app server disabled it", account, jid,
                        Redaction.token(node));
            }
        } catch (RuntimeException e) {
            LOG.warn("could not remove the push registration of {} that {} disabled", account, jid, e);
        }
    }

    // ---- extensions that speak a protocol of their own --------------------------------------------------------

    /**
     * Tells the extensions that one of the account's sessions did something a user does: sent a message with a body
     * or a chat state. Hosts call it for such stanzas from their clients; protocols that pause pushes while the user
     * is active elsewhere (a grace period) need it.
     *
     * @param fullJid the session's full JID
     */
    public void sessionActive(String fullJid) {
        Optional<Jid> jid = Jid.tryParse(fullJid).filter(j -> j.hasLocal() && j.resource() != null);
        if (jid.isEmpty()) {
            return;
        }
        String account = jid.get().bare().toString();
        for (PushExtension extension : extensions) {
            try {
                extension.sessionActive(account, jid.get().resource(), extensionContext);
            } catch (RuntimeException e) {
                LOG.warn("push extension {} failed on the activity of {}", extension.id(), account, e);
            }
        }
    }

    /** The registrations XEP-0357 publishes to: those no extension stored for a protocol of its own. */
    private List<AccountPushRegistration> xep0357(List<AccountPushRegistration> registrations) {
        if (extensions.isEmpty()) {
            return registrations;
        }
        return registrations.stream().filter(r -> extensions.stream().noneMatch(e -> e.owns(r))).toList();
    }

    private int extensionsNotify(String account, Message message, List<AccountPushRegistration> registrations) {
        int sent = 0;
        for (PushExtension extension : extensions) {
            try {
                sent += extension.messageArrived(account, message, registrations, extensionContext);
            } catch (RuntimeException e) {
                LOG.warn("push extension {} failed on a message to {}; the message is not affected", extension.id(),
                        account, e);
            }
        }
        return sent;
    }

    private boolean handledByExtension(Iq iq) {
        if (extensions.isEmpty()) {
            return false;
        }
        String account = requestingAccount(iq);
        if (account == null) {
            return false;
        }
        for (PushExtension extension : extensions) {
            Optional<Iq> answer;
            try {
                answer = extension.handleRequest(account, iq, extensionContext);
            } catch (RuntimeException e) {
                LOG.warn("push extension {} failed on a request of {}", extension.id(), account, e);
                answer = Optional.of(iq.errorReply(StanzaError.of(StanzaError.Type.WAIT,
                        StanzaError.Condition.INTERNAL_SERVER_ERROR, "push settings could not be stored; try again"
                                + " later")));
            }
            if (answer.isPresent()) {
                host.send(answer.get());
                return true;
            }
        }
        return false;
    }

    private boolean consumedByExtension(Stanza stanza) {
        for (PushExtension extension : extensions) {
            try {
                if (extension.consume(stanza, extensionContext)) {
                    return true;
                }
            } catch (RuntimeException e) {
                LOG.warn("push extension {} failed on an answer from {}", extension.id(), stanza.from(), e);
                return true;
            }
        }
        return false;
    }

    private final class ExtensionContext implements PushExtension.ServiceContext {
        @Override
        public PushHost host() {
            return host;
        }

        @Override
        public PushSettings settings() {
            return settings;
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return scheduler;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public boolean tryPublish(String account) {
            return publishRate.tryAcquire(account);
        }
    }

    /** Builds a {@link PushEnablementService}; not thread-safe. */
    public static final class Builder {
        private final PushHost host;
        private PushSettings settings = PushSettings.defaults();
        private final Map<String, PushExtension> extensions = new LinkedHashMap<>();
        private ScheduledExecutorService scheduler;
        private Clock clock = Clock.systemUTC();

        private Builder(PushHost host) {
            this.host = Objects.requireNonNull(host, "host");
        }

        /** The settings; {@link PushSettings#defaults()} unless set. */
        public Builder settings(PushSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Adds an extension.
         *
         * @throws IllegalArgumentException when an extension with the same id is already registered
         */
        public Builder extension(PushExtension extension) {
            Objects.requireNonNull(extension, "extension");
            String id = Objects.requireNonNull(extension.id(), "extension id");
            PushExtension previous = extensions.putIfAbsent(id, extension);
            if (previous != null && previous != extension) {
                throw new IllegalArgumentException("two push extensions have the id '" + id + "': "
                        + previous.getClass().getName() + " and " + extension.getClass().getName());
            }
            return this;
        }

        /** Adds the extensions of {@code dialect}'s user's-server half, in its order. */
        public Builder dialect(Dialect dialect) {
            dialect.userServer().forEach(this::extension);
            return this;
        }

        /**
         * Adds the extensions of every {@link Dialect} that {@link java.util.ServiceLoader} finds through
         * {@code loader} ({@link Dialect#discover(ClassLoader)}). A dialect that fails to load is logged and skipped;
         * the others still load.
         *
         * @throws IllegalArgumentException when two extensions have the same id
         */
        public Builder discoverExtensions(ClassLoader loader) {
            Dialect.discover(loader).forEach(this::dialect);
            return this;
        }

        /**
         * The scheduler that times out unanswered publishes; by default the service starts its own daemon thread
         * and stops it on {@link PushEnablementService#close()}. A scheduler given here is not shut down.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The clock that stamps {@link AccountPushRegistration#createdAt()}; the system clock unless set. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The service. */
        public PushEnablementService build() {
            return new PushEnablementService(this);
        }

    }
}
