package io.pushcomponent.core.app;

import io.pushcomponent.api.metrics.RegistrationChange;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.Jid;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.Redaction;
import io.pushcomponent.api.store.RegistrationStoreException;
import io.pushcomponent.core.dialect.AppServerContext;
import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.dialect.DialectCommand;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ad-hoc commands {@code register-device} and {@code unregister-device} (XEP-0050 with XEP-0004 forms), and
 * the dispatch to the commands dialects add ({@link DialectCommand}).
 *
 * <p>Two-step use: {@code execute} returns a form and a session id; the form comes back with that session id and
 * {@code complete} (or {@code execute}, or no action). One-step use, as real clients do it: Siskin sends
 * {@code execute} with the filled-in form, Stork sends no action at all; both are completed at once.
 * Sessions live in memory for {@link Settings#sessionTimeout()}.
 *
 * <p>Limits per account (bare JID), so that one account cannot use up what others need ({@link Quotas}): open
 * sessions, {@code register-device} requests per minute, registrations kept (the oldest go). Tokens are checked
 * against the provider's format ({@link io.pushcomponent.api.PushProvider#checkTokens}) before anything is stored.
 * {@code unregister-device} gives the same answer for a token nobody registered and for another account's.
 *
 * <p>Thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0050.html">XEP-0050: Ad-Hoc Commands</a>
 */
final class Commands {
    static final String REGISTER = "register-device";
    static final String UNREGISTER = "unregister-device";
    static final List<String> NODES = List.of(REGISTER, UNREGISTER);

    static final String FIELD_PROVIDER = "provider";
    static final String FIELD_TOKEN = "device-token";
    static final String FIELD_SECOND_TOKEN = "device-second-token";
    static final String FIELD_NODE = "node";
    static final String FIELD_SECRET = "secret";

    /** The commands' fields: {@code list-single} and {@code text-single}, one value each (XEP-0004 §3.3). */
    private static final Set<String> SINGLE_VALUED = Set.of(FIELD_PROVIDER, FIELD_TOKEN, FIELD_SECOND_TOKEN);
    private static final Logger LOG = LoggerFactory.getLogger(Commands.class);
    private static final Set<String> ACTIONS = Set.of(Command.EXECUTE, Command.COMPLETE, Command.NEXT, Command.PREV,
            Command.CANCEL);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private final Settings settings;
    private final NodeCache cache;
    private final AppServerContext context;
    private final OperatorCommands operator;
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    /** Open sessions per account (bare JID), kept in step with {@link #sessions}. */
    private final ConcurrentHashMap<String, Integer> openByAccount = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime() - SWEEP_INTERVAL_NANOS);

    private record Session(String command, String requester, long expiresAt) {
        boolean expired(long now) {
            return now - expiresAt >= 0;
        }
    }

    Commands(Settings settings, NodeCache cache, AppServerContext context, OperatorCommands operator) {
        this.settings = settings;
        this.cache = cache;
        this.context = context;
        this.operator = operator;
    }

    static boolean isCommand(String node) {
        return NODES.contains(node);
    }

    static String title(String node) {
        return REGISTER.equals(node) ? "Register a device for push notifications"
                : "Unregister a device from push notifications";
    }

    /** Random, URL-safe, {@code bytes * 8} bits. */
    static String randomId(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return URL_SAFE.encodeToString(b);
    }

    CompletionStage<List<Stanza>> handle(Iq iq, Command command) {
        String node = command.node();
        if (node == null || node.isEmpty()) {
            return reply(iq.errorReply(Errors.badRequest("the command has no node, which XEP-0050 requires")));
        }
        DialectCommand dialectCommand = settings.dialectCommands().get(node);
        if (dialectCommand == null) {
            dialectCommand = operator.command(node).orElse(null);
        }
        if (!isCommand(node) && dialectCommand == null) {
            List<String> nodes = new ArrayList<>(NODES);
            nodes.addAll(settings.dialectCommands().keySet());
            operator.nodes().stream().filter(n -> operator.allowed(n, iq.from())).forEach(nodes::add);
            return reply(iq.errorReply(Errors.itemNotFound("no command '" + node + "'; commands here: "
                    + String.join(", ", nodes))));
        }
        if (Jid.tryParse(iq.from()).isEmpty()) {
            return reply(iq.errorReply(Errors.badRequest("the command has no sender (from) or not a valid one")));
        }
        String action = command.action() == null ? Command.EXECUTE : command.action();
        if (!ACTIONS.contains(action)) {
            return reply(iq.errorReply(Errors.malformedAction(action)));
        }
        Optional<DataForm> form = command.form();
        boolean cancel = Command.CANCEL.equals(action)
                || form.map(f -> DataForm.CANCEL.equals(f.type())).orElse(false);
        Optional<String> violation = cancel ? Optional.empty() : form.flatMap(DataForm::violation);
        if (violation.isPresent()) {
            return reply(iq.errorReply(Errors.badRequest(violation.get())));
        }
        if (dialectCommand != null) {
            return dialectCommand.execute(iq, command, context);
        }
        Optional<String> repeated = cancel ? Optional.empty() : form.flatMap(Commands::repeatedSingleValue);
        if (repeated.isPresent()) {
            return reply(iq.errorReply(Errors.badRequest("the field '" + repeated.get() + "' has more than one"
                    + " value; XEP-0004 section 3.2 allows one in a field of this type")));
        }
        Optional<DataForm> submitted = form.filter(Commands::isFilledIn);
        String sessionId = command.sessionId();
        if (sessionId != null) {
            Session session = sessions.get(sessionId);
            if (session == null || !session.command().equals(node) || !session.requester().equals(iq.from())) {
                return reply(iq.errorReply(Errors.badSessionId()));
            }
            if (session.expired(System.nanoTime())) {
                removeSession(sessionId, session);
                return reply(iq.errorReply(Errors.sessionExpired()));
            }
            if (Command.PREV.equals(action)) {
                return reply(iq.errorReply(Errors.badAction(action)));
            }
            if (!cancel && submitted.isEmpty()) {
                return reply(iq.errorReply(Errors.badRequest("submit the filled-in form to complete " + node)));
            }
            if (!removeSession(sessionId, session)) {
                return reply(iq.errorReply(Errors.badSessionId()));
            }
        }
        if (cancel) {
            return reply(iq.resultReply(new Command().node(node).sessionId(sessionId).status(Command.CANCELED)));
        }
        if (Command.PREV.equals(action)) {
            return reply(iq.errorReply(Errors.badAction(action)));
        }
        if (submitted.isPresent()) {
            String resultSession = sessionId != null ? sessionId : randomId(12);
            return REGISTER.equals(node) ? register(iq, submitted.get(), resultSession)
                    : unregister(iq, submitted.get(), resultSession);
        }
        return start(iq, node);
    }

    /** The first of this form's own single-valued fields (all of them are) submitted with more than one value. */
    private static Optional<String> repeatedSingleValue(DataForm form) {
        return form.fields().stream().filter(f -> f.valueCount() > 1 && SINGLE_VALUED.contains(f.var()))
                .map(DataForm.Field::var).findFirst();
    }

    /** A form counts as submitted when it is not a blank form: some clients send no type, others {@code submit}. */
    private static boolean isFilledIn(DataForm form) {
        if (DataForm.FORM.equals(form.type()) || DataForm.RESULT.equals(form.type())) {
            return false;
        }
        return form.fields().stream().anyMatch(f -> !"FORM_TYPE".equals(f.var()) && f.value().isPresent());
    }

    private CompletionStage<List<Stanza>> start(Iq iq, String node) {
        long now = System.nanoTime();
        Quotas quotas = settings.quotas();
        if (sessions.size() >= quotas.maxSessions) {
            removeExpired(now);
            if (sessions.size() >= quotas.maxSessions) {
                quotas.sessionsRefused.increment();
                return reply(iq.errorReply(Errors.tooManySessions()));
            }
        }
        String account = Jid.bareOf(iq.from());
        if (openByAccount.getOrDefault(account, 0) >= quotas.maxSessionsPerAccount) {
            removeExpired(now);
        }
        boolean[] admitted = new boolean[1];
        openByAccount.compute(account, (a, open) -> {
            int n = open == null ? 0 : open;
            admitted[0] = n < quotas.maxSessionsPerAccount;
            return admitted[0] ? n + 1 : open;
        });
        if (!admitted[0]) {
            quotas.sessionsPerAccountRefused.increment();
            return reply(iq.errorReply(Errors.accountLimit("this account has " + quotas.maxSessionsPerAccount
                    + " command sessions open, the most allowed; complete or cancel one, or wait for it to expire")));
        }
        String sessionId = randomId(12);
        sessions.put(sessionId, new Session(node, iq.from(), now + settings.sessionTimeout().toNanos()));
        Command answer = new Command().node(node).sessionId(sessionId).status(Command.EXECUTING)
                .actions(Command.COMPLETE, Command.COMPLETE)
                .form(REGISTER.equals(node) ? registerForm() : unregisterForm());
        return reply(iq.resultReply(answer));
    }

    /** Removes a session and counts it off its account; {@code false} when it was no longer there. */
    private boolean removeSession(String sessionId, Session session) {
        if (!sessions.remove(sessionId, session)) {
            return false;
        }
        openByAccount.computeIfPresent(Jid.bareOf(session.requester()), (a, open) -> open <= 1 ? null : open - 1);
        return true;
    }

    /**
     * Removes expired sessions, at most once a second: a scan of every session, so that requests refused while the
     * limits are reached cost no scan each.
     */
    private void removeExpired(long now) {
        long last = lastSweep.get();
        if (now - last < SWEEP_INTERVAL_NANOS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        sessions.forEach((id, session) -> {
            if (session.expired(now)) {
                removeSession(id, session);
            }
        });
    }

    private DataForm registerForm() {
        DataForm form = DataForm.form(null).title(title(REGISTER))
                .instructions("Choose the push service of this device and give its token.");
        form.add(providerField());
        form.add(new DataForm.Field(FIELD_TOKEN).type(DataForm.Field.TEXT_SINGLE).label("Device token")
                .required(true));
        form.add(new DataForm.Field(FIELD_SECOND_TOKEN).type(DataForm.Field.TEXT_SINGLE)
                .label("Second device token (VoIP / PushKit), optional"));
        return form;
    }

    private DataForm unregisterForm() {
        DataForm form = DataForm.form(null).title(title(UNREGISTER));
        form.add(providerField());
        form.add(new DataForm.Field(FIELD_TOKEN).type(DataForm.Field.TEXT_SINGLE).label("Device token")
                .required(true));
        return form;
    }

    private DataForm.Field providerField() {
        DataForm.Field field = new DataForm.Field(FIELD_PROVIDER).type(DataForm.Field.LIST_SINGLE)
                .label("Push service").required(true);
        List<String> ids = settings.providers().canonicalIds();
        ids.forEach(id -> field.option(id, id));
        if (ids.size() == 1) {
            field.values(ids.get(0));
        }
        return field;
    }

    /** The canonical provider id and token of a submitted form, or the error to answer with. */
    private record DeviceFields(String providerId, String token, StanzaError error) {
    }

    private DeviceFields deviceFields(DataForm form) {
        Optional<String> requested = form.value(FIELD_PROVIDER).map(String::trim);
        if (requested.isEmpty()) {
            return new DeviceFields(null, null, Errors.badRequest("the field 'provider' is required; available: "
                    + settings.providers().describeAvailable()));
        }
        Optional<String> providerId = settings.providers().canonicalId(requested.get());
        if (providerId.isEmpty()) {
            return new DeviceFields(null, null, Errors.badRequest("unknown push provider '" + requested.get()
                    + "'; available: " + settings.providers().describeAvailable()));
        }
        Optional<String> token = form.value(FIELD_TOKEN).map(String::trim).filter(t -> !t.isEmpty());
        if (token.isEmpty()) {
            return new DeviceFields(null, null, Errors.badRequest("the field 'device-token' is required"));
        }
        return new DeviceFields(providerId.get(), token.get(), null);
    }

    private CompletionStage<List<Stanza>> register(Iq iq, DataForm form, String sessionId) {
        DeviceFields fields = deviceFields(form);
        if (fields.error() != null) {
            return reply(iq.errorReply(fields.error()));
        }
        String secondToken = form.value(FIELD_SECOND_TOKEN).map(String::trim).orElse(null);
        String owner = Jid.bareOf(iq.from());
        Device device = new Device(fields.providerId(), fields.token(), secondToken, null, false);
        Quotas quotas = settings.quotas();
        Optional<String> tokenProblem = settings.providers().provider(fields.providerId())
                .flatMap(p -> p.checkTokens(device));
        if (tokenProblem.isPresent()) {
            quotas.tokensRefused.increment();
            return reply(iq.errorReply(Errors.notAcceptable(tokenProblem.get())));
        }
        Optional<StanzaError> rate = quotas.acquireRegistration(owner);
        if (rate.isPresent()) {
            return reply(iq.errorReply(rate.get()));
        }
        DeviceRegistration candidate = new DeviceRegistration(randomId(18), device, owner, randomId(18),
                Instant.now());
        return CompletableFuture.supplyAsync(() -> {
            DeviceRegistration stored = settings.store().register(candidate);
            return new Registered(stored, stored.node().equals(candidate.node()) ? evictOldest(owner, stored)
                    : List.of());
        }, settings.executor()).handle((registered, failure) -> {
            if (failure != null) {
                return List.<Stanza>of(iq.errorReply(storeError("register-device", failure)));
            }
            DeviceRegistration stored = registered.stored();
            cache.put(stored.node(), stored);
            if (stored.node().equals(candidate.node())) {
                settings.metrics().registrationChanged(RegistrationChange.REGISTERED, fields.providerId());
            }
            registered.evicted().forEach(r -> settings.metrics().registrationChanged(RegistrationChange.EVICTED,
                    r.device().providerId()));
            LOG.info("registered device {} at {} for {}: node {}{}", Redaction.token(fields.token()),
                    fields.providerId(), owner, Redaction.token(stored.node()),
                    stored.node().equals(candidate.node()) ? "" : " (already registered)");
            Command answer = new Command().node(REGISTER).sessionId(sessionId).status(Command.COMPLETED)
                    .form(resultForm(stored));
            List<Stanza> out = new ArrayList<>();
            out.add(iq.resultReply(answer));
            for (DeviceRegistration evicted : registered.evicted()) {
                cache.put(evicted.node(), null);
                out.add(Message.of(settings.jid(), evicted.owner(),
                        PubSub.affiliationNone(evicted.node(), evicted.owner())));
            }
            if (!registered.evicted().isEmpty()) {
                LOG.info("{} has more than {} registrations: removed the {} oldest", owner,
                        quotas.maxRegistrationsPerAccount, registered.evicted().size());
            }
            return List.copyOf(out);
        });
    }

    /** What {@code register-device} stored, and the account's registrations it removed to stay within its quota. */
    private record Registered(DeviceRegistration stored, List<DeviceRegistration> evicted) {
    }

    /**
     * Removes the account's oldest registrations (never {@code kept}, the one just made) while it has more than
     * {@link Quotas#maxRegistrationsPerAccount}. Runs on the store executor. Concurrent registrations of one account
     * may briefly leave one or two more; the next registration trims them.
     */
    private List<DeviceRegistration> evictOldest(String owner, DeviceRegistration kept) {
        List<DeviceRegistration> all = settings.store().listByOwner(owner);
        int excess = all.size() - settings.quotas().maxRegistrationsPerAccount;
        List<DeviceRegistration> evicted = new ArrayList<>();
        for (DeviceRegistration r : all) {
            if (evicted.size() >= excess) {
                break;
            }
            if (!r.node().equals(kept.node()) && settings.store().unregister(r.node())) {
                evicted.add(r);
            }
        }
        settings.quotas().registrationsEvicted.add(evicted.size());
        return evicted;
    }

    private DataForm resultForm(DeviceRegistration registration) {
        DataForm result = DataForm.result(null);
        result.add(new DataForm.Field(FIELD_NODE).type(DataForm.Field.TEXT_SINGLE).values(registration.node()));
        if (registration.secret() != null) {
            result.add(new DataForm.Field(FIELD_SECRET).type(DataForm.Field.TEXT_SINGLE)
                    .values(registration.secret()));
        }
        Optional<PushProvider> provider = settings.providers().provider(registration.device().providerId());
        if (provider.isPresent()) {
            for (AppServerDialect dialect : settings.dialects()) {
                dialect.registerResultFields(registration, provider.get()).forEach(result::add);
            }
        }
        return result;
    }

    private CompletionStage<List<Stanza>> unregister(Iq iq, DataForm form, String sessionId) {
        DeviceFields fields = deviceFields(form);
        if (fields.error() != null) {
            return reply(iq.errorReply(fields.error()));
        }
        String owner = Jid.bareOf(iq.from());
        return CompletableFuture.supplyAsync(() -> settings.store().unregisterDevice(fields.providerId(),
                fields.token(), owner), settings.executor()).handle((removed, failure) -> {
            if (failure != null) {
                return List.<Stanza>of(iq.errorReply(storeError("unregister-device", failure)));
            }
            removed.forEach(cache::invalidate);
            if (removed.isEmpty()) {
                // The same answer whether nobody or only other accounts registered the token: no oracle.
                return List.<Stanza>of(iq.errorReply(Errors.itemNotFound(
                        "this device is not registered for " + owner)));
            }
            LOG.info("unregistered device {} at {} for {}", Redaction.token(fields.token()), fields.providerId(),
                    owner);
            removed.forEach(node -> settings.metrics().registrationChanged(RegistrationChange.UNREGISTERED,
                    fields.providerId()));
            Command answer = new Command().node(UNREGISTER).sessionId(sessionId).status(Command.COMPLETED)
                    .note("info", "The device is unregistered.");
            return List.<Stanza>of(iq.resultReply(answer));
        });
    }

    private static StanzaError storeError(String command, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof IllegalArgumentException) {
            return Errors.badRequest(cause.getMessage());
        }
        if (cause instanceof RegistrationStoreException) {
            LOG.warn("{} failed: {}", command, cause.getMessage());
        } else {
            LOG.error("{} failed", command, cause);
        }
        return Errors.storeFailure();
    }

    private static CompletionStage<List<Stanza>> reply(Stanza stanza) {
        return CompletableFuture.completedFuture(List.of(stanza));
    }
}
