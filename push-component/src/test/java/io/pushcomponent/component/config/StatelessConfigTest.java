package io.pushcomponent.component.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.internal.LogPushProviderFactory;
import io.pushcomponent.monal.StatelessSettings;
import io.pushcomponent.monal.StatelessSettings.PushModule;
import io.pushcomponent.testkit.FakePushProviderFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The 'stateless' bean: Monal's stateless mode is off without it and configured exactly as written with it. */
class StatelessConfigTest {
    private static final ProviderRegistry REGISTRY = ProviderRegistry.of(List.of(new LogPushProviderFactory(),
            new FakePushProviderFactory()));
    private static final String BASE = """
            'component-jid' = 'push.example.com'
            secret = 's'
            'allowed-publishers' = [ 'example.com' ]
            push () { 'log' () { } }
            """;

    private static ComponentConfig parse(String text) throws ConfigException {
        return ComponentConfig.parse(Path.of("/etc/push/push.tdsl"), BASE + text, REGISTRY, k -> null);
    }

    private static String onlyProblem(String text) {
        ConfigException e = catchThrowableOfType(() -> parse(text), ConfigException.class);
        assertThat(e).as("the configuration must be refused").isNotNull();
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0).toString();
    }

    @Test
    void offUnlessTheBeanIsThere() throws ConfigException {
        assertThat(parse("").stateless()).isNull();
        assertThat(parse("stateless (active: false) { 'm' () { provider = 'log' } }").stateless()).isNull();
    }

    @Test
    void readsModulesDefaultLimitsAndTheAllowedPublishers() throws ConfigException {
        StatelessSettings s = parse("""
                stateless () {
                    'rate-limit' = 'PT0S'
                    'dead-token-block' = 'PT1H'
                    'monalProdiOS' () {
                        provider = 'log'
                        app = 'im.monal.monal'
                        default = true
                    }
                    'monalProdiOS-sandbox' () {
                        provider = 'log'
                        sandbox = true
                    }
                }
                """).stateless();

        assertThat(s.modules()).containsExactly(
                Map.entry("monalProdiOS", new PushModule("log", "im.monal.monal", false)),
                Map.entry("monalProdiOS-sandbox", new PushModule("log", null, true)));
        assertThat(s.defaultModule()).isEqualTo("monalProdiOS");
        assertThat(s.rateLimit()).as("PT0S turns the rate limit off").isZero();
        assertThat(s.deadTokenBlock()).isEqualTo(Duration.ofHours(1));
        assertThat(s.allowedPublishers()).isEqualTo(Set.of("example.com"));
    }

    @Test
    void fpushsDefaultsApply() throws ConfigException {
        StatelessSettings s = parse("stateless () { 'm' () { provider = 'log' } }").stateless();

        assertThat(s.rateLimit()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.deadTokenBlock()).isEqualTo(Duration.ofHours(24));
        assertThat(s.defaultModule()).isNull();
    }

    @Test
    void aModuleMustNameAConfiguredProvider() {
        assertThat(onlyProblem("stateless () { 'm' () { provider = 'fake' } }"))
                .contains("provider 'fake' is not configured");
        assertThat(onlyProblem("stateless () { 'm' () { app = 'x' } }")).contains("needs a 'provider'");
    }

    @Test
    void mistakesAreNamed() {
        assertThat(onlyProblem("stateless () { 'm' () { provider = 'log'\n topic = 'x' } }"))
                .contains("unknown key 'topic'");
        assertThat(onlyProblem("stateless () { 'rate' = 'PT1S'\n 'm' () { provider = 'log' } }"))
                .contains("unknown key 'rate'");
        assertThat(onlyProblem("stateless () { }")).contains("at least one push module");
        assertThat(onlyProblem("stateless () { 'a' () { provider = 'log'\n default = true }\n"
                + " 'b' () { provider = 'log'\n default = true } }")).contains("both the default");
        assertThat(onlyProblem("stateless () { 'rate-limit' = 'soon'\n 'm' () { provider = 'log' } }"))
                .contains("'rate-limit' must be an ISO-8601 duration");
    }
}
