package io.pushcomponent.component.config;

import io.pushcomponent.api.Jid;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProviderFactory;
import io.pushcomponent.api.Redaction;
import io.pushcomponent.api.UnknownProviderException;
import io.pushcomponent.api.store.StoreFactory;
import io.pushcomponent.api.store.StoreSetting;
import io.pushcomponent.core.app.CircuitBreakerPolicy;
import io.pushcomponent.monal.StatelessSettings;
import io.pushcomponent.http.HttpListenerSettings;
import io.pushcomponent.tigase.config.TigaseProviderSettings;
import io.pushcomponent.tigase.rest.RestEndpointSettings;
import io.pushcomponent.unifiedpush.UnifiedPushSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The component's configuration, read from a file in Tigase's DSL syntax ({@code config.tdsl}). Every key is a
 * constant of this class and is documented in the module's {@code README.md}.
 *
 * <pre>
 * 'component-jid' = 'push.example.com'
 * 'remote-host' = 'xmpp.example.com'
 * 'remote-port' = 5347
 * 'secret' = env('PUSH_COMPONENT_SECRET')
 * push () {
 *     'log' () { }
 * }
 * </pre>
 *
 * <p>Immutable and thread-safe. {@code toString()} never shows the secret, the store URL (it may hold a password)
 * or provider settings values.
 *
 * @param file              the file it was read from
 * @param componentJid      {@value #COMPONENT_JID}: the component's domain, e.g. {@code push.example.com}
 * @param remoteHost        {@value #REMOTE_HOST}: the XMPP server to connect to
 * @param remotePort        {@value #REMOTE_PORT}: its XEP-0114 component port
 * @param secret            {@value #SECRET}: the shared secret of the component connection
 * @param connections       {@value #CONNECTIONS}: parallel connections to open
 * @param dataDir           {@value #DATA_DIR}: where the embedded database lives
 * @param dataFsync         {@value #DATA_FSYNC}: force every change of the embedded database to the disk before it
 *                          is acknowledged, so that it survives power loss
 * @param storeUri          {@code dataSource { default { uri } }}: a PostgreSQL JDBC URL, or {@code null}
 * @param storePoolSize     {@code dataSource { default { 'pool-size' } }}: connections to a JDBC store
 * @param allowedPublishers {@value #ALLOWED_PUBLISHERS}: JIDs or domains allowed to publish; empty for any
 * @param requireSecret     {@value #REQUIRE_SECRET}: refuse publishes without the registration's secret
 * @param deliveryTimeout   {@value #DELIVERY_TIMEOUT}: how long a provider may take for one push
 * @param keepAlive         {@value #KEEP_ALIVE}: how long a stream may be idle before a ping (nothing from the
 *                          server) or a whitespace keep-alive (nothing to it)
 * @param pingTimeout       {@value #PING_TIMEOUT}: how long the server may leave a ping unanswered (or our writes
 *                          unread) before the connection is dropped and made again
 * @param maxInFlight       {@value #MAX_IN_FLIGHT}: the most stanzas per connection read and not yet answered
 * @param reconnectMaxDelay {@value #RECONNECT_MAX_DELAY}: the cap of the reconnect back-off
 * @param shutdownTimeout   {@value #SHUTDOWN_TIMEOUT}: how long a shutdown waits for in-flight publishes
 * @param maxStanzaSize     {@value #MAX_STANZA_SIZE}: the largest stanza accepted, in characters
 * @param providers         the providers of the {@code push} bean, by the id they were configured under
 * @param providerLines     the line of each provider's bean, for messages about it
 * @param rest              the {@value #REST} bean: Tigase's REST {@code unregister-device} endpoint; {@code null}
 *                          (the default) when it is off
 * @param tls               direct TLS to the server's component port ({@value #TLS} = true), or {@code null} for
 *                          plain TCP
 * @param accountLimits     what one account may use: {@value #MAX_REGISTRATIONS_PER_ACCOUNT},
 *                          {@value #REGISTRATIONS_PER_MINUTE}, {@value #MAX_SESSIONS_PER_ACCOUNT},
 *                          {@value #MAX_SESSIONS}
 * @param storeId           {@value #STORE}: the id of the {@link StoreFactory} that opens the registration store
 * @param logLevel          {@value #LOG_LEVEL}: the level of every logger ({@code TRACE}, {@code DEBUG}, {@code INFO},
 *                          {@code WARN}, {@code ERROR}), or {@code null} to leave the logging configuration's own
 * @param http              the {@value #HTTP} bean: the component's HTTP listeners (admin: metrics, health and
 *                          admin routes; public: routes for the internet); both off by default
 * @param unifiedPush       the {@value #UNIFIED_PUSH} bean: the UnifiedPush distributor; {@code null} (the default)
 *                          when it is off
 * @param stateless         the {@value #STATELESS} bean: Monal's (fpush's) stateless mode; {@code null} (the default)
 *                          when it is off
 * @param standbyRetry      {@value #STANDBY_RETRY}: how often a standby connection tries to take over
 * @param operations        {@value #ADMINS} and {@value #DIAGNOSTICS_FLUSH_INTERVAL}
 */
public record ComponentConfig(Path file, String componentJid, String remoteHost, int remotePort, String secret,
                              int connections, Path dataDir, boolean dataFsync, String storeUri, int storePoolSize,
                              List<String> allowedPublishers, boolean requireSecret, Duration deliveryTimeout,
                              Duration keepAlive, Duration pingTimeout, int maxInFlight,
                              Duration reconnectMaxDelay, Duration shutdownTimeout,
                              int maxStanzaSize, Map<String, ProviderSettings> providers,
                              Map<String, Integer> providerLines, RestEndpointSettings rest, Tls tls,
                              AccountLimits accountLimits, String storeId, String logLevel, Http http,
                              UnifiedPushSettings unifiedPush, StatelessSettings stateless,
                              Duration standbyRetry, Operations operations) {

    /** Key: the component's JID (its domain). Required. */
    public static final String COMPONENT_JID = "component-jid";
    /** Key: host name or address of the XMPP server. Default {@code localhost}. */
    public static final String REMOTE_HOST = "remote-host";
    /** Key: the server's component port. Default 5347. */
    public static final String REMOTE_PORT = "remote-port";
    /** Key: the shared secret. Required; write {@code env('NAME')} to keep it out of the file. */
    public static final String SECRET = "secret";
    /** Key: number of parallel connections. Default 1. */
    public static final String CONNECTIONS = "connections";
    /** Key: the data directory, relative to the configuration file. Default {@code data}. */
    public static final String DATA_DIR = "data-dir";
    /**
     * Key: {@code fsync} the embedded database after every change, before answering it, so that acknowledged
     * changes survive power loss and operating system crashes too (without it they survive a killed process).
     * Default {@code false}. Has no effect on a {@value #DATA_SOURCE} store.
     */
    public static final String DATA_FSYNC = "data-fsync";
    /**
     * Key: the registration store, by the id of its {@link StoreFactory}: {@code h2} (the embedded database in
     * {@value #DATA_DIR}), {@code sqlite} (an embedded SQLite database in {@value #DATA_DIR}), {@code postgresql}
     * (the {@value #DATA_SOURCE} bean) or {@code memory} (nothing survives a restart). Default: {@code postgresql}
     * when a {@value #DATA_SOURCE} bean is given; else {@code h2} when {@value #DATA_DIR} already holds an H2 store
     * and no SQLite one (a deployment from before SQLite was the default keeps its registrations: nothing moves them
     * from one store to the other); else {@code sqlite}.
     */
    public static final String STORE = "store";
    /** The embedded H2 store's file in {@value #DATA_DIR}. */
    static final String H2_FILE = "registrations.mv.db";
    /** The embedded SQLite store's file in {@value #DATA_DIR}. */
    static final String SQLITE_FILE = "registrations.sqlite";
    /** Key: JIDs or domains that may publish. Default: anyone. */
    public static final String ALLOWED_PUBLISHERS = "allowed-publishers";
    /** Key: refuse publishes that carry no or a wrong secret. Default {@code false}. */
    public static final String REQUIRE_SECRET = "require-secret";
    /** Key: timeout of one delivery. Default {@code PT10S}. */
    public static final String DELIVERY_TIMEOUT = "delivery-timeout";
    /** Key: idle time before a ping or a whitespace keep-alive. Default {@code PT30S}. */
    public static final String KEEP_ALIVE = "keep-alive";
    /** Key: how long a ping may go unanswered before the connection is made again. Default {@code PT10S}. */
    public static final String PING_TIMEOUT = "ping-timeout";
    /** Key: the most stanzas per connection read and not yet answered. Default {@value #DEFAULT_MAX_IN_FLIGHT}. */
    public static final String MAX_IN_FLIGHT = "max-in-flight";
    /** The default of {@value #MAX_IN_FLIGHT}. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 4096;
    /** Key: the longest wait between reconnect attempts. Default {@code PT60S}. */
    public static final String RECONNECT_MAX_DELAY = "reconnect-max-delay";
    /**
     * Key: how often a standby connection tries to take over. A server that accepts one connection per component
     * (Prosody) answers a second one with the stream error {@code <conflict/>}; that connection then stands by and
     * tries again at this interval, so it takes over within this time (plus one handshake) after the active
     * instance dies. Default {@code PT2S}.
     */
    public static final String STANDBY_RETRY = "standby-retry";
    /** Key: how long a shutdown waits for in-flight publishes. Default {@code PT10S}. */
    public static final String SHUTDOWN_TIMEOUT = "shutdown-timeout";
    /** Key: the largest stanza accepted, in characters. Default 65536. */
    public static final String MAX_STANZA_SIZE = "max-stanza-size";
    /**
     * Key: the level of every logger, {@code TRACE} to {@code ERROR}; applied at start and on SIGHUP. Default: the
     * logging configuration's own ({@code INFO}, or {@code -Dpush.log.level}).
     */
    public static final String LOG_LEVEL = "log-level";
    /**
     * Key: the accounts (bare JIDs) that may run the administrators' ad-hoc commands ({@code push-admin#...}: list
     * and remove registrations, counts per provider, test push). Default: none.
     */
    public static final String ADMINS = "admins";
    /**
     * Key: how often the per-registration delivery diagnostics gathered in memory are written to the store, each write
     * spread over the first half of the interval; a killed process loses at most one and a half intervals'
     * diagnostics. Default {@code PT60S}.
     */
    public static final String DIAGNOSTICS_FLUSH_INTERVAL = "diagnostics-flush-interval";
    /** The values {@value #LOG_LEVEL} takes. */
    public static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
    /** Key: registrations one account may have; registering more removes its oldest. Default 50. */
    public static final String MAX_REGISTRATIONS_PER_ACCOUNT = "max-registrations-per-account";
    /** Key: {@code register-device} requests one account may make per minute; 0 for no limit. Default 20. */
    public static final String REGISTRATIONS_PER_MINUTE = "registrations-per-minute";
    /** Key: two-step command sessions one account may have open. Default 5. */
    public static final String MAX_SESSIONS_PER_ACCOUNT = "max-sessions-per-account";
    /** Key: two-step command sessions open at once over all accounts. Default 10000. */
    public static final String MAX_SESSIONS = "max-sessions";
    /**
     * Key: reach the server's component port over direct TLS (XEP-0114 has no STARTTLS; ejabberd offers it with
     * {@code tls: true} on its {@code ejabberd_service} listener, Prosody with {@code mod_net_multiplex} on its
     * {@code ssl_ports}). The server's certificate and name are always verified. Default {@code false}.
     */
    public static final String TLS = "tls";
    /** Key: the trust store (PKCS#12 or JKS) that verifies the server with {@value #TLS}. Default: the JVM's. */
    public static final String TLS_TRUST_STORE = "tls-trust-store";
    /** Key: the password of {@value #TLS_TRUST_STORE}; write {@code env('NAME')} to keep it out of the file. */
    public static final String TLS_TRUST_STORE_PASSWORD = "tls-trust-store-password";
    /** Key: the name the server's certificate must carry with {@value #TLS}. Default: {@value #REMOTE_HOST}. */
    public static final String TLS_SERVER_NAME = "tls-server-name";
    /** Bean: the store, Tigase's {@code dataSource () { default () { uri = '...' } }}. */
    public static final String DATA_SOURCE = "dataSource";
    /** Bean: the providers, one child bean per provider id. */
    public static final String PUSH = "push";
    /**
     * Bean: Tigase's REST call {@code POST /rest/push/unregister-device/{component-jid}}; off unless present, e.g.
     * {@code rest () { port = 8080 }}. Keys {@value RestEndpointSettings#BIND_ADDRESS} (default
     * {@value RestEndpointSettings#DEFAULT_BIND_ADDRESS}), {@value RestEndpointSettings#PORT} (required),
     * {@value RestEndpointSettings#MAX_REQUEST_BYTES} (default {@value RestEndpointSettings#DEFAULT_MAX_REQUEST_BYTES}),
     * {@value RestEndpointSettings#SECRET} (optional; clients send {@code Authorization: Bearer <secret>}; write
     * {@code env('NAME')} to keep it out of the file), {@value RestEndpointSettings#READ_TIMEOUT} (default
     * {@code 'PT5S'}), {@value RestEndpointSettings#REQUEST_TIMEOUT} (default {@code 'PT10S'}),
     * {@value RestEndpointSettings#THREADS} (default {@value RestEndpointSettings#DEFAULT_THREADS}).
     */
    public static final String REST = "rest";

    /**
     * Bean: the UnifiedPush distributor, off unless present, e.g.
     * {@code 'unified-push' () { 'endpoint-url' = 'https://push.example.net/up' }}: clients register with
     * {@code <register xmlns='http://gultsch.de/xmpp/drafts/unified-push'/>} and get endpoints under that URL, whose
     * path the public HTTP listener ({@value #HTTP} bean, {@value #HTTP_PUBLIC}) serves. Keys
     * {@value #UP_ENDPOINT_URL} (required), {@value #UP_LIFETIME} (default {@code 'P7D'}), {@value #UP_RATE} (per
     * endpoint, default {@value UnifiedPushSettings#DEFAULT_MESSAGES_PER_MINUTE}), {@value #UP_RELAY_TIMEOUT}
     * (default {@code 'PT10S'}), {@value #UP_MAX_WAITING} (default {@value UnifiedPushSettings#DEFAULT_MAX_WAITING}).
     */
    public static final String UNIFIED_PUSH = "unified-push";
    /** Key of {@value #UNIFIED_PUSH}: the public URL endpoints start with. */
    public static final String UP_ENDPOINT_URL = "endpoint-url";
    /** Key of {@value #UNIFIED_PUSH}: how long an endpoint is valid. */
    public static final String UP_LIFETIME = "endpoint-lifetime";
    /** Key of {@value #UNIFIED_PUSH}: messages per minute one endpoint may receive. */
    public static final String UP_RATE = "messages-per-minute";
    /** Key of {@value #UNIFIED_PUSH}: how long a client may take to answer a relayed message. */
    public static final String UP_RELAY_TIMEOUT = "relay-timeout";
    /** Key of {@value #UNIFIED_PUSH}: the most relayed messages waiting for their clients at once. */
    public static final String UP_MAX_WAITING = "max-waiting";

    /**
     * Bean: Monal's (fpush's) stateless mode; off unless present. Publishes whose node is a device token and whose
     * {@code pushModule} publish-option names one of its child beans are sent to that token without a registration,
     * e.g. {@code stateless () { 'monalProdiOS' () { provider = 'apns'; app = 'im.monal.monal' } }}. A module's keys:
     * {@value #STATELESS_PROVIDER} (required: a configured provider's id), {@value #STATELESS_APP} (the provider's app
     * id, the APNs bundle id; default: its default app), {@value #STATELESS_SANDBOX} (default {@code false}),
     * {@value #STATELESS_DEFAULT} (serves publishes without {@code pushModule}; at most one). The bean's own keys:
     * {@value #STATELESS_RATE_LIMIT} (default {@code 'PT20S'}; {@code 'PT0S'} turns it off) and
     * {@value #STATELESS_DEAD_TOKEN_BLOCK} (default {@code 'PT24H'}). {@value #ALLOWED_PUBLISHERS} applies.
     */
    public static final String STATELESS = "stateless";
    /** {@value #STATELESS} key: least time between two pushes to one token. */
    public static final String STATELESS_RATE_LIMIT = "rate-limit";
    /** {@value #STATELESS} key: how long a token the provider said is dead is refused. */
    public static final String STATELESS_DEAD_TOKEN_BLOCK = "dead-token-block";
    /** {@value #STATELESS} module key: the provider. */
    public static final String STATELESS_PROVIDER = "provider";
    /** {@value #STATELESS} module key: the provider's app id. */
    public static final String STATELESS_APP = "app";
    /** {@value #STATELESS} module key: the sandbox environment. */
    public static final String STATELESS_SANDBOX = "sandbox";
    /** {@value #STATELESS} module key: the module for publishes without {@code pushModule}. */
    public static final String STATELESS_DEFAULT = "default";

    private static final String DEFAULT_DATA_SOURCE = "default";
    private static final String URI = "uri";
    private static final String POOL_SIZE = "pool-size";
    private static final String ACTIVE = "active";

    /**
     * Bean: the component's HTTP listeners, each off unless its bean is present, each on loopback unless its
     * {@value HttpListenerSettings#BIND_ADDRESS} says otherwise:
     * <pre>
     * http () {
     *     admin () { port = 9090 }        # /metrics, /health/live, /health/ready; admin routes need a token
     *     public () { port = 8080 }       # routes meant for the internet (behind an HTTPS reverse proxy)
     * }
     * </pre>
     * Keys of each listener: {@value HttpListenerSettings#PORT} (required; 0 picks a free port),
     * {@value HttpListenerSettings#BIND_ADDRESS} (default {@value HttpListenerSettings#DEFAULT_BIND_ADDRESS}),
     * {@value HttpListenerSettings#THREADS}, {@value HttpListenerSettings#MAX_REQUEST_BYTES},
     * {@value HttpListenerSettings#READ_TIMEOUT}, {@value HttpListenerSettings#REQUEST_TIMEOUT}; the admin listener
     * also {@value #HTTP_TOKEN}, the bearer token its admin routes require (without it they are not served),
     * {@value #HTTP_METRICS} (default {@code true}: record metrics and serve them at {@code /metrics} when a metrics
     * exporter, push-metrics-micrometer, is on the class path) and {@value #HTTP_METRICS_TOKEN}, a bearer token
     * {@code /metrics} then requires (default none: served to whoever reaches the listener).
     */
    public static final String HTTP = "http";
    /** Bean in {@value #HTTP}: the admin listener (metrics, health, admin routes). */
    public static final String HTTP_ADMIN = "admin";
    /** Bean in {@value #HTTP}: the public listener (routes meant for the internet). */
    public static final String HTTP_PUBLIC = "public";
    /** Key of the {@value #HTTP_ADMIN} listener: the bearer token admin routes require. */
    public static final String HTTP_TOKEN = "token";
    /** Key of the {@value #HTTP_ADMIN} listener: record metrics and serve them at {@code /metrics}. */
    public static final String HTTP_METRICS = "metrics";
    /** Key of the {@value #HTTP_ADMIN} listener: the bearer token {@code /metrics} requires; none by default. */
    public static final String HTTP_METRICS_TOKEN = "metrics-token";

    private static final Set<String> KEYS = Set.of(COMPONENT_JID, REMOTE_HOST, REMOTE_PORT, SECRET, CONNECTIONS,
            DATA_DIR, DATA_FSYNC, ALLOWED_PUBLISHERS, REQUIRE_SECRET, DELIVERY_TIMEOUT, KEEP_ALIVE, PING_TIMEOUT,
            MAX_IN_FLIGHT, RECONNECT_MAX_DELAY, SHUTDOWN_TIMEOUT, MAX_STANZA_SIZE, DATA_SOURCE, PUSH, REST,
            MAX_REGISTRATIONS_PER_ACCOUNT, REGISTRATIONS_PER_MINUTE, MAX_SESSIONS_PER_ACCOUNT, MAX_SESSIONS, TLS,
            TLS_TRUST_STORE, TLS_TRUST_STORE_PASSWORD, TLS_SERVER_NAME, STORE, LOG_LEVEL, HTTP,
            UNIFIED_PUSH, STATELESS, STANDBY_RETRY, ADMINS, DIAGNOSTICS_FLUSH_INTERVAL);

    public ComponentConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(componentJid, "componentJid");
        Objects.requireNonNull(secret, "secret");
        allowedPublishers = List.copyOf(allowedPublishers);
        providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
        providerLines = Map.copyOf(providerLines);
        Objects.requireNonNull(accountLimits, "accountLimits");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(operations, "operations");
    }

    /**
     * Who administers the push service, and how often delivery diagnostics are written.
     *
     * @param admins                   {@value #ADMINS}: bare JIDs, normalised
     * @param diagnosticsFlushInterval {@value #DIAGNOSTICS_FLUSH_INTERVAL}
     */
    public record Operations(List<String> admins, Duration diagnosticsFlushInterval) {
        /** No administrators; diagnostics written every 60 s. */
        public static final Operations DEFAULTS = new Operations(List.of(), Duration.ofSeconds(60));

        public Operations {
            admins = List.copyOf(admins);
            Objects.requireNonNull(diagnosticsFlushInterval, "diagnosticsFlushInterval");
        }
    }

    /**
     * Direct TLS to the server's component port.
     *
     * @param trustStore         {@value #TLS_TRUST_STORE}, or {@code null} for the JVM's trust anchors
     * @param trustStorePassword {@value #TLS_TRUST_STORE_PASSWORD}, or {@code null}; never shown by {@code toString()}
     * @param serverName         {@value #TLS_SERVER_NAME}, or {@code null} for {@value #REMOTE_HOST}
     */
    public record Tls(Path trustStore, String trustStorePassword, String serverName) {
        @Override
        public String toString() {
            return "Tls[trustStore=" + (trustStore == null ? "JVM default" : trustStore) + ", trustStorePassword="
                    + (trustStorePassword == null ? "none" : "***") + ", serverName=" + serverName + "]";
        }
    }

    /**
     * The component's HTTP listeners ({@value #HTTP} bean).
     *
     * @param admin      the admin listener, or {@code null} when off
     * @param adminToken the bearer token admin routes require, or {@code null} (admin routes are then not served);
     *                   never shown by {@code toString()}
     * @param metrics      record metrics and serve them on the admin listener (only with an admin listener)
     * @param external     the public listener, or {@code null} when off
     * @param metricsToken the bearer token {@code /metrics} requires, or {@code null} (served without one); never
     *                     shown by {@code toString()}
     */
    public record Http(HttpListenerSettings admin, String adminToken, boolean metrics, HttpListenerSettings external,
                       String metricsToken) {
        /** Both listeners off. */
        public static final Http OFF = new Http(null, null, false, null);

        /** Listeners whose {@code /metrics} needs no token. */
        public Http(HttpListenerSettings admin, String adminToken, boolean metrics, HttpListenerSettings external) {
            this(admin, adminToken, metrics, external, null);
        }

        @Override
        public String toString() {
            return "Http[admin=" + (admin == null ? "off" : admin.bindAddress() + ":" + admin.port()) + ", adminToken="
                    + (adminToken == null ? "none" : "***") + ", metrics=" + metrics + ", metricsToken="
                    + (metricsToken == null ? "none" : "***") + ", public="
                    + (external == null ? "off" : external.bindAddress() + ":" + external.port()) + "]";
        }
    }

    /**
     * What one account may use at the app server (see {@code PushAppServer.Builder}).
     *
     * @param maxRegistrationsPerAccount {@value #MAX_REGISTRATIONS_PER_ACCOUNT}
     * @param registrationsPerMinute     {@value #REGISTRATIONS_PER_MINUTE}; 0 switches the limit off
     * @param maxSessionsPerAccount      {@value #MAX_SESSIONS_PER_ACCOUNT}
     * @param maxSessions                {@value #MAX_SESSIONS}
     */
    public record AccountLimits(int maxRegistrationsPerAccount, int registrationsPerMinute, int maxSessionsPerAccount,
                                int maxSessions) {
        /** The defaults: 50 registrations, 20 per minute, 5 sessions per account, 10,000 sessions in all. */
        public static final AccountLimits DEFAULTS = new AccountLimits(50, 20, 5, 10_000);
    }

    /**
     * Reads and checks a configuration file: syntax, keys, types, and each provider's settings against its factory
     * in {@code registry}. Providers are not created.
     *
     * @throws ConfigException listing every problem with file and line
     */
    public static ComponentConfig load(Path file, ProviderRegistry registry) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot read the configuration file: " + e);
        }
        return parse(file, text, registry, System::getenv);
    }

    /**
     * Reads and checks configuration text.
     *
     * @param file     the file name for messages; relative paths in the configuration resolve against its directory
     * @param env      looks up environment variables for {@code env('NAME')}
     * @throws ConfigException listing every problem with file and line
     */
    public static ComponentConfig parse(Path file, String text, ProviderRegistry registry, UnaryOperator<String> env)
            throws ConfigException {
        Tdsl.Bean root = Tdsl.parse(file, text, env);
        return new Binder(file, registry).bind(root);
    }

    /**
     * The settings of the chosen store, keyed as store factories name them: {@value #DATA_DIR} and
     * {@value #DATA_FSYNC}, and the {@value #DATA_SOURCE} bean's {@code uri} and {@code pool-size}; only those the
     * factory states are given to it. The values may hold a password: never log them.
     */
    public Map<String, String> storeSettings() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(DATA_DIR, dataDir.toString());
        all.put(DATA_FSYNC, Boolean.toString(dataFsync));
        if (storeUri != null) {
            all.put(URI, storeUri);
            all.put(POOL_SIZE, Integer.toString(storePoolSize));
        }
        Set<String> stated = StoreFactory.find(storeId, ComponentConfig.class.getClassLoader())
                .map(f -> f.settings().stream().map(StoreSetting::key).collect(Collectors.toSet()))
                .orElse(Set.of());
        all.keySet().retainAll(stated);
        return Map.copyOf(all);
    }

    @Override
    public String toString() {
        return "ComponentConfig[file=" + file + ", componentJid=" + componentJid + ", remote=" + remoteHost + ":"
                + remotePort + ", secret=" + Redaction.secret(secret) + ", connections=" + connections
                + ", dataDir=" + dataDir + ", dataFsync=" + dataFsync
                + ", store=" + storeId
                + ", allowedPublishers=" + allowedPublishers + ", requireSecret=" + requireSecret
                + ", providers=" + providers.keySet() + ", rest=" + (rest == null ? "off" : rest.bindAddress() + ":"
                + rest.port()) + ", tls=" + (tls == null ? "off" : tls) + ", http=" + http + ", unifiedPush="
                + (unifiedPush == null ? "off" : unifiedPush.endpointUrl()) + "]";
    }

    /** Turns the tree into a config, collecting every problem rather than stopping at the first. */
    private static final class Binder {
        private final Path file;
        private final ProviderRegistry registry;
        private final List<ConfigException.Problem> problems = new ArrayList<>();
        private final Map<String, Integer> providerLines = new LinkedHashMap<>();

        Binder(Path file, ProviderRegistry registry) {
            this.file = file;
            this.registry = registry;
        }

        ComponentConfig bind(Tdsl.Bean root) throws ConfigException {
            Map<String, Tdsl.Entry> e = root.entries();
            for (Tdsl.Entry entry : e.values()) {
                if (!KEYS.contains(entry.key())) {
                    problem(entry.line(), "unknown key '" + entry.key() + "'; known keys: " + new TreeSet<>(KEYS));
                }
            }
            Path baseDir = file.toAbsolutePath().getParent();
            String jid = string(e, COMPONENT_JID, null);
            if (!e.containsKey(COMPONENT_JID)) {
                problem(1, "'" + COMPONENT_JID + "' is required: the component's domain, e.g. 'push.example.com'");
            }
            String secret = string(e, SECRET, null);
            if (!e.containsKey(SECRET)) {
                problem(1, "'" + SECRET + "' is required: the secret the XMPP server expects from this component;"
                        + " write " + SECRET + " = env('PUSH_COMPONENT_SECRET') to keep it out of the file");
            } else if (secret != null && secret.isBlank()) {
                problem(e.get(SECRET).line(), "'" + SECRET + "' must not be empty");
            }
            String host = string(e, REMOTE_HOST, "localhost");
            int port = integer(e, REMOTE_PORT, 5347, 1, 65535);
            int connections = integer(e, CONNECTIONS, 1, 1, 64);
            String dataDirText = string(e, DATA_DIR, "data");
            Path dataDir = (baseDir == null ? Path.of(dataDirText) : baseDir.resolve(dataDirText)).normalize();
            boolean dataFsync = bool(e, DATA_FSYNC, false);
            List<String> publishers = stringList(e, ALLOWED_PUBLISHERS);
            boolean requireSecret = bool(e, REQUIRE_SECRET, false);
            Duration deliveryTimeout = duration(e, DELIVERY_TIMEOUT, Duration.ofSeconds(10));
            Duration keepAlive = duration(e, KEEP_ALIVE, Duration.ofSeconds(30));
            Duration pingTimeout = duration(e, PING_TIMEOUT, Duration.ofSeconds(10));
            int maxInFlight = integer(e, MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT, 16, 1_000_000);
            Duration reconnectMax = duration(e, RECONNECT_MAX_DELAY, Duration.ofSeconds(60));
            Duration shutdownTimeout = duration(e, SHUTDOWN_TIMEOUT, Duration.ofSeconds(10));
            Duration standbyRetry = duration(e, STANDBY_RETRY, Duration.ofSeconds(2));
            int maxStanzaSize = integer(e, MAX_STANZA_SIZE, 64 * 1024, 1024, 16 * 1024 * 1024);
            Store store = dataSource(e.get(DATA_SOURCE));
            String storeId = string(e, STORE, store.uri() == null ? defaultEmbeddedStore(dataDir) : "postgresql");
            Map<String, ProviderSettings> providers = providers(e.get(PUSH), baseDir);
            RestEndpointSettings rest = rest(e.get(REST));
            Http http = http(e.get(HTTP));
            UnifiedPushSettings unifiedPush = unifiedPush(e.get(UNIFIED_PUSH));
            Tls tls = tls(e, baseDir);
            AccountLimits defaults = AccountLimits.DEFAULTS;
            AccountLimits limits = new AccountLimits(
                    integer(e, MAX_REGISTRATIONS_PER_ACCOUNT, defaults.maxRegistrationsPerAccount(), 1, 1_000_000),
                    integer(e, REGISTRATIONS_PER_MINUTE, defaults.registrationsPerMinute(), 0, 1_000_000),
                    integer(e, MAX_SESSIONS_PER_ACCOUNT, defaults.maxSessionsPerAccount(), 1, 1_000_000),
                    integer(e, MAX_SESSIONS, defaults.maxSessions(), 1, 10_000_000));
            String logLevel = string(e, LOG_LEVEL, null);
            if (logLevel != null && !LOG_LEVELS.contains(logLevel.toUpperCase(Locale.ROOT))) {
                problem(e.get(LOG_LEVEL).line(), "'" + LOG_LEVEL + "' must be one of " + LOG_LEVELS);
            }
            StatelessSettings stateless = stateless(e.get(STATELESS), providers, publishers);
            Operations operations = operations(e);
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            ComponentConfig config = new ComponentConfig(file, jid, host, port, secret, connections, dataDir,
                    dataFsync, store.uri(), store.poolSize(), publishers, requireSecret, deliveryTimeout, keepAlive,
                    pingTimeout, maxInFlight, reconnectMax, shutdownTimeout, maxStanzaSize, providers, providerLines,
                    rest, tls, limits, storeId, logLevel == null ? null : logLevel.toUpperCase(Locale.ROOT), http,
                    unifiedPush, stateless, standbyRetry, operations);
            checkStore(config, e);
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            return config;
        }

        /** {@value #ADMINS} (each a JID, kept as its bare JID) and {@value #DIAGNOSTICS_FLUSH_INTERVAL}. */
        private Operations operations(Map<String, Tdsl.Entry> e) {
            List<String> admins = new ArrayList<>();
            for (String admin : stringList(e, ADMINS)) {
                Optional<Jid> jid = Jid.tryParse(admin.trim());
                if (jid.isEmpty()) {
                    problem(e.get(ADMINS).line(), "'" + ADMINS + "': '" + admin + "' is not a JID");
                } else {
                    admins.add(jid.get().bare().toString());
                }
            }
            Duration flush = duration(e, DIAGNOSTICS_FLUSH_INTERVAL, Operations.DEFAULTS.diagnosticsFlushInterval());
            if (flush.isZero() || flush.isNegative()) {
                problem(e.get(DIAGNOSTICS_FLUSH_INTERVAL).line(), "'" + DIAGNOSTICS_FLUSH_INTERVAL
                        + "' must be positive");
                flush = Operations.DEFAULTS.diagnosticsFlushInterval();
            }
            return new Operations(admins, flush);
        }

        /** The store id names an available factory, and the factory accepts the settings it gets. */
        private void checkStore(ComponentConfig config, Map<String, Tdsl.Entry> e) {
            int line = e.containsKey(STORE) ? e.get(STORE).line() : e.containsKey(DATA_SOURCE)
                    ? e.get(DATA_SOURCE).line() : 1;
            Map<String, StoreFactory> available = StoreFactory.available(ComponentConfig.class.getClassLoader());
            StoreFactory factory = available.get(config.storeId());
            if (factory == null) {
                problem(line, "'" + STORE + "' = '" + config.storeId() + "' names no store on the class path;"
                        + " available: " + available.keySet());
                return;
            }
            try {
                factory.resolve(config.storeSettings());
            } catch (IllegalArgumentException ex) {
                problem(line, ex.getMessage() + " (store settings come from '" + DATA_DIR + "', '" + DATA_FSYNC
                        + "' and the '" + DATA_SOURCE + "' bean)");
            }
        }

        private Tls tls(Map<String, Tdsl.Entry> e, Path baseDir) {
            boolean on = bool(e, TLS, false);
            String trustStoreText = string(e, TLS_TRUST_STORE, null);
            String password = string(e, TLS_TRUST_STORE_PASSWORD, null);
            String serverName = string(e, TLS_SERVER_NAME, null);
            if (!on) {
                for (String key : List.of(TLS_TRUST_STORE, TLS_TRUST_STORE_PASSWORD, TLS_SERVER_NAME)) {
                    if (e.containsKey(key)) {
                        problem(e.get(key).line(), "'" + key + "' has no effect without " + TLS + " = true");
                    }
                }
                return null;
            }
            Path trustStore = null;
            if (trustStoreText != null) {
                trustStore = (baseDir == null ? Path.of(trustStoreText) : baseDir.resolve(trustStoreText)).normalize();
                if (!Files.isReadable(trustStore)) {
                    problem(e.get(TLS_TRUST_STORE).line(), "'" + TLS_TRUST_STORE + "' " + trustStore
                            + " cannot be read");
                }
            }
            return new Tls(trustStore, password, serverName);
        }

        private RestEndpointSettings rest(Tdsl.Entry entry) {
            if (entry == null) {
                return null;
            }
            if (!(entry instanceof Tdsl.Bean bean)) {
                problem(entry.line(), "'" + REST + "' is a bean: " + REST + " () { port = 8080 }");
                return null;
            }
            checkAttributes(bean, Set.of(ACTIVE));
            Set<String> known = Set.of(RestEndpointSettings.BIND_ADDRESS, RestEndpointSettings.PORT,
                    RestEndpointSettings.MAX_REQUEST_BYTES, RestEndpointSettings.SECRET,
                    RestEndpointSettings.READ_TIMEOUT, RestEndpointSettings.REQUEST_TIMEOUT,
                    RestEndpointSettings.THREADS);
            for (Tdsl.Entry child : bean.entries().values()) {
                if (!known.contains(child.key())) {
                    problem(child.line(), "unknown key '" + child.key() + "' in '" + REST + "'; known keys: "
                            + new TreeSet<>(known));
                }
            }
            if (!bean.entries().containsKey(RestEndpointSettings.PORT)) {
                problem(bean.line(), "'" + REST + "' needs a '" + RestEndpointSettings.PORT + "' to listen on");
            }
            String address = string(bean.entries(), RestEndpointSettings.BIND_ADDRESS,
                    RestEndpointSettings.DEFAULT_BIND_ADDRESS);
            int port = integer(bean.entries(), RestEndpointSettings.PORT, 0, 0, 65535);
            int maxBytes = integer(bean.entries(), RestEndpointSettings.MAX_REQUEST_BYTES,
                    RestEndpointSettings.DEFAULT_MAX_REQUEST_BYTES, 64, 1024 * 1024);
            String secret = string(bean.entries(), RestEndpointSettings.SECRET, null);
            if (secret != null && secret.isBlank()) {
                problem(bean.entries().get(RestEndpointSettings.SECRET).line(), "'" + RestEndpointSettings.SECRET
                        + "' in '" + REST + "' must not be empty; leave it out to accept requests without one");
                secret = null;
            }
            Duration readTimeout = duration(bean.entries(), RestEndpointSettings.READ_TIMEOUT,
                    RestEndpointSettings.DEFAULT_READ_TIMEOUT);
            Duration requestTimeout = duration(bean.entries(), RestEndpointSettings.REQUEST_TIMEOUT,
                    RestEndpointSettings.DEFAULT_REQUEST_TIMEOUT);
            int threads = integer(bean.entries(), RestEndpointSettings.THREADS, RestEndpointSettings.DEFAULT_THREADS,
                    1, 64);
            return bean.active() ? new RestEndpointSettings(address, port, maxBytes, secret, readTimeout,
                    requestTimeout, threads) : null;
        }

        private Http http(Tdsl.Entry entry) {
            if (entry == null) {
                return Http.OFF;
            }
            if (!(entry instanceof Tdsl.Bean bean)) {
                problem(entry.line(), "'" + HTTP + "' is a bean: " + HTTP + " () { " + HTTP_ADMIN
                        + " () { port = 9090 } }");
                return Http.OFF;
            }
            checkAttributes(bean, Set.of());
            Set<String> known = Set.of(HTTP_ADMIN, HTTP_PUBLIC);
            for (Tdsl.Entry child : bean.entries().values()) {
                if (!known.contains(child.key())) {
                    problem(child.line(), "unknown key '" + child.key() + "' in '" + HTTP + "'; known keys: "
                            + new TreeSet<>(known));
                }
            }
            Tdsl.Bean admin = listenerBean(bean.entries().get(HTTP_ADMIN));
            Tdsl.Bean external = listenerBean(bean.entries().get(HTTP_PUBLIC));
            String token = null;
            boolean metrics = false;
            String metricsToken = null;
            if (admin != null) {
                metrics = bool(admin.entries(), HTTP_METRICS, true);
                token = string(admin.entries(), HTTP_TOKEN, null);
                if (token != null && token.isBlank()) {
                    problem(admin.entries().get(HTTP_TOKEN).line(), "'" + HTTP_TOKEN + "' in '" + HTTP_ADMIN
                            + "' must not be empty; leave it out to serve no admin routes");
                    token = null;
                }
                metricsToken = string(admin.entries(), HTTP_METRICS_TOKEN, null);
                if (metricsToken != null && metricsToken.isBlank()) {
                    problem(admin.entries().get(HTTP_METRICS_TOKEN).line(), "'" + HTTP_METRICS_TOKEN + "' in '"
                            + HTTP_ADMIN + "' must not be empty; leave it out to serve /metrics without a token");
                    metricsToken = null;
                }
            }
            return new Http(listener(admin, HTTP_ADMIN, Set.of(HTTP_TOKEN, HTTP_METRICS, HTTP_METRICS_TOKEN)), token,
                    metrics, listener(external, HTTP_PUBLIC, Set.of()), metricsToken);
        }

        private Tdsl.Bean listenerBean(Tdsl.Entry entry) {
            if (entry == null) {
                return null;
            }
            if (!(entry instanceof Tdsl.Bean bean)) {
                problem(entry.line(), "'" + entry.key() + "' in '" + HTTP + "' is a bean: " + entry.key()
                        + " () { port = 9090 }");
                return null;
            }
            checkAttributes(bean, Set.of(ACTIVE));
            return bean.active() ? bean : null;
        }

        private HttpListenerSettings listener(Tdsl.Bean bean, String name, Set<String> extraKeys) {
            if (bean == null) {
                return null;
            }
            Set<String> known = new HashSet<>(extraKeys);
            known.addAll(Set.of(HttpListenerSettings.BIND_ADDRESS, HttpListenerSettings.PORT,
                    HttpListenerSettings.MAX_REQUEST_BYTES, HttpListenerSettings.READ_TIMEOUT,
                    HttpListenerSettings.REQUEST_TIMEOUT, HttpListenerSettings.THREADS));
            for (Tdsl.Entry child : bean.entries().values()) {
                if (!known.contains(child.key())) {
                    problem(child.line(), "unknown key '" + child.key() + "' in '" + name + "'; known keys: "
                            + new TreeSet<>(known));
                }
            }
            if (!bean.entries().containsKey(HttpListenerSettings.PORT)) {
                problem(bean.line(), "'" + name + "' in '" + HTTP + "' needs a '" + HttpListenerSettings.PORT
                        + "' to listen on");
            }
            Map<String, Tdsl.Entry> e = bean.entries();
            return new HttpListenerSettings(
                    string(e, HttpListenerSettings.BIND_ADDRESS, HttpListenerSettings.DEFAULT_BIND_ADDRESS),
                    integer(e, HttpListenerSettings.PORT, 0, 0, 65535),
                    integer(e, HttpListenerSettings.MAX_REQUEST_BYTES, HttpListenerSettings.DEFAULT_MAX_REQUEST_BYTES,
                            64, HttpListenerSettings.MAX_MAX_REQUEST_BYTES),
                    duration(e, HttpListenerSettings.READ_TIMEOUT, HttpListenerSettings.DEFAULT_READ_TIMEOUT),
                    duration(e, HttpListenerSettings.REQUEST_TIMEOUT, HttpListenerSettings.DEFAULT_REQUEST_TIMEOUT),
                    integer(e, HttpListenerSettings.THREADS, HttpListenerSettings.DEFAULT_THREADS, 1, 64));
        }

        private UnifiedPushSettings unifiedPush(Tdsl.Entry entry) {
            if (entry == null) {
                return null;
            }
            if (!(entry instanceof Tdsl.Bean bean)) {
                problem(entry.line(), "'" + UNIFIED_PUSH + "' is a bean: '" + UNIFIED_PUSH + "' () { '"
                        + UP_ENDPOINT_URL + "' = 'https://push.example.net/up' }");
                return null;
            }
            checkAttributes(bean, Set.of(ACTIVE));
            Set<String> known = Set.of(UP_ENDPOINT_URL, UP_LIFETIME, UP_RATE, UP_RELAY_TIMEOUT, UP_MAX_WAITING);
            for (Tdsl.Entry child : bean.entries().values()) {
                if (!known.contains(child.key())) {
                    problem(child.line(), "unknown key '" + child.key() + "' in '" + UNIFIED_PUSH + "'; known keys: "
                            + new TreeSet<>(known));
                }
            }
            String url = string(bean.entries(), UP_ENDPOINT_URL, null);
            if (url == null) {
                problem(bean.line(), "'" + UNIFIED_PUSH + "' needs an '" + UP_ENDPOINT_URL + "': the public URL "
                        + "endpoints start with, e.g. 'https://push.example.net/up'");
                return null;
            }
            Duration lifetime = duration(bean.entries(), UP_LIFETIME, UnifiedPushSettings.DEFAULT_LIFETIME);
            int rate = integer(bean.entries(), UP_RATE, UnifiedPushSettings.DEFAULT_MESSAGES_PER_MINUTE, 1, 1_000_000);
            Duration relayTimeout = duration(bean.entries(), UP_RELAY_TIMEOUT,
                    UnifiedPushSettings.DEFAULT_RELAY_TIMEOUT);
            int maxWaiting = integer(bean.entries(), UP_MAX_WAITING, UnifiedPushSettings.DEFAULT_MAX_WAITING, 4,
                    1_000_000);
            try {
                UnifiedPushSettings settings = new UnifiedPushSettings(java.net.URI.create(url), lifetime, rate,
                        relayTimeout, maxWaiting);
                return bean.active() ? settings : null;
            } catch (IllegalArgumentException ex) {
                problem(bean.line(), "'" + UNIFIED_PUSH + "': " + ex.getMessage());
                return null;
            }
        }

        /** The {@value #STATELESS} bean; {@code null} when absent or inactive. */
        private StatelessSettings stateless(Tdsl.Entry entry, Map<String, ProviderSettings> providers,
                                            List<String> publishers) {
            if (entry == null) {
                return null;
            }
            if (!(entry instanceof Tdsl.Bean bean)) {
                problem(entry.line(), "'" + STATELESS + "' is a bean: " + STATELESS
                        + " () { 'monalProdiOS' () { provider = 'apns' } }");
                return null;
            }
            checkAttributes(bean, Set.of(ACTIVE));
            Set<String> configured = providers.keySet().stream().map(id -> registry.canonicalId(id).orElse(id))
                    .collect(Collectors.toSet());
            Map<String, StatelessSettings.PushModule> modules = new LinkedHashMap<>();
            String defaultModule = null;
            boolean anyModule = false;
            Set<String> moduleKeys = Set.of(STATELESS_PROVIDER, STATELESS_APP, STATELESS_SANDBOX, STATELESS_DEFAULT);
            for (Tdsl.Entry child : bean.entries().values()) {
                if (!(child instanceof Tdsl.Bean module)) {
                    if (!child.key().equals(STATELESS_RATE_LIMIT) && !child.key().equals(STATELESS_DEAD_TOKEN_BLOCK)) {
                        problem(child.line(), "unknown key '" + child.key() + "' in '" + STATELESS + "'; known keys: "
                                + new TreeSet<>(Set.of(STATELESS_RATE_LIMIT, STATELESS_DEAD_TOKEN_BLOCK))
                                + ", and one bean per push module");
                    }
                    continue;
                }
                checkAttributes(module, Set.of(ACTIVE));
                anyModule = true;
                for (Tdsl.Entry key : module.entries().values()) {
                    if (!moduleKeys.contains(key.key())) {
                        problem(key.line(), "unknown key '" + key.key() + "' in push module '" + module.key()
                                + "'; known keys: " + new TreeSet<>(moduleKeys));
                    }
                }
                String provider = string(module.entries(), STATELESS_PROVIDER, null);
                if (provider == null) {
                    problem(module.line(), "push module '" + module.key() + "' needs a '" + STATELESS_PROVIDER
                            + "', one of the providers of '" + PUSH + "': " + providers.keySet());
                    continue;
                }
                if (!configured.contains(registry.canonicalId(provider).orElse(provider))) {
                    problem(module.entries().get(STATELESS_PROVIDER).line(), "push module '" + module.key()
                            + "': provider '" + provider + "' is not configured in '" + PUSH + "'; configured: "
                            + providers.keySet());
                    continue;
                }
                if (bool(module.entries(), STATELESS_DEFAULT, false)) {
                    if (defaultModule != null) {
                        problem(module.line(), "push modules '" + defaultModule + "' and '" + module.key()
                                + "' are both the default; at most one may be");
                    }
                    defaultModule = module.key();
                }
                if (module.active()) {
                    modules.put(module.key(), new StatelessSettings.PushModule(provider,
                            string(module.entries(), STATELESS_APP, null),
                            bool(module.entries(), STATELESS_SANDBOX, false)));
                }
            }
            if (modules.isEmpty()) {
                if (!anyModule) {
                    problem(bean.line(), "'" + STATELESS + "' needs at least one push module, e.g. 'monalProdiOS' () {"
                            + " provider = 'apns' }");
                }
                return null;
            }
            Duration rateLimit = zeroOrPositive(bean.entries(), STATELESS_RATE_LIMIT,
                    StatelessSettings.DEFAULT_RATE_LIMIT);
            Duration block = zeroOrPositive(bean.entries(), STATELESS_DEAD_TOKEN_BLOCK,
                    StatelessSettings.DEFAULT_DEAD_TOKEN_BLOCK);
            if (!bean.active() || !problems.isEmpty()) {
                return null;
            }
            return new StatelessSettings(modules, modules.containsKey(defaultModule) ? defaultModule : null,
                    rateLimit, block, Set.copyOf(publishers));
        }

        private Duration zeroOrPositive(Map<String, Tdsl.Entry> entries, String key, Duration defaultValue) {
            Tdsl.Value v = value(entries, key);
            if (v == null) {
                return defaultValue;
            }
            if (v.value() instanceof String s) {
                try {
                    Duration d = Duration.parse(s);
                    if (!d.isNegative()) {
                        return d;
                    }
                } catch (DateTimeParseException ex) {
                    // reported below
                }
            }
            problem(v.line(), "'" + key + "' must be an ISO-8601 duration such as 'PT20S' ('PT0S' for none)");
            return defaultValue;
        }

        private record Store(String uri, int poolSize) {
        }

        private Store dataSource(Tdsl.Entry entry) {
            Store none = new Store(null, 10);
            if (entry == null) {
                return none;
            }
            if (!(entry instanceof Tdsl.Bean bean)) {
                problem(entry.line(), "'" + DATA_SOURCE + "' is a bean: " + DATA_SOURCE
                        + " () { default () { uri = 'jdbc:...' } }");
                return none;
            }
            checkAttributes(bean, Set.of());
            for (Tdsl.Entry child : bean.entries().values()) {
                if (!DEFAULT_DATA_SOURCE.equals(child.key())) {
                    problem(child.line(), "unknown key '" + child.key() + "' in '" + DATA_SOURCE
                            + "'; only the '" + DEFAULT_DATA_SOURCE + "' data source is used");
                }
            }
            if (!(bean.entries().get(DEFAULT_DATA_SOURCE) instanceof Tdsl.Bean def)) {
                problem(bean.line(), "'" + DATA_SOURCE + "' needs a bean " + DEFAULT_DATA_SOURCE
                        + " () { uri = 'jdbc:...' }");
                return none;
            }
            checkAttributes(def, Set.of());
            for (Tdsl.Entry child : def.entries().values()) {
                if (!URI.equals(child.key()) && !POOL_SIZE.equals(child.key())) {
                    problem(child.line(), "unknown key '" + child.key() + "' in data source '" + DEFAULT_DATA_SOURCE
                            + "'; known keys: [" + POOL_SIZE + ", " + URI + "]");
                }
            }
            String uri = string(def.entries(), URI, null);
            if (uri == null) {
                problem(def.line(), "data source '" + DEFAULT_DATA_SOURCE + "' needs a 'uri', e.g. "
                        + "'jdbc:postgresql://db.example.com/push?user=push&password=...'");
            } else if (!uri.startsWith("jdbc:")) {
                problem(def.entries().get(URI).line(), "'" + URI + "' must be a JDBC URL starting with 'jdbc:'");
            }
            int pool = integer(def.entries(), POOL_SIZE, 10, 1, 1000);
            return new Store(uri, pool);
        }

        private Map<String, ProviderSettings> providers(Tdsl.Entry entry, Path baseDir) {
            Map<String, ProviderSettings> providers = new LinkedHashMap<>();
            if (entry == null) {
                problem(1, "no push provider is configured: add a bean " + PUSH + " () { 'log' () { } } or one per "
                        + "provider id, e.g. 'fcm-http-v1' () { ... }; available: " + registry.ids());
                return providers;
            }
            if (!(entry instanceof Tdsl.Bean push)) {
                problem(entry.line(), "'" + PUSH + "' is a bean: " + PUSH + " () { 'provider-id' () { ... } }");
                return providers;
            }
            checkAttributes(push, Set.of());
            for (Tdsl.Entry child : push.entries().values()) {
                if (!(child instanceof Tdsl.Bean bean)) {
                    problem(child.line(), "unknown key '" + child.key() + "' in '" + PUSH + "': only provider beans"
                            + " go here, e.g. '" + child.key() + "' () { ... }");
                    continue;
                }
                checkAttributes(bean, Set.of(ACTIVE));
                PushProviderFactory factory;
                try {
                    factory = registry.factory(bean.key());
                } catch (UnknownProviderException ex) {
                    problem(bean.line(), ex.getMessage());
                    continue;
                }
                if (!bean.active()) {
                    continue;
                }
                Map<String, Object> values = new LinkedHashMap<>();
                Map<String, Integer> lines = new LinkedHashMap<>();
                for (Tdsl.Entry setting : bean.entries().values()) {
                    values.put(setting.key(), settingValue(setting));
                    lines.put(setting.key(), setting.line());
                }
                ProviderSettings settings;
                try {
                    settings = TigaseProviderSettings.translate(new ProviderSettings(bean.key(), values, baseDir),
                            factory.id());
                } catch (IllegalArgumentException ex) {
                    problem(bean.line(), ex.getMessage());
                    continue;
                }
                Set<String> known = new HashSet<>(factory.settingKeys());
                known.addAll(CircuitBreakerPolicy.SETTING_KEYS);
                try {
                    CircuitBreakerPolicy.from(settings);
                } catch (IllegalArgumentException ex) {
                    problem(bean.line(), ex.getMessage());
                }
                for (String key : settings.values().keySet()) {
                    if (!known.contains(key)) {
                        problem(lines.getOrDefault(key, lines.getOrDefault(TigaseProviderSettings.TIGASE_APNS_TOPIC,
                                bean.line())), "provider '" + bean.key() + "': unknown setting '" + key
                                + "'; known settings: " + new TreeSet<>(known));
                    }
                }
                String canonical = factory.id();
                boolean duplicate = providers.values().stream()
                        .anyMatch(p -> registry.canonicalId(p.providerId()).orElse("").equals(canonical));
                if (duplicate) {
                    problem(bean.line(), "provider '" + bean.key() + "' is the same provider as another bean in '"
                            + PUSH + "' (" + canonical + "); configure it once");
                    continue;
                }
                providers.put(bean.key(), settings);
                providerLines.put(bean.key(), bean.line());
            }
            return providers;
        }

        /**
         * A provider setting's value; a nested bean (e.g. APNs' per-app blocks) becomes a map of its entries, nested
         * as deep as the file nests them, for the provider to check.
         */
        private Object settingValue(Tdsl.Entry setting) {
            if (setting instanceof Tdsl.Value v) {
                return v.value();
            }
            Tdsl.Bean nested = (Tdsl.Bean) setting;
            checkAttributes(nested, Set.of());
            Map<String, Object> block = new LinkedHashMap<>();
            for (Tdsl.Entry entry : nested.entries().values()) {
                block.put(entry.key(), settingValue(entry));
            }
            return block;
        }

        private void checkAttributes(Tdsl.Bean bean, Set<String> allowed) {
            for (Map.Entry<String, Object> a : bean.attributes().entrySet()) {
                if (!allowed.contains(a.getKey())) {
                    problem(bean.line(), "bean '" + bean.key() + "': attribute '" + a.getKey()
                            + "' is not supported" + (allowed.isEmpty() ? "" : "; supported: " + allowed));
                } else if (ACTIVE.equals(a.getKey()) && !(a.getValue() instanceof Boolean)) {
                    problem(bean.line(), "bean '" + bean.key() + "': 'active' must be true or false");
                }
            }
        }

        private Tdsl.Value value(Map<String, Tdsl.Entry> entries, String key) {
            Tdsl.Entry entry = entries.get(key);
            if (entry == null) {
                return null;
            }
            if (entry instanceof Tdsl.Value v) {
                return v;
            }
            problem(entry.line(), "'" + key + "' is a value, not a bean: write '" + key + "' = ...");
            return null;
        }

        private String string(Map<String, Tdsl.Entry> entries, String key, String defaultValue) {
            Tdsl.Value v = value(entries, key);
            if (v == null) {
                return defaultValue;
            }
            if (v.value() instanceof String s) {
                return s;
            }
            problem(v.line(), "'" + key + "' must be a quoted string");
            return defaultValue;
        }

        private int integer(Map<String, Tdsl.Entry> entries, String key, int defaultValue, int min, int max) {
            Tdsl.Value v = value(entries, key);
            if (v == null) {
                return defaultValue;
            }
            Object o = v.value();
            if (v.fromEnv() && o instanceof String s) {
                try {
                    o = Long.parseLong(s.trim());
                } catch (NumberFormatException ex) {
                    problem(v.line(), "'" + key + "' must be a whole number");
                    return defaultValue;
                }
            }
            if (o instanceof Long n && n >= min && n <= max) {
                return n.intValue();
            }
            problem(v.line(), "'" + key + "' must be a whole number from " + min + " to " + max);
            return defaultValue;
        }

        private boolean bool(Map<String, Tdsl.Entry> entries, String key, boolean defaultValue) {
            Tdsl.Value v = value(entries, key);
            if (v == null) {
                return defaultValue;
            }
            if (v.value() instanceof Boolean b) {
                return b;
            }
            if (v.fromEnv() && v.value() instanceof String s && (s.equals("true") || s.equals("false"))) {
                return Boolean.parseBoolean(s);
            }
            problem(v.line(), "'" + key + "' must be true or false");
            return defaultValue;
        }

        private Duration duration(Map<String, Tdsl.Entry> entries, String key, Duration defaultValue) {
            Tdsl.Value v = value(entries, key);
            if (v == null) {
                return defaultValue;
            }
            if (v.value() instanceof String s) {
                try {
                    Duration d = Duration.parse(s);
                    if (!d.isNegative() && !d.isZero()) {
                        return d;
                    }
                } catch (DateTimeParseException ex) {
                    // reported below
                }
            }
            problem(v.line(), "'" + key + "' must be a positive ISO-8601 duration such as 'PT10S'");
            return defaultValue;
        }

        private List<String> stringList(Map<String, Tdsl.Entry> entries, String key) {
            Tdsl.Value v = value(entries, key);
            if (v == null) {
                return List.of();
            }
            if (v.value() instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
                return list.stream().map(String.class::cast).toList();
            }
            problem(v.line(), "'" + key + "' must be a list of quoted strings, e.g. [ 'example.com' ]");
            return List.of();
        }

        private void problem(int line, String message) {
            problems.add(new ConfigException.Problem(file, line, message));
        }
    }

    /**
     * The embedded store a configuration without {@value #STORE} and without {@value #DATA_SOURCE} gets:
     * {@code sqlite}, unless {@code dataDir} holds an H2 store ({@value #H2_FILE}) and no SQLite one
     * ({@value #SQLITE_FILE}), which keeps {@code h2}.
     */
    static String defaultEmbeddedStore(Path dataDir) {
        boolean h2Only = Files.exists(dataDir.resolve(H2_FILE)) && !Files.exists(dataDir.resolve(SQLITE_FILE));
        return h2Only ? "h2" : "sqlite";
    }
}
