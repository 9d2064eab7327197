package io.pushcomponent.component;

import io.pushcomponent.api.ProviderAlias;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.ServiceDiscovery;
import io.pushcomponent.api.metrics.MetricsExporter;
import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.component.config.ConfigException;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.StoreFactory;
import io.pushcomponent.component.internal.AdminRoutes;
import io.pushcomponent.component.internal.ComponentConnection;
import io.pushcomponent.component.internal.ComponentTransport;
import io.pushcomponent.component.internal.Health;
import io.pushcomponent.component.internal.LogLevel;
import io.pushcomponent.component.internal.Outbox;
import io.pushcomponent.component.internal.ReloadableProvider;
import io.pushcomponent.component.internal.UnifiedPushRoute;
import io.pushcomponent.core.app.CircuitBreakerPolicy;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.dialect.Dialect;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.XmlLimits;
import io.pushcomponent.http.HttpRefusal;
import io.pushcomponent.http.HttpResponse;
import io.pushcomponent.monal.MonalDialect;
import io.pushcomponent.tigase.rest.DeviceUnregistration;
import io.pushcomponent.tigase.rest.RestUnregisterEndpoint;
import io.pushcomponent.unifiedpush.UnifiedPushDialect;
import io.pushcomponent.unifiedpush.UnifiedPushDistributor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.Objects;
import java.util.Locale;
import java.lang.reflect.RecordComponent;
import java.util.Optional;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running push component: the configured providers and registration store behind the XEP-0357 app server,
 * reached by the XMPP server over one or more XEP-0114 connections. The dialects on the class path
 * ({@link Dialect}, e.g. push-tigase-adapter's) take part: their provider aliases, result fields, notification
 * mapping, commands and handlers.
 *
 * <p><b>Lifecycle:</b> {@link #start} opens the store, creates the providers and starts connecting; {@link #close()}
 * answers the publishes in flight, closes the streams, then the providers and the store.
 * <b>Thread-safety:</b> thread-safe.
 */
public final class PushComponent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushComponent.class);

    private final ComponentConfig config;
    private final DeviceRegistrationStore store;
    private final Map<String, ReloadableProvider> providers;
    private final ProviderRegistry registry;
    private String logLevel;
    private final PushAppServer appServer;
    private final ScheduledExecutorService timer;
    private final List<ComponentConnection> connections;
    private final RestUnregisterEndpoint rest;
    private final ComponentHttp http;
    private final UnifiedPushDistributor unifiedPush;
    private final Health health;
    private final MetricsExporter metrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PushComponent(ComponentConfig config, ProviderRegistry registry, DeviceRegistrationStore store,
                          Map<String, ReloadableProvider> providers, PushAppServer appServer,
                          RestUnregisterEndpoint rest, ComponentTransport transport, ComponentHttp http,
                          MetricsExporter metrics, Outbox outbox, UnifiedPushDistributor unifiedPush) {
        this.config = config;
        this.registry = registry;
        this.store = store;
        this.providers = providers;
        this.appServer = appServer;
        this.rest = rest;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "push-liveness");
            t.setDaemon(true);
            return t;
        });
        StanzaCodec codec = StanzaCodec.create(new XmlLimits(config.maxStanzaSize(), XmlLimits.DEFAULT.maxDepth()));
        ComponentConnection.Settings settings = new ComponentConnection.Settings(config.componentJid(),
                config.remoteHost(), config.remotePort(), config.secret(), config.keepAlive(), RECONNECT_MIN_DELAY,
                config.reconnectMaxDelay(), CONNECT_TIMEOUT, config.shutdownTimeout(), codec.limits(),
                config.pingTimeout(), config.maxInFlight(), transport, config.standbyRetry());
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= config.connections(); i++) {
            names.add("xmpp-" + i);
        }
        this.metrics = metrics;
        this.connections = ComponentConnection.group(names, settings, appServer::handle, codec, timer,
                metrics == null ? PushMetricsListener.NONE : metrics);
        outbox.attach(connections);
        this.unifiedPush = unifiedPush;
        this.http = http;
        this.health = new Health(this::connectedCount, connections.size(), store, appServer::providerStatus);
    }

    /** Where the metrics are served on the admin listener. */
    public static final String METRICS_PATH = "/metrics";
    /** The first reconnect delay; later ones double up to {@link ComponentConfig#reconnectMaxDelay()}. */
    static final Duration RECONNECT_MIN_DELAY = Duration.ofSeconds(1);
    /** Timeout of the TCP connect and of the handshake. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Opens the store, creates the providers, and starts the connections; returns at once (connecting goes on in
     * the background and is logged).
     *
     * @throws ConfigException when a provider refuses its settings, naming its bean and line
     * @throws RuntimeException when the store cannot be opened
     */
    public static PushComponent start(ComponentConfig config, ProviderRegistry registry) throws ConfigException {
        List<Dialect> dialects = new ArrayList<>(Dialect.discover(PushComponent.class.getClassLoader()));
        ComponentTransport transport = transport(config);
        Map<String, ReloadableProvider> providers = new LinkedHashMap<>();
        createProviders(config, registry).forEach((id, p) -> providers.put(id, new ReloadableProvider(p)));
        DeviceRegistrationStore store;
        try {
            store = openStore(config);
        } catch (RuntimeException e) {
            providers.values().forEach(PushProvider::close);
            throw e;
        }
        UnifiedPushDistributor unifiedPush = unifiedPush(config, store, dialects);
        Outbox outbox = new Outbox();
        MetricsExporter metrics = metricsExporter(config);
        PushAppServer.Builder builder = PushAppServer.builder().sender(outbox);
        if (metrics != null) {
            builder.metrics(metrics);
        }
        dialects.stream().map(d -> configured(d, config)).forEach(builder::dialect);
        PushAppServer appServer = builder
                .jid(config.componentJid())
                .store(store)
                .providers(providers, registry.idsAndAliases())
                .circuitBreakers(circuitBreakers(config, registry))
                .requireSecret(config.requireSecret())
                .allowedDomains(config.allowedPublishers())
                .providerTimeout(config.deliveryTimeout())
                .maxRegistrationsPerAccount(config.accountLimits().maxRegistrationsPerAccount())
                .registrationsPerMinute(config.accountLimits().registrationsPerMinute())
                .maxSessionsPerAccount(config.accountLimits().maxSessionsPerAccount())
                .maxSessions(config.accountLimits().maxSessions())
                .admins(config.operations().admins())
                .diagnosticsFlushInterval(config.operations().diagnosticsFlushInterval())
                .build();
        RestUnregisterEndpoint rest = null;
        if (config.rest() != null) {
            try {
                rest = RestUnregisterEndpoint.start(config.rest(),
                        new DeviceUnregistration(config.componentJid(), store, registry::canonicalId,
                                appServer::registrationRemoved,
                                metrics == null ? PushMetricsListener.NONE : metrics));
            } catch (IOException e) {
                appServer.close();
                closeUnifiedPush(unifiedPush);
                providers.values().forEach(PushProvider::close);
                store.close();
                if (metrics != null) {
                    metrics.close();
                }
                throw new UncheckedIOException("cannot listen for REST requests on " + config.rest().bindAddress()
                        + ":" + config.rest().port() + " ('" + ComponentConfig.REST + "' bean)", e);
            }
        }
        ComponentHttp http;
        try {
            http = ComponentHttp.start(config.http());
        } catch (UncheckedIOException e) {
            if (rest != null) {
                rest.close();
            }
            appServer.close();
            closeUnifiedPush(unifiedPush);
            providers.values().forEach(PushProvider::close);
            store.close();
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
        PushComponent component = new PushComponent(config, registry, store, providers, appServer, rest, transport,
                http, metrics, outbox, unifiedPush);
        component.mountRoutes();
        component.applyLogLevel(config.logLevel());
        LOG.info("push-component {} starting: {} -> {}:{}, {} connection(s), providers {}, dialects {}, store {}",
                Main.version(), config.componentJid(), config.remoteHost(), config.remotePort(),
                config.connections(), providers.keySet(), dialects.stream().map(Dialect::id).toList(),
                config.storeId());
        component.connections.forEach(ComponentConnection::start);
        return component;
    }

    /** A discovered dialect as the configuration sets it up: Monal's stateless mode on with a {@code stateless} bean. */
    private static Dialect configured(Dialect discovered, ComponentConfig config) {
        if (discovered instanceof MonalDialect && config.stateless() != null) {
            return new MonalDialect(config.stateless());
        }
        return discovered;
    }

    /**
     * The push providers {@link java.util.ServiceLoader} finds through {@code loader}, reachable also under the
     * provider aliases of the dialects it finds (so that a configuration may name a provider by a dialect's id, and
     * a missing provider's artifact is named).
     *
     * @throws IllegalStateException when two providers or dialects claim the same id
     */
    public static ProviderRegistry providerRegistry(ClassLoader loader) {
        List<ProviderAlias> aliases = Dialect.discover(loader).stream()
                .flatMap(d -> d.appServer().providerAliases().stream()).toList();
        return ProviderRegistry.discover(loader).withAliases(aliases);
    }

    /**
     * The HTTP routes of every module, each on the listener it is for ({@link ComponentHttp}; a route for a
     * listener that is off is not mounted).
     */
    private void mountRoutes() {
        http.mount(ComponentHttp.Exposure.ADMIN, Health.LIVE, health.live());
        http.mount(ComponentHttp.Exposure.ADMIN, Health.READY, health.ready());
        if (metrics != null) {
            http.mountMetrics(METRICS_PATH, request -> {
                if (!"GET".equals(request.method())) {
                    throw new HttpRefusal(405, "method " + request.method(), "Allow", "GET");
                }
                return new HttpResponse(200, metrics.contentType(),
                        metrics.scrape().getBytes(StandardCharsets.UTF_8), Map.of());
            });
        }
        http.mountAdmin(AdminRoutes.PATH, new AdminRoutes(appServer.administration()).route());
        if (unifiedPush != null && !http.mount(ComponentHttp.Exposure.PUBLIC,
                UnifiedPushRoute.mountPath(unifiedPush.settings()), new UnifiedPushRoute(unifiedPush,
                appServer::request))) {
            LOG.warn("'{}' is configured but the public HTTP listener ('{}' in '{}') is off: endpoints are issued "
                    + "but nobody can post to them", ComponentConfig.UNIFIED_PUSH, ComponentConfig.HTTP_PUBLIC,
                    ComponentConfig.HTTP);
        }
    }

    /**
     * The metrics exporter to record with: the first {@link MetricsExporter} on the class path when the admin
     * listener is on and its {@value ComponentConfig#HTTP_METRICS} is not {@code false}; else {@code null} (nothing
     * is recorded).
     */
    private static MetricsExporter metricsExporter(ComponentConfig config) {
        if (config.http().admin() == null || !config.http().metrics()) {
            return null;
        }
        List<MetricsExporter> found = ServiceDiscovery.load(MetricsExporter.class,
                PushComponent.class.getClassLoader(), e -> "metrics exporter '" + e.id() + "'").services();
        if (found.isEmpty()) {
            LOG.info("no metrics exporter on the class path (push-metrics-micrometer): {} is not served",
                    METRICS_PATH);
            return null;
        }
        found.subList(1, found.size()).forEach(MetricsExporter::close);
        return found.get(0);
    }

    /**
     * The UnifiedPush distributor of the {@value ComponentConfig#UNIFIED_PUSH} bean, in place of the unconfigured
     * dialect {@link java.util.ServiceLoader} found; {@code null} when the bean is absent.
     */
    private static UnifiedPushDistributor unifiedPush(ComponentConfig config, DeviceRegistrationStore store,
                                                      List<Dialect> dialects) {
        if (config.unifiedPush() == null) {
            return null;
        }
        UnifiedPushDistributor distributor = UnifiedPushDistributor.open(config.unifiedPush(), store);
        dialects.removeIf(d -> UnifiedPushDialect.ID.equals(d.id()));
        dialects.add(distributor.dialect());
        return distributor;
    }

    private static void closeUnifiedPush(UnifiedPushDistributor unifiedPush) {
        if (unifiedPush != null) {
            unifiedPush.close();
        }
    }

    /** The UnifiedPush distributor, when the {@value ComponentConfig#UNIFIED_PUSH} bean configured one. */
    public Optional<UnifiedPushDistributor> unifiedPush() {
        return Optional.ofNullable(unifiedPush);
    }

    /** Plain TCP, or direct TLS with the configured trust store; a trust store that cannot be used is a config error. */
    private static ComponentTransport transport(ComponentConfig config) throws ConfigException {
        ComponentConfig.Tls tls = config.tls();
        if (tls == null) {
            return ComponentTransport.plain();
        }
        try {
            return ComponentTransport.tls(tls.trustStore(), tls.trustStorePassword() == null ? null
                    : tls.trustStorePassword().toCharArray(), tls.serverName());
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(config.file(), 0, "'" + ComponentConfig.TLS_TRUST_STORE + "' "
                    + tls.trustStore() + " cannot be used to verify the server: " + e.getMessage());
        }
    }

    /** How many connections are authenticated now. */
    public int connectedCount() {
        return (int) connections.stream().filter(ComponentConnection::isConnected).count();
    }

    /**
     * How many connections stand by now: the server refused them with {@code <conflict/>} because another instance
     * holds the component's one connection (Prosody), and they try to take over every {@code standby-retry}.
     */
    public int standbyCount() {
        return (int) connections.stream().filter(ComponentConnection::isStandby).count();
    }

    /**
     * Waits until every connection is authenticated.
     *
     * @return {@code true} when all are connected within {@code timeout}
     */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ComponentConnection c : connections) {
            if (!c.awaitConnected(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    /** Where the REST {@code unregister-device} endpoint listens; empty when it is off. */
    public Optional<InetSocketAddress> restAddress() {
        return Optional.ofNullable(rest).map(RestUnregisterEndpoint::address);
    }

    /** The HTTP listeners and their routes ({@value ComponentConfig#HTTP} bean). */
    public ComponentHttp http() {
        return http;
    }

    /** The configuration it runs with. */
    public ComponentConfig config() {
        return config;
    }

    /**
     * What a {@link #reload} did.
     *
     * @param applied      what now runs as the file says, one entry each (e.g. {@code log-level DEBUG})
     * @param notApplied   what still runs as before, one entry each, with why: a key that needs a restart (e.g.
     *                     {@code 'secret'}), a provider that could not be created (with its problem)
     */
    public record Reload(List<String> applied, List<String> notApplied) {
        public Reload {
            applied = List.copyOf(applied);
            notApplied = List.copyOf(notApplied);
        }
    }

    /** Keys of the configuration that a reload applies; every other change needs a restart. */
    private static final Set<String> RELOADED = Set.of("file", "providers", "providerLines", "logLevel");

    /**
     * Applies a configuration read again from the file (on SIGHUP) without dropping the XMPP connections, and logs
     * what it applied and what it could not:
     * <ul>
     *   <li>{@value ComponentConfig#LOG_LEVEL} is set at once;</li>
     *   <li>every configured provider is created again from its settings (so changed settings and replaced
     *       credential files take effect) and takes the following pushes; the one it replaces is closed after
     *       {@value ComponentConfig#DELIVERY_TIMEOUT}, when the pushes it took are done. A provider that cannot be
     *       created keeps running as before;</li>
     *   <li>everything else (the connection: {@value ComponentConfig#COMPONENT_JID}, {@value ComponentConfig#SECRET},
     *       host and port, TLS; the store; limits; a provider added or removed; a provider's {@code breaker-*}
     *       keys) needs a restart and is reported so.</li>
     * </ul>
     *
     * <p>One reload at a time; safe to call from any thread.
     */
    public synchronized Reload reload(ComponentConfig next) {
        List<String> applied = new ArrayList<>();
        List<String> notApplied = new ArrayList<>();
        for (RecordComponent c : ComponentConfig.class.getRecordComponents()) {
            if (!RELOADED.contains(c.getName()) && !Objects.equals(value(c, config), value(c, next))) {
                notApplied.add(keyOf(c.getName()) + " changed: needs a restart");
            }
        }
        Map<String, ProviderSettings> nextById = new LinkedHashMap<>();
        next.providers().forEach((key, settings) -> nextById.put(registry.factory(key).id(), settings));
        Map<String, ProviderSettings> runningById = new LinkedHashMap<>();
        config.providers().forEach((key, settings) -> runningById.put(registry.factory(key).id(), settings));
        if (!nextById.keySet().equals(providers.keySet())) {
            notApplied.add("providers " + nextById.keySet() + " instead of " + providers.keySet()
                    + ": adding or removing a provider needs a restart");
        }
        List<PushProvider> retired = new ArrayList<>();
        for (Map.Entry<String, ProviderSettings> e : nextById.entrySet()) {
            ReloadableProvider running = providers.get(e.getKey());
            if (running == null) {
                continue;
            }
            if (runningById.containsKey(e.getKey()) && !CircuitBreakerPolicy.from(e.getValue())
                    .equals(CircuitBreakerPolicy.from(runningById.get(e.getKey())))) {
                notApplied.add("provider '" + e.getKey() + "': breaker-* changed: needs a restart");
            }
            try {
                PushProvider created = registry.factory(e.getKey())
                        .create(CircuitBreakerPolicy.withoutBreakerSettings(e.getValue()));
                retired.add(running.replace(created));
                applied.add("provider '" + e.getKey() + "' created again from its settings");
            } catch (RuntimeException ex) {
                notApplied.add("provider '" + e.getKey() + "' keeps running as before: " + ex.getMessage());
            }
        }
        retire(retired);
        if (next.logLevel() != null && !next.logLevel().equals(logLevel)) {
            applyLogLevel(next.logLevel()).ifPresentOrElse(
                    why -> notApplied.add(ComponentConfig.LOG_LEVEL + " " + next.logLevel() + ": " + why),
                    () -> applied.add(ComponentConfig.LOG_LEVEL + " " + next.logLevel()));
        } else if (next.logLevel() == null && logLevel != null) {
            notApplied.add(ComponentConfig.LOG_LEVEL + " removed: the level stays " + logLevel
                    + " until a restart");
        }
        Reload reload = new Reload(applied, notApplied);
        LOG.info("configuration reloaded from {}: applied: {}; not applied: {}", next.file(),
                applied.isEmpty() ? "nothing" : String.join("; ", applied),
                notApplied.isEmpty() ? "nothing" : String.join("; ", notApplied));
        return reload;
    }

    /** Sets the level of every logger; empty when set, else why not. */
    private Optional<String> applyLogLevel(String level) {
        if (level == null) {
            return Optional.empty();
        }
        Optional<String> refused = LogLevel.set(level);
        if (refused.isEmpty()) {
            logLevel = level;
        } else {
            LOG.warn("'{}' {} not applied: {}", ComponentConfig.LOG_LEVEL, level, refused.get());
        }
        return refused;
    }

    /** Closes replaced providers once the pushes they took have had {@code delivery-timeout} to complete. */
    private void retire(List<PushProvider> retired) {
        if (retired.isEmpty()) {
            return;
        }
        ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "push-reload-close");
            t.setDaemon(true);
            return t;
        });
        closer.schedule(() -> retired.forEach(PushProvider::close), config.deliveryTimeout().toMillis() + 1000,
                TimeUnit.MILLISECONDS);
        closer.shutdown();
    }

    private static Object value(RecordComponent component, ComponentConfig config) {
        try {
            return component.getAccessor().invoke(config);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of the configuration", e);
        }
    }

    /** The configuration key of a record component: {@code remotePort} → {@code 'remote-port'}. */
    static String keyOf(String component) {
        return switch (component) {
            case "storeUri", "storePoolSize" -> "'" + ComponentConfig.DATA_SOURCE + "'";
            case "storeId" -> "'" + ComponentConfig.STORE + "'";
            case "accountLimits" -> "the account limits ('max-registrations-per-account', 'registrations-per-minute',"
                    + " 'max-sessions-per-account', 'max-sessions')";
            default -> "'" + component.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT) + "'";
        };
    }

    /**
     * Answers the stanzas in flight (waiting up to the configured shutdown timeout), closes the streams, then the
     * app server, the providers and the store. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("push-component stopping");
        if (rest != null) {
            rest.close();
        }
        http.close();
        health.close();
        connections.parallelStream().forEach(ComponentConnection::close);
        appServer.close();
        closeUnifiedPush(unifiedPush);
        providers.values().forEach(PushProvider::close);
        store.close();
        if (metrics != null) {
            metrics.close();
        }
        timer.shutdownNow();
        LOG.info("push-component stopped");
    }

    /** The store of the configured id, opened by its {@link StoreFactory} ({@link ComponentConfig#storeSettings()}). */
    static DeviceRegistrationStore openStore(ComponentConfig config) {
        return StoreFactory.find(config.storeId(), PushComponent.class.getClassLoader())
                .orElseThrow(() -> new IllegalStateException("no store '" + config.storeId() + "' on the class path"))
                .openDeviceStore(config.storeSettings());
    }

    /**
    /**
     * Creates every configured provider once and closes it again, so that settings a provider only checks when it
     * is created (files, credentials, refused legacy keys) are reported before the component runs.
     *
     * @throws ConfigException naming the provider's bean and line for each provider that cannot be created
     */
    static void checkProviders(ComponentConfig config, ProviderRegistry registry) throws ConfigException {
        createProviders(config, registry).values().forEach(PushProvider::close);
    }

    /** Each provider's {@code breaker-*} settings, by canonical id; {@link ComponentConfig} has checked them. */
    private static Map<String, CircuitBreakerPolicy> circuitBreakers(ComponentConfig config, ProviderRegistry registry) {
        Map<String, CircuitBreakerPolicy> policies = new LinkedHashMap<>();
        config.providers().forEach((key, settings) -> policies.put(registry.factory(key).id(),
                CircuitBreakerPolicy.from(settings)));
        return policies;
    }

    static Map<String, PushProvider> createProviders(ComponentConfig config, ProviderRegistry registry)
            throws ConfigException {
        Map<String, PushProvider> providers = new LinkedHashMap<>();
        List<ConfigException.Problem> problems = new ArrayList<>();
        for (Map.Entry<String, ProviderSettings> e : config.providers().entrySet()) {
            try {
                providers.put(registry.factory(e.getKey()).id(), registry.factory(e.getKey())
                        .create(CircuitBreakerPolicy.withoutBreakerSettings(e.getValue())));
            } catch (RuntimeException ex) {
                problems.add(new ConfigException.Problem(config.file(), config.providerLines().get(e.getKey()),
                        "provider '" + e.getKey() + "': " + ex.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            providers.values().forEach(PushProvider::close);
            throw new ConfigException(problems);
        }
        return providers;
    }
}
