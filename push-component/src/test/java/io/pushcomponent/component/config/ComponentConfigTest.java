package io.pushcomponent.component.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.core.dialect.Dialect;
import io.pushcomponent.component.internal.LogPushProviderFactory;
import io.pushcomponent.testkit.FakePushProviderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentConfigTest {
    private static final Path FILE = Path.of("/etc/push/push.tdsl");
    /** Without FCM and APNs, but with the aliases of the dialects on the class path, which name their artifacts. */
    private static final ProviderRegistry REGISTRY = ProviderRegistry.of(List.of(new LogPushProviderFactory(),
            new FakePushProviderFactory())).withAliases(Dialect.discover(ComponentConfigTest.class.getClassLoader())
            .stream().flatMap(d -> d.appServer().providerAliases().stream()).toList());
    private static final Map<String, String> ENV = Map.of("PUSH_SECRET", "s3cret-from-env");

    private static ComponentConfig parse(String text) throws ConfigException {
        return ComponentConfig.parse(FILE, text, REGISTRY, ENV::get);
    }

    private static ConfigException.Problem onlyProblem(String text) {
        ConfigException e = catchThrowableOfType(() -> parse(text), ConfigException.class);
        assertThat(e).as("the configuration must be refused").isNotNull();
        assertThat(e.problems()).as("exactly one problem is reported").hasSize(1);
        return e.problems().get(0);
    }

    @Test
    void readsEveryKeyInTigaseSyntax() throws ConfigException {
        ComponentConfig c = parse("""
                // push component
                'component-jid' = 'push.example.com'
                'remote-host' = 'xmpp.example.com'
                'remote-port' = 5275
                secret = env('PUSH_SECRET')      # bare keys work too
                'connections' = 4
                'data-dir' = '/var/lib/push'
                'data-fsync' = true
                'allowed-publishers' = [ 'example.com', 'example.net', ]
                'require-secret' = true
                'delivery-timeout' = 'PT5S'
                'keep-alive' = 'PT20S'
                'reconnect-max-delay' = 'PT2M'
                'shutdown-timeout' = 'PT3S'
                'max-stanza-size' = 32768
                /* the store
                   shared by every instance */
                dataSource () {
                    default () {
                        uri = 'jdbc:postgresql://db/push?user=push&password=pw'
                        'pool-size' = 4
                    }
                }
                push () {
                    'fake' () { name = 'one' }
                    'log' (active: false) { }
                }
                """);
        assertThat(c.componentJid()).isEqualTo("push.example.com");
        assertThat(c.remoteHost()).isEqualTo("xmpp.example.com");
        assertThat(c.remotePort()).isEqualTo(5275);
        assertThat(c.secret()).as("env('NAME') reads the environment").isEqualTo("s3cret-from-env");
        assertThat(c.connections()).isEqualTo(4);
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/push"));
        assertThat(c.dataFsync()).isTrue();
        assertThat(c.allowedPublishers()).containsExactly("example.com", "example.net");
        assertThat(c.requireSecret()).isTrue();
        assertThat(c.deliveryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.keepAlive()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.reconnectMaxDelay()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.maxStanzaSize()).isEqualTo(32768);
        assertThat(c.storeUri()).isEqualTo("jdbc:postgresql://db/push?user=push&password=pw");
        assertThat(c.storePoolSize()).isEqualTo(4);
        assertThat(c.providers()).as("a bean with active: false is not configured").containsOnlyKeys("fake");
        assertThat(c.providers().get("fake").string("name")).contains("one");
        assertThat(c.providerLines()).containsEntry("fake", 25);
    }

    /** A standby connection (Prosody's conflict) tries to take over every 2 s unless 'standby-retry' says otherwise. */
    @Test
    void standbyRetryIsTwoSecondsUnlessSet() throws ConfigException {
        String minimal = """
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                push () { 'log' () {} }
                """;
        assertThat(parse(minimal).standbyRetry()).isEqualTo(Duration.ofSeconds(2));
        assertThat(parse(minimal + "'standby-retry' = 'PT0.5S'\n").standbyRetry()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void defaultsAreAnEmbeddedStoreNextToTheFileAndOneConnection() throws ConfigException {
        ComponentConfig c = parse("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                push () { 'log' () {} }
                """);
        assertThat(c.remoteHost()).isEqualTo("localhost");
        assertThat(c.remotePort()).as("Prosody's and ejabberd's usual component port").isEqualTo(5347);
        assertThat(c.connections()).isEqualTo(1);
        assertThat(c.storeUri()).as("no dataSource means the embedded H2 database").isNull();
        assertThat(c.dataDir()).isEqualTo(Path.of("/etc/push/data"));
        assertThat(c.dataFsync()).as("acknowledged changes survive a killed process without fsync; power loss"
                + " needs it").isFalse();
        assertThat(c.allowedPublishers()).isEmpty();
        assertThat(c.requireSecret()).as("real clients never send a publish secret").isFalse();
    }

    @Test
    void accountLimitsAreReadWithTheirDefaults() throws ConfigException {
        ComponentConfig defaults = parse("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                push () { 'log' () {} }
                """);
        ComponentConfig set = parse("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                'max-registrations-per-account' = 10
                'registrations-per-minute' = 0
                'max-sessions-per-account' = 2
                'max-sessions' = 500
                push () { 'log' () {} }
                """);

        assertThat(defaults.accountLimits()).as("one account cannot use everything: bounded per account by default")
                .isEqualTo(ComponentConfig.AccountLimits.DEFAULTS)
                .isEqualTo(new ComponentConfig.AccountLimits(50, 20, 5, 10_000));
        assertThat(set.accountLimits()).isEqualTo(new ComponentConfig.AccountLimits(10, 0, 2, 500));
        assertThat(onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                'max-registrations-per-account' = 0
                push () { 'log' () {} }
                """).message()).contains("max-registrations-per-account");
    }

    @Test
    void adminsAndTheDiagnosticsFlushIntervalAreReadWithTheirDefaults() throws ConfigException {
        ComponentConfig defaults = parse("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                push () { 'log' () {} }
                """);
        ComponentConfig set = parse("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                'admins' = [ 'Ops@Example.com/laptop', 'root@example.net' ]
                'diagnostics-flush-interval' = 'PT2M'
                push () { 'log' () {} }
                """);

        assertThat(defaults.operations()).as("nobody administers the service unless named")
                .isEqualTo(ComponentConfig.Operations.DEFAULTS);
        assertThat(defaults.operations().diagnosticsFlushInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(set.operations().admins()).as("kept as bare JIDs")
                .containsExactly("ops@example.com", "root@example.net");
        assertThat(set.operations().diagnosticsFlushInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                'admins' = [ '@example.com' ]
                push () { 'log' () {} }
                """).message()).contains("'admins'").contains("not a JID");
        assertThat(onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                'diagnostics-flush-interval' = 'PT0S'
                push () { 'log' () {} }
                """).message()).contains("diagnostics-flush-interval");
    }

    @Test
    void tlsIsOffByDefaultAndItsKeysNeedIt() throws ConfigException {
        assertThat(parse("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                push () { 'log' () {} }
                """).tls()).as("XEP-0114 as written: plain TCP unless tls = true").isNull();
        ComponentConfig tls = parse("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                tls = true
                'tls-server-name' = 'xmpp.example.com'
                push () { 'log' () {} }
                """);
        assertThat(tls.tls()).isEqualTo(new ComponentConfig.Tls(null, null, "xmpp.example.com"));
        assertThat(onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                'tls-server-name' = 'xmpp.example.com'
                push () { 'log' () {} }
                """).message()).as("a TLS setting without tls = true would leave the stream in clear text unnoticed")
                .contains("'tls-server-name' has no effect without tls = true");
        ConfigException.Problem missing = onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                tls = true
                'tls-trust-store' = 'no-such-trust-store.p12'
                push () { 'log' () {} }
                """);
        assertThat(missing.message()).contains("'tls-trust-store'").contains("cannot be read");
        assertThat(missing.line()).isEqualTo(4);
    }

    @Test
    void toStringNeverShowsTheSecretOrTheStoreUrl() throws ConfigException {
        ComponentConfig c = parse("""
                'component-jid' = 'push.localhost'
                'secret' = 'hunter2-secret'
                dataSource () { default () { uri = 'jdbc:postgresql://db/push?password=db-password' } }
                push () { 'fake' () { name = 'n' } }
                """);
        assertThat(c.toString()).doesNotContain("hunter2-secret").doesNotContain("db-password");
    }

    @Test
    void missingSecretIsReportedWithFileAndLine() {
        ConfigException.Problem p = onlyProblem("""
                'component-jid' = 'push.localhost'
                push () { 'log' () {} }
                """);
        assertThat(p.file()).isEqualTo(FILE);
        assertThat(p.line()).isEqualTo(1);
        assertThat(p.message()).contains("'secret' is required");
        assertThat(p.toString()).startsWith(FILE + ":1: ");
    }

    @Test
    void unsetEnvironmentVariableNamesTheVariableAndTheLine() {
        ConfigException.Problem p = onlyProblem("""
                'component-jid' = 'push.localhost'

                'secret' = env('NOT_SET_ANYWHERE')
                push () { 'log' () {} }
                """);
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.message()).contains("'secret'").contains("NOT_SET_ANYWHERE").contains("not set");
    }

    @Test
    void envDefaultIsUsedWhenTheVariableIsUnset() throws ConfigException {
        ComponentConfig c = parse("""
                'component-jid' = 'push.localhost'
                'secret' = env('NOT_SET_ANYWHERE', 'fallback')
                push () { 'log' () {} }
                """);
        assertThat(c.secret()).isEqualTo("fallback");
    }

    @Test
    void unknownKeyIsAnErrorAtItsLine() {
        ConfigException.Problem p = onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                'remote-prot' = 5347
                push () { 'log' () {} }
                """);
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.message()).contains("unknown key 'remote-prot'").contains("remote-port");
    }

    @Test
    void unknownProviderIdIsAnErrorAtItsBeanNamingWhatIsAvailable() {
        ConfigException.Problem p = onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                push () {
                    'fcm-http-v1' () { 'service-account-file' = 'sa.json' }
                }
                """);
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.message()).as("names the artifact to add").contains("fcm-http-v1")
                .contains("io.pushcomponent:push-provider-fcm");
    }

    @Test
    void unknownProviderSettingIsAnErrorAtItsLine() {
        ConfigException.Problem p = onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                push () {
                    'fake' () {
                        name = 'a'
                        nmae = 'b'
                    }
                }
                """);
        assertThat(p.line()).isEqualTo(6);
        assertThat(p.message()).contains("provider 'fake'").contains("unknown setting 'nmae'").contains("name");
    }

    @Test
    void syntaxErrorsNameTheLine() {
        assertThat(onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x
                """).line()).as("an unclosed string").isEqualTo(2);
        assertThat(onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' 'x'
                """).message()).as("a missing '='").contains("expected '=' or '()' after 'secret'");
        ConfigException.Problem missingBrace = onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                push () {
                    'log' () { }
                """);
        assertThat(missingBrace.line()).isEqualTo(5);
        assertThat(missingBrace.message()).contains("'}' is missing");
        assertThat(onlyProblem("""
                'component-jid' = push.localhost
                """).message()).as("an unquoted string").contains("strings are quoted");
        assertThat(onlyProblem("""
                /* never closed
                'secret' = 'x'
                """).message()).contains("comment is not closed");
    }

    @Test
    void keySetTwiceIsAnError() {
        ConfigException.Problem p = onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                'secret' = 'y'
                push () { 'log' () {} }
                """);
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.message()).contains("set twice").contains("line 2");
    }

    @Test
    void wrongTypesAreErrorsNamingTheKeyButNotTheValue() {
        ConfigException e = catchThrowableOfType(() -> parse("""
                'component-jid' = 'push.localhost'
                'secret' = 42
                'remote-port' = 'five'
                'connections' = 0
                'require-secret' = 'yes'
                'delivery-timeout' = '10 seconds'
                'allowed-publishers' = 'example.com'
                push () { 'log' () {} }
                """), ConfigException.class);
        assertThat(e.problems()).as("every problem is reported, not only the first")
                .extracting(ConfigException.Problem::line).containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7);
        assertThat(e.getMessage()).contains("'secret' must be a quoted string").doesNotContain("42");
    }

    @Test
    void noProviderIsAnError() {
        assertThat(onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                """).message()).contains("no push provider is configured");
    }

    @Test
    void sameProviderBeanTwiceIsAnError() {
        ConfigException.Problem p = onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                push () {
                    'log' () { }
                    'log' () { }
                }
                """);
        assertThat(p.message()).contains("set twice");
    }

    /**
     * Without 'store', a data-dir that already holds an H2 store (and no SQLite one) keeps H2, so that a deployment
     * from before SQLite became the default finds its registrations after an upgrade; one with a SQLite store, or
     * both, or neither, gets SQLite.
     */
    @Test
    void anExistingH2StoreInDataDirKeepsH2AsTheDefault(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        String text = """
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                'data-dir' = 'data'
                push () { 'log' () {} }
                """;
        Path file = dir.resolve("push.tdsl");
        assertThat(ComponentConfig.parse(file, text, REGISTRY, ENV::get).storeId()).as("an empty data-dir")
                .isEqualTo("sqlite");
        Files.createFile(data.resolve("registrations.mv.db"));
        assertThat(ComponentConfig.parse(file, text, REGISTRY, ENV::get).storeId()).as("an H2 store alone")
                .isEqualTo("h2");
        Files.createFile(data.resolve("registrations.sqlite"));
        assertThat(ComponentConfig.parse(file, text, REGISTRY, ENV::get).storeId()).as("both stores")
                .isEqualTo("sqlite");
        assertThat(ComponentConfig.parse(file, text + "store = 'h2'\n", REGISTRY, ENV::get).storeId())
                .as("an explicit store wins").isEqualTo("h2");
    }

    /** The store is chosen by the id of its factory; each factory gets the settings it states. */
    @Test
    void theStoreIsChosenByIdAndGetsTheSettingsItStates() throws ConfigException {
        ComponentConfig embedded = parse("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                'data-fsync' = true
                push () { 'log' () {} }
                """);
        assertThat(embedded.storeId()).as("no dataSource, a new data-dir: the embedded SQLite database")
                .isEqualTo("sqlite");
        assertThat(embedded.storeSettings()).isEqualTo(Map.of("data-dir", "/etc/push/data", "data-fsync", "true"));

        ComponentConfig sqlite = parse("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                store = 'sqlite'
                push () { 'log' () {} }
                """);
        assertThat(sqlite.storeId()).as("the embedded SQLite store, chosen by its id").isEqualTo("sqlite");
        assertThat(sqlite.storeSettings()).isEqualTo(Map.of("data-dir", "/etc/push/data", "data-fsync", "false"));

        ComponentConfig shared = parse("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                dataSource () {
                    default () {
                        uri = 'jdbc:postgresql://db/push?password=pw'
                        'pool-size' = 3
                    }
                }
                push () { 'log' () {} }
                """);
        assertThat(shared.storeId()).as("a dataSource bean: PostgreSQL").isEqualTo("postgresql");
        assertThat(shared.storeSettings()).isEqualTo(Map.of("uri", "jdbc:postgresql://db/push?password=pw",
                "pool-size", "3"));
        assertThat(shared.toString()).doesNotContain("pw");

        ComponentConfig memory = parse("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                store = 'memory'
                push () { 'log' () {} }
                """);
        assertThat(memory.storeId()).isEqualTo("memory");
        assertThat(memory.storeSettings()).isEmpty();
    }

    @Test
    void anUnknownStoreOrOneWithoutItsSettingsIsAProblem() {
        assertThat(onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                store = 'mongodb'
                push () { 'log' () {} }
                """).message()).contains("'mongodb' names no store").contains("[h2, memory, postgresql, sqlite]");
        ConfigException.Problem missingUri = onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                store = 'postgresql'
                push () { 'log' () {} }
                """);
        assertThat(missingUri.message()).contains("missing setting(s) [uri]");
        assertThat(missingUri.line()).isEqualTo(3);
    }

    @Test
    void dataSourceNeedsAJdbcUri() {
        assertThat(onlyProblem("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                dataSource () { default () { uri = 'postgres://db/push' } }
                push () { 'log' () {} }
                """).message()).contains("JDBC URL");
    }

    @Test
    void unreadableFileIsAProblemNamingTheFile() {
        Path missing = Path.of("/nonexistent/push.tdsl");
        assertThatThrownBy(() -> ComponentConfig.load(missing, REGISTRY)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("/nonexistent/push.tdsl").hasMessageContaining("cannot read");
    }
}
