package io.pushcomponent.core.app;

import io.pushcomponent.api.Jid;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.RegistrationChangeListener;
import io.pushcomponent.api.store.RegistrationWatch;
import io.pushcomponent.core.dialect.AppServerContext;
import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.dialect.Dialect;
import io.pushcomponent.core.dialect.DialectCommand;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.disco.DiscoInfo;
import io.pushcomponent.core.xml.disco.DiscoItems;
import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.core.xml.XmlRejectedException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The XEP-0357 app server: answers service discovery, runs the ad-hoc commands {@code register-device} and
 * {@code unregister-device}, and delivers what XMPP servers publish to a device's node through its
 * {@link PushProvider}. It opens no socket: a host (the XEP-0114 component, a test, an XMPP server embedding it)
 * hands it each stanza addressed to the push service and sends what it returns.
 *
 * <pre>{@code
 * PushAppServer server = PushAppServer.builder()
 *         .jid("push.example.net")
 *         .store(Stores.inMemoryDeviceStore())
 *         .provider("fcm-http-v1", fcmProvider)
 *         .build();
 * server.handleXml(stanzaXml).thenAccept(replies -> replies.forEach(connection::send));
 * }</pre>
 *
 * <p>{@link #handle} answers every IQ request exactly once: with a result or with an RFC 6120 error chosen so that
 * the user's server keeps a device unless the device is really gone ({@code cancel/item-not-found}); trouble on our
 * side or the provider's is a {@code wait} error. Besides answers it may return other stanzas to send, such as the
 * XEP-0357 remote-disabling message when a provider reports a dead device token.
 *
 * <p><b>Thread-safety:</b> thread-safe; call {@link #handle} from any number of threads. It never blocks: store
 * calls run on the configured executor, providers are asynchronous. Node look-ups are cached (known and unknown
 * nodes alike) for {@link Builder#nodeCacheTtl(Duration)}, so a publish costs no store round trip. Several
 * instances may share a store: when the store reports changes ({@link DeviceRegistrationStore#watchChanges}; the
 * {@code postgresql} store does, through {@code LISTEN}/{@code NOTIFY}), a registration removed or changed by another
 * instance or by an operator's SQL leaves the cache as soon as the store reports it; while that report is down, cached
 * look-ups live 1 s at most; with a store that reports nothing, the time to live is the bound. Whoever removes a
 * registration from a store that reports nothing, behind this server's back, calls
 * {@link #registrationRemoved(String)} to end deliveries at once.
 * <p><b>Lifecycle:</b> usable from {@link Builder#build()} (which starts the store's change watch, if it has one)
 * until {@link #close()}, which stops that watch and the executor it created itself (if it did). The store and the providers belong to the caller, who closes them after this.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
public final class PushAppServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushAppServer.class);
    /** The least time between two diagnostics writes started because many registrations wait. */
    private static final Duration EARLY_FLUSH_GAP = Duration.ofSeconds(2);
    /**
     * How often the node cache's refreshes claimed meanwhile are read, together: a tenth of a second, short
     * against the quarter of an entry's life they may take (at least 125 ms even with the 1 s lives of entries cached
     * while the store's watch is down).
     */
    static final Duration REFRESH_INTERVAL = Duration.ofMillis(100);
    /**
     * The most diagnostics flush intervals between two writes of a registration still published whose changes are
     * successes only (10 minutes with the default interval).
     */
    static final int SUCCESS_WRITE_INTERVALS = 10;

    private final Settings settings;
    private final StanzaCodec codec;
    private final ExecutorService ownExecutor;
    private final Disco disco;
    private final Commands commands;
    private final Publisher publisher;
    private final NodeCache cache;
    private final AppServerContext context;
    private final OutgoingRequests outgoing;
    private final LogThrottle throttle = new LogThrottle(TimeUnit.MINUTES.toNanos(1));
    private final Optional<RegistrationWatch> watch;
    private final Diagnostics diagnostics;
    private final Administration administration;
    private final ScheduledExecutorService diagnosticsFlusher;
    /** Reads the node cache's claimed refreshes; a thread of its own, as a spread-out diagnostics flush pauses. */
    private final ScheduledExecutorService cacheRefresher;

    private PushAppServer(Settings settings, StanzaCodec codec, ExecutorService ownExecutor, NodeCache cache,
                          OutgoingRequests outgoing, Duration diagnosticsFlushInterval) {
        this.settings = settings;
        this.outgoing = outgoing;
        this.codec = codec;
        this.ownExecutor = ownExecutor;
        this.diagnosticsFlusher = daemonScheduler("push-diagnostics");
        this.cacheRefresher = daemonScheduler("push-cache-refresh");
        this.diagnostics = new Diagnostics(settings.store(), Clock.systemUTC(), diagnosticsFlusher,
                diagnosticsFlushInterval.dividedBy(5).compareTo(EARLY_FLUSH_GAP) < 0
                        ? diagnosticsFlushInterval.dividedBy(5) : EARLY_FLUSH_GAP,
                diagnosticsFlushInterval.multipliedBy(SUCCESS_WRITE_INTERVALS));
        this.publisher = new Publisher(settings, cache, throttle, diagnostics);
        this.cache = cache;
        this.context = new Context();
        this.administration = new Administration(settings, cache, diagnostics, publisher);
        OperatorCommands operator = new OperatorCommands(administration);
        this.disco = new Disco(settings, operator);
        this.commands = new Commands(settings, cache, context, operator);
        this.watch = settings.store().watchChanges(new CacheInvalidation(cache));
        long every = diagnosticsFlushInterval.toNanos();
        Duration spread = diagnosticsFlushInterval.dividedBy(2);
        diagnosticsFlusher.scheduleAtFixedRate(() -> diagnostics.flush(spread), every, every, TimeUnit.NANOSECONDS);
        long refreshEvery = REFRESH_INTERVAL.toNanos();
        cacheRefresher.scheduleWithFixedDelay(publisher::runClaimedRefreshes, refreshEvery, refreshEvery,
                TimeUnit.NANOSECONDS);
    }

    private static ScheduledExecutorService daemonScheduler(String threadName) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * What device owners and operators can learn and do: registrations with their delivery diagnostics, removal,
     * counts per provider, test pushes. The ad-hoc commands use it; a host's admin interface (the component's admin
     * HTTP routes) may too, after checking its own credentials.
     */
    public Administration administration() {
        return administration;
    }

    /** Writes the delivery diagnostics gathered so far to the store now; blocks on the store. For tests. */
    int flushDiagnostics() {
        return diagnostics.flush();
    }

    /**
     * How often each limit refused something since this server was built, for metrics: monotonic counters a metrics
     * listener can sample.
     *
     * @param invalidTokens             {@code register-device} refused because a token does not have its provider's
     *                                  format ({@code modify/not-acceptable})
     * @param registrationsRateLimited  {@code register-device} refused because the account registered too often
     *                                  ({@code wait/policy-violation})
     * @param sessionsPerAccountRefused two-step command sessions refused because the account has too many open
     *                                  ({@code wait/policy-violation})
     * @param sessionsRefused           two-step command sessions refused because the server has too many open
     *                                  ({@code wait/resource-constraint})
     * @param registrationsEvicted      registrations removed because their account went over its number of
     *                                  registrations (the oldest go)
     * @param publishesWithoutSender    publishes refused because they had no {@code from} ({@code modify/bad-request})
     */
    public record Refusals(long invalidTokens, long registrationsRateLimited, long sessionsPerAccountRefused,
                           long sessionsRefused, long registrationsEvicted, long publishesWithoutSender) {
    }

    /** The refusal counters so far; cheap, callable from any thread. */
    public Refusals refusals() {
        return settings.quotas().snapshot();
    }

    /** Starts configuring an app server. */
    public static Builder builder() {
        return new Builder();
    }

    /** The push service's JID. */
    public String jid() {
        return settings.jid();
    }

    /**
     * Tells this app server that {@code node}'s registration was removed from the store by someone else (the
     * REST {@code unregister-device} call of a dialect, an operator), so that the next publish to that node is answered
     * from the store ({@code cancel/item-not-found}) instead of being delivered from the node cache until its time
     * to live runs out. Call it after the store has removed the registration. Registrations removed through this
     * server's own {@code unregister-device} command, or on a provider's word, need no call. Unknown nodes are
     * ignored.
     */
    public void registrationRemoved(String node) {
        cache.invalidate(Objects.requireNonNull(node, "node"));
    }

    /**
     * What the app server makes of each provider right now: sending, or answering {@code wait} at once because its
     * circuit breaker is open or it asked to wait ({@code Retry-After}). For health checks; cheap, never blocks.
     *
     * @see CircuitBreakerPolicy
     */
    public List<ProviderStatus> providerStatus() {
        return settings.providers().status();
    }

    /**
     * Handles one stanza addressed to the push service.
     *
     * @return the stanzas to send: the answer to an IQ request (always exactly one), then any others (the
     * remote-disabling message); empty for stanzas that need no answer (results, and messages and presences no
     * dialect handles). The stage never completes exceptionally.
     */
    public CompletionStage<List<Stanza>> handle(Stanza stanza) {
        Objects.requireNonNull(stanza, "stanza");
        boolean request = stanza instanceof Iq iq && iq.isRequest();
        if (stanza instanceof Iq iq && !request && !Iq.RESULT.equals(iq.type()) && !Iq.ERROR.equals(iq.type())) {
            return done(iq.errorReply(Errors.badRequest("an iq's type is one of get, set, result and error "
                    + "(RFC 6120 section 8.2.3)")));
        }
        if (stanza instanceof Iq answer && !request) {
            outgoing.answer(answer);
            return CompletableFuture.completedFuture(List.of());
        }
        String malformed = !request ? null
                : stanza.id() == null || stanza.id().isEmpty() ? "an iq request needs an id (RFC 6120 section 8.1.3)"
                : stanza.extensions().size() > 1 ? "an iq request carries exactly one payload (RFC 6120 section 8.2.3)"
                : null;
        if (malformed != null) {
            return done(((Iq) stanza).errorReply(Errors.badRequest(malformed)));
        }
        CompletionStage<List<Stanza>> answer;
        try {
            answer = dispatch(stanza);
        } catch (RuntimeException e) {
            LOG.error("internal error handling a stanza from {}", stanza.from(), e);
            return CompletableFuture.completedFuture(request ? List.of(((Iq) stanza).errorReply(Errors.internal()))
                    : List.of());
        }
        return answer.exceptionally(e -> {
            LOG.error("internal error handling a stanza from {}", stanza.from(), e);
            return request ? List.of(((Iq) stanza).errorReply(Errors.internal())) : List.of();
        });
    }

    private CompletionStage<List<Stanza>> dispatch(Stanza stanza) {
        if (stanza instanceof Iq iq) {
            Object payload = iq.payload().orElse(null);
            if (payload instanceof DiscoInfo || payload instanceof DiscoItems || payload instanceof Command) {
                return serve(iq);
            }
        }
        for (AppServerDialect dialect : settings.dialects()) {
            Optional<CompletionStage<List<Stanza>>> handled = dialect.handle(stanza, context);
            if (handled.isPresent()) {
                return handled.get();
            }
        }
        return stanza instanceof Iq iq ? serve(iq) : CompletableFuture.completedFuture(List.of());
    }

    /**
     * Sends an IQ request of the push service's own (not an answer), such as a notification relayed to a client's
     * full JID, through the {@link Builder#sender sender}, and completes with its answer: the {@code result} or
     * {@code error} IQ that comes back to {@link #handle} with the request's id from the address it went to.
     * The request's {@code from} is set to the push service's JID when it has none.
     *
     * @param request an IQ {@code get} or {@code set} with an id and a recipient
     * @param timeout how long to wait for the answer
     * @return the answer; completes exceptionally with a {@link java.util.concurrent.TimeoutException} when none
     *         came in time (the stanza may not have reached the server), or with an {@link IllegalStateException}
     *         when this server was built without a sender
     * @throws IllegalArgumentException when {@code request} is not such a request, or a request with its id waits
     */
    public CompletionStage<Iq> request(Iq request, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (request.from() == null) {
            request.from(settings.jid());
        }
        return outgoing.send(request, timeout);
    }

    /** Requests of the push service's own ({@link #request}) waiting for their answer now. */
    public int requestsWaiting() {
        return outgoing.waiting();
    }

    /**
     * Reads a stanza through the hardened parser, handles it and writes the stanzas to send. A stanza that is
     * refused (not well-formed, restricted XML, over a limit) is answered with an error when it was an IQ request
     * whose {@code id} could be read; either way the next call is served normally.
     *
     * @return the stanzas to send, written in the stream's default namespace; the stage never completes
     * exceptionally
     */
    public CompletionStage<List<String>> handleXml(String xml) {
        Stanza stanza;
        try {
            stanza = codec.read(xml);
        } catch (XmlRejectedException e) {
            throttle.log("refused:" + e.reason(), suppressed -> LOG.warn("refused a stanza from {}: {}{}",
                    e.head().map(XmlRejectedException.StanzaHead::from).orElse("an unknown sender"), e.getMessage(),
                    Publisher.suppressedNote(suppressed)));
            return CompletableFuture.completedFuture(e.errorReply().map(codec::write).stream().toList());
        }
        return handle(stanza).thenApply(out -> out.stream().map(codec::write).toList());
    }

    /** Disco, the commands and publishes: what the core serves itself. */
    private CompletionStage<List<Stanza>> serve(Iq iq) {
        Object payload = iq.payload().orElse(null);
        boolean get = Iq.GET.equals(iq.type());
        if (payload instanceof DiscoInfo info && get) {
            return done(disco.info(iq, info));
        }
        if (payload instanceof DiscoItems items && get) {
            return done(disco.items(iq, items));
        }
        if (payload instanceof Command command && !get) {
            return commands.handle(iq, command);
        }
        if (payload instanceof PubSub pubsub && !get && pubsub.publish().isPresent()) {
            return publisher.publish(iq, pubsub, pubsub.publish().get());
        }
        if (payload instanceof Element ping && get && Namespaces.PING.equals(ping.getNamespaceURI())
                && "ping".equals(ping.getLocalName())) {
            return done(iq.resultReply());
        }
        StanzaError error = payload == null ? Errors.badRequest("the iq has no payload")
                : payload instanceof PubSub pubsub ? pubSubRefusal(pubsub)
                : payload instanceof Element owner && Namespaces.PUBSUB_OWNER.equals(owner.getNamespaceURI())
                ? Errors.unsupportedPubSubFeature(ownerFeature(owner))
                : Errors.serviceUnavailable("this push service does not serve this request");
        return done(iq.errorReply(error));
    }

    /**
     * The answer to a {@code <pubsub/>} request that is not a publish {@code set}: the XEP-0060 feature it asks for
     * is one this push service does not offer, or the request is malformed.
     */
    private static StanzaError pubSubRefusal(PubSub pubsub) {
        if (pubsub.publish().isPresent()) {
            return Errors.badRequest("a publish is an iq of type set (XEP-0060 section 7.1.1)");
        }
        Element first = pubsub.other().stream().filter(Element.class::isInstance).map(Element.class::cast)
                .filter(e -> Namespaces.PUBSUB.equals(e.getNamespaceURI())).findFirst().orElse(null);
        String name = pubsub.affiliations().isPresent() ? "affiliations" : first == null ? "" : first.getLocalName();
        String feature = switch (name) {
            case "subscribe", "unsubscribe" -> "subscribe";
            case "items" -> "retrieve-items";
            case "retract" -> "retract-items";
            case "create" -> "create-nodes";
            case "subscriptions" -> "retrieve-subscriptions";
            case "affiliations" -> "retrieve-affiliations";
            case "options" -> "subscription-options";
            case "default" -> "retrieve-default";
            case "configure" -> "config-node";
            default -> null;
        };
        return feature != null ? Errors.unsupportedPubSubFeature(feature)
                : Errors.badRequest("the <pubsub/> element holds no request this push service knows (XEP-0060)");
    }

    /** The XEP-0060 feature of an owner request ({@code pubsub#owner}): the node's owner use cases. */
    private static String ownerFeature(Element owner) {
        Element first = null;
        for (Node n = owner.getFirstChild(); n != null && first == null; n = n.getNextSibling()) {
            first = n instanceof Element e ? e : null;
        }
        String name = first == null ? "" : first.getLocalName();
        return switch (name) {
            case "delete" -> "delete-nodes";
            case "purge" -> "purge-nodes";
            case "subscriptions" -> "manage-subscriptions";
            case "affiliations" -> "modify-affiliations";
            case "default" -> "retrieve-default";
            default -> "config-node";
        };
    }

    private static CompletionStage<List<Stanza>> done(Stanza stanza) {
        return CompletableFuture.completedFuture(List.of(stanza));
    }

    /**
     * Stops reading the node cache's refreshes, writes the delivery diagnostics gathered since the last periodic
     * write to the store (on the calling thread), then stops the executor this server created itself; the store and
     * providers stay open. Idempotent.
     */
    @Override
    public void close() {
        watch.ifPresent(RegistrationWatch::close);
        cacheRefresher.shutdown();
        if (!diagnosticsFlusher.isShutdown()) {
            diagnosticsFlusher.shutdown();
            diagnostics.stopPacing();
            diagnostics.flush();
        }
        if (ownExecutor != null) {
            ownExecutor.shutdown();
        }
    }

    /**
     * Whether the store's report of other instances' changes is up: empty when the store reports none (one
     * process, or a time to live is the bound), {@code false} while it is down. For health checks; never blocks.
     */
    public Optional<Boolean> registrationWatchLive() {
        return watch.map(RegistrationWatch::live);
    }

    /** Drops what the store's watch reports changed from the node cache; never blocks. */
    private record CacheInvalidation(NodeCache cache) implements RegistrationChangeListener {
        @Override
        public void changed(Set<String> nodes) {
            cache.invalidateRemote(nodes);
        }

        @Override
        public void changedUnknown() {
            cache.invalidateAll();
        }

        @Override
        public void watchLost() {
            cache.watchLost();
        }
    }

    /**
     * Configures a {@link PushAppServer}. Required: {@link #jid}, {@link #store} and at least one provider.
     *
     * <p>Not thread-safe; use from one thread, then {@link #build()}.
     */
    public static final class Builder {
        private String jid;
        private DeviceRegistrationStore store;
        private final Map<String, PushProvider> providers = new LinkedHashMap<>();
        private final Map<String, String> aliases = new LinkedHashMap<>();
        private boolean requireSecret;
        private final List<String> allowedDomains = new ArrayList<>();
        private Duration providerTimeout = Duration.ofSeconds(10);
        private Executor executor;
        private StanzaCodec codec;
        private final Map<String, Dialect> dialects = new LinkedHashMap<>();
        private Duration nodeCacheTtl = Duration.ofSeconds(60);
        private int nodeCacheSize = 100_000;
        private Duration sessionTimeout = Duration.ofMinutes(10);
        private int maxSessions = 10_000;
        private CircuitBreakerPolicy circuitBreaker = CircuitBreakerPolicy.DEFAULT;
        private final Map<String, CircuitBreakerPolicy> circuitBreakers = new LinkedHashMap<>();
        private int maxSessionsPerAccount = 5;
        private int maxRegistrationsPerAccount = 50;
        private int registrationsPerMinute = 20;
        private final Set<String> admins = new TreeSet<>();
        private Duration diagnosticsFlushInterval = Duration.ofSeconds(60);
        private PushMetricsListener metrics = PushMetricsListener.NONE;
        private Consumer<? super Stanza> sender;

        private Builder() {
        }

        /**
         * The accounts that may run the administrators' ad-hoc commands ({@code push-admin#...}: list and remove
         * registrations, counts per provider, test push); any resource of them. None by default.
         *
         * @throws IllegalArgumentException when one is not a JID
         */
        public Builder admins(Collection<String> jids) {
            for (String jid : jids) {
                admins.add(Jid.tryParse(jid.trim()).orElseThrow(() -> new IllegalArgumentException(
                        "admin '" + jid + "' is not a JID")).bare().toString());
            }
            return this;
        }

        /**
         * How often the delivery diagnostics gathered in memory are written to the store; 60 s by default. Each write
         * spreads its batches over the first half of the interval; {@link #close()} writes what is left. Failures,
         * a registration's first outcome and the last outcomes of a registration no longer published are written by
         * the next write, so a killed process loses at most one and a half intervals of those (never a
         * registration). A registration published again and again is written at least once every ten intervals
         * (10 minutes by default) for its successes alone, at a random time between five and ten intervals after its
         * last write, so that a hot set does not come due together: a killed process loses up to eleven and a half
         * intervals of such a registration's success counts and last success time. Registrations published once each
         * (the usual case) are written at once when 2,000 new ones wait, at most every 0.2 s (or a fiftieth of a
         * shorter interval), and anything when 50,000 wait, at most every 2 s (or a fifth of a shorter interval).
         */
        public Builder diagnosticsFlushInterval(Duration interval) {
            this.diagnosticsFlushInterval = interval;
            return this;
        }

        /** The push service's JID, e.g. {@code push.example.net}: the {@code from} of messages it sends. */
        public Builder jid(String jid) {
            this.jid = jid;
            return this;
        }

        /** Where registrations live. */
        public Builder store(DeviceRegistrationStore store) {
            this.store = store;
            return this;
        }

        /**
         * Adds a provider under its canonical id, reachable also under {@code aliases} (other ids clients send for
         * it; a dialect's aliases come with {@link #dialect}).
         */
        public Builder provider(String canonicalId, PushProvider provider, String... aliases) {
            Objects.requireNonNull(canonicalId, "canonicalId");
            Objects.requireNonNull(provider, "provider");
            providers.put(canonicalId, provider);
            for (String alias : aliases) {
                this.aliases.put(alias, canonicalId);
            }
            return this;
        }

        /**
         * Adds providers by canonical id, with the aliases of a provider registry:
         * {@code providers(created, registry.idsAndAliases())}. Aliases of providers not given are ignored.
         */
        public Builder providers(Map<String, ? extends PushProvider> byCanonicalId, Map<String, String> idsAndAliases) {
            byCanonicalId.forEach((id, p) -> provider(id, p));
            idsAndAliases.forEach((alias, id) -> {
                if (!alias.equals(id)) {
                    aliases.put(alias, id);
                }
            });
            return this;
        }

        /**
         * Whether a publish must carry the registration's secret in its publish-options. Off by default, because
         * Siskin and Stork never send one; a wrong secret is refused either way.
         */
        public Builder requireSecret(boolean requireSecret) {
            this.requireSecret = requireSecret;
            return this;
        }

        /** Only servers of these domains may publish; none given (the default) means any server may. */
        public Builder allowedDomains(Collection<String> domains) {
            domains.forEach(d -> allowedDomains.add(d.trim().toLowerCase(Locale.ROOT)));
            return this;
        }

        /**
         * The circuit breaker and {@code Retry-After} handling of every provider without a policy of its own;
         * {@link CircuitBreakerPolicy#DEFAULT} unless set.
         */
        public Builder circuitBreaker(CircuitBreakerPolicy policy) {
            this.circuitBreaker = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The circuit breaker and {@code Retry-After} handling of single providers, by canonical id. */
        public Builder circuitBreakers(Map<String, CircuitBreakerPolicy> byCanonicalId) {
            byCanonicalId.forEach((id, policy) -> circuitBreakers.put(Objects.requireNonNull(id, "canonicalId"),
                    Objects.requireNonNull(policy, "policy")));
            return this;
        }

        /**
         * How long a provider may take to answer before the publisher gets a {@code wait} error; 10 s by default.
         * A later answer counts as a transport failure for the provider's circuit breaker.
         */
        public Builder providerTimeout(Duration timeout) {
            this.providerTimeout = timeout;
            return this;
        }

        /**
         * Where blocking store calls run. By default the server creates a small pool of its own and stops it on
         * {@link #close()}; a given executor stays the caller's. Besides the store calls, a batch of node look-ups
         * due less than 500 µs after the one before waits there until then, to gather the nodes asked for
         * meanwhile (at most two such batches at once).
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /** The codec {@link #handleXml} uses; {@link StanzaCodec#create()} by default. */
        public Builder codec(StanzaCodec codec) {
            this.codec = codec;
            return this;
        }

        /**
         * Adds a dialect's app-server half: its provider aliases, disco features, result fields, notification
         * mapping, commands and stanza handlers. Dialects take part in the order added; none by default (plain
         * XEP-0357 with {@code register-device}).
         *
         * @throws IllegalArgumentException when a dialect with the same id was added
         * @see Dialect#discover(ClassLoader)
         */
        public Builder dialect(Dialect dialect) {
            Objects.requireNonNull(dialect, "dialect");
            Dialect previous = dialects.putIfAbsent(Objects.requireNonNull(dialect.id(), "dialect id"), dialect);
            if (previous != null && previous != dialect) {
                throw new IllegalArgumentException("two push dialects have the id '" + dialect.id() + "'");
            }
            return this;
        }

        /** How long node look-ups are remembered; 60 s by default. */
        public Builder nodeCacheTtl(Duration ttl) {
            this.nodeCacheTtl = ttl;
            return this;
        }

        /** How many node look-ups are remembered at most; 100,000 by default. */
        public Builder nodeCacheSize(int entries) {
            this.nodeCacheSize = entries;
            return this;
        }

        /** How long a two-step command session waits for its form; 10 minutes by default. */
        public Builder sessionTimeout(Duration timeout) {
            this.sessionTimeout = timeout;
            return this;
        }

        /**
         * How many two-step command sessions may be open at once, over all accounts; 10,000 by default. Beyond it a
         * new session is refused with {@code wait/resource-constraint}. One-step use (what real clients do) opens
         * none.
         */
        public Builder maxSessions(int sessions) {
            this.maxSessions = sessions;
            return this;
        }

        /**
         * How many two-step command sessions one account (bare JID) may have open at once; 5 by default. Beyond it
         * the account's new session is refused with {@code wait/policy-violation}, and other accounts are not
         * affected.
         */
        public Builder maxSessionsPerAccount(int sessions) {
            this.maxSessionsPerAccount = sessions;
            return this;
        }

        /**
         * How many registrations one account may have; 50 by default. A {@code register-device} of a new device
         * beyond it succeeds and removes the account's oldest registrations (each owner gets the XEP-0357
         * remote-disabling message for them): stale registrations of reinstalled apps go first, and a new device is
         * never locked out.
         */
        public Builder maxRegistrationsPerAccount(int registrations) {
            this.maxRegistrationsPerAccount = registrations;
            return this;
        }

        /**
         * How many {@code register-device} requests one account may make per minute (a token bucket of that size,
         * refilled evenly); 20 by default, 0 for no limit. Beyond it the request is refused with
         * {@code wait/policy-violation} saying when to try again.
         */
        public Builder registrationsPerMinute(int perMinute) {
            this.registrationsPerMinute = perMinute;
            return this;
        }

        /**
         * Told of every publish answered, provider send and registration change (see {@link PushMetricsListener} for
         * the threads it is called on). Default {@link PushMetricsListener#NONE}.
         */
        public Builder metrics(PushMetricsListener metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * How the app server sends stanzas of its own, not answers ({@link PushAppServer#request}): the host's
         * connection to the XMPP server. The sender must not block; a stanza it cannot send is dropped (the request
         * then times out). None by default: such requests then fail at once.
         */
        public Builder sender(Consumer<? super Stanza> sender) {
            this.sender = Objects.requireNonNull(sender, "sender");
            return this;
        }

        /**
         * Builds the server and starts the store's change watch, if it has one
         * ({@link DeviceRegistrationStore#watchChanges}); with the {@code postgresql} store that opens a connection
         * and {@code LISTEN}s before this returns, so call it where blocking on the database is fine (at start).
         *
         * @throws IllegalStateException naming what is missing or wrong
         */
        public PushAppServer build() {
            List<String> problems = new ArrayList<>();
            if (jid == null || jid.isBlank()) {
                problems.add("jid is required (the push service's JID, e.g. push.example.net)");
            }
            if (store == null) {
                problems.add("store is required (e.g. Stores.inMemoryDeviceStore() or Stores.h2DeviceStore(...))");
            }
            if (providers.isEmpty()) {
                problems.add("at least one provider is required");
            }
            if (providerTimeout == null || providerTimeout.isNegative() || providerTimeout.isZero()) {
                problems.add("providerTimeout must be positive");
            }
            if (nodeCacheTtl == null || nodeCacheTtl.isNegative()) {
                problems.add("nodeCacheTtl must not be negative");
            }
            if (nodeCacheSize < 1) {
                problems.add("nodeCacheSize must be at least 1");
            }
            if (sessionTimeout == null || sessionTimeout.isNegative() || sessionTimeout.isZero()) {
                problems.add("sessionTimeout must be positive");
            }
            if (maxSessions < 1 || maxSessionsPerAccount < 1 || maxRegistrationsPerAccount < 1) {
                problems.add("maxSessions, maxSessionsPerAccount and maxRegistrationsPerAccount must be at least 1");
            }
            if (diagnosticsFlushInterval == null || diagnosticsFlushInterval.isNegative()
                    || diagnosticsFlushInterval.isZero()) {
                problems.add("diagnosticsFlushInterval must be positive");
            }
            if (registrationsPerMinute < 0) {
                problems.add("registrationsPerMinute must not be negative (0 switches the limit off)");
            }
            List<AppServerDialect> halves = dialects.values().stream().map(Dialect::appServer).toList();
            Map<String, DialectCommand> dialectCommands = new LinkedHashMap<>();
            for (AppServerDialect half : halves) {
                for (DialectCommand c : half.commands()) {
                    if (Commands.isCommand(c.node()) || OperatorCommands.isOperatorNode(c.node())
                            || dialectCommands.putIfAbsent(c.node(), c) != null) {
                        problems.add("the command node '" + c.node() + "' is claimed twice");
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("cannot build the push app server: " + String.join("; ", problems));
            }
            Map<String, String> allAliases = new LinkedHashMap<>();
            halves.forEach(half -> half.providerAliases().forEach(a -> allAliases.putIfAbsent(a.alias(),
                    a.providerId())));
            allAliases.putAll(aliases);
            ExecutorService own = executor == null ? Executors.newFixedThreadPool(4, new StoreThreads()) : null;
            Set<String> domains = allowedDomains.stream().collect(Collectors.toUnmodifiableSet());
            Map<String, CircuitBreakerPolicy> policies = new LinkedHashMap<>();
            providers.keySet().forEach(id -> policies.put(id, circuitBreakers.getOrDefault(id, circuitBreaker)));
            Providers guarded = new Providers(providers, allAliases, policies, providerTimeout, System::nanoTime,
                    metrics);
            Settings settings = new Settings(jid.trim(), store, guarded, requireSecret,
                    domains, providerTimeout, Optional.<Executor>ofNullable(executor).orElse(own), halves,
                    Collections.unmodifiableMap(dialectCommands), sessionTimeout,
                    new Quotas(maxSessions, maxSessionsPerAccount, maxRegistrationsPerAccount,
                            registrationsPerMinute), metrics, Set.copyOf(admins));
            NodeCache cache = new NodeCache(nodeCacheTtl.toNanos(), nodeCacheSize);
            return new PushAppServer(settings, codec != null ? codec : StanzaCodec.create(), own, cache,
                    new OutgoingRequests(sender), diagnosticsFlushInterval);
        }
    }

    /** What dialects' commands and handlers reach of this server. */
    private final class Context implements AppServerContext {
        @Override
        public String jid() {
            return settings.jid();
        }

        @Override
        public DeviceRegistrationStore store() {
            return settings.store();
        }

        @Override
        public Executor executor() {
            return settings.executor();
        }

        @Override
        public Optional<String> canonicalProviderId(String idOrAlias) {
            return settings.providers().canonicalId(idOrAlias);
        }

        @Override
        public Optional<PushProvider> provider(String canonicalId) {
            return settings.providers().provider(canonicalId);
        }

        @Override
        public Optional<StanzaError> acquireRegistration(String account) {
            return settings.quotas().acquireRegistration(Jid.bareOf(account));
        }

        @Override
        public CompletionStage<List<Stanza>> deliver(Iq request, DeviceRegistration registration, PushRequest push) {
            return publisher.deliver(request, registration, push);
        }

        @Override
        public Optional<StanzaError> refusedPublisher(String from) {
            return publisher.refusedWithoutSecret(from);
        }

        @Override
        public void registrationRemoved(String node) {
            PushAppServer.this.registrationRemoved(node);
        }

        @Override
        public PushMetricsListener metrics() {
            return settings.metrics();
        }
    }

    private static final class StoreThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "push-store-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
