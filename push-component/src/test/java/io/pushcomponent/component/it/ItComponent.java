package io.pushcomponent.component.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.PushComponent;
import io.pushcomponent.component.config.ComponentConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The component as the integration tests run it next to a real server: {@value #PUSH_JID} with the fake provider
 * of a test's own name, its store in {@code data} beside the configuration, connected to the server's component
 * port on loopback.
 */
final class ItComponent {
    /** The component's JID on the test servers. */
    static final String PUSH_JID = "push.localhost";
    /** Its secret there. */
    static final String COMPONENT_SECRET = "it-component-secret";
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(30);

    private ItComponent() {
    }

    /**
     * Writes {@code push.tdsl} into {@code dir}, starts the component and returns once it has authenticated.
     *
     * @param serverLog     the server's log, named when the component cannot authenticate
     * @param extraLines    further configuration lines, written first
     */
    static PushComponent start(Path dir, int componentPort, String providerName, Path serverLog,
                               String... extraLines) throws Exception {
        Path config = dir.resolve("push.tdsl");
        Files.writeString(config, String.join("\n", List.of(
                String.join("\n", extraLines),
                "'component-jid' = '" + PUSH_JID + "'",
                "'remote-host' = '127.0.0.1'",
                "'remote-port' = " + componentPort,
                "'secret' = '" + COMPONENT_SECRET + "'",
                "'data-dir' = 'data'",
                "push () {",
                "    'fake' () { name = '" + providerName + "' }",
                "}",
                "")), StandardCharsets.UTF_8);
        ProviderRegistry registry = PushComponent.providerRegistry(PushComponent.class.getClassLoader());
        PushComponent started = PushComponent.start(ComponentConfig.load(config, registry), registry);
        assertThat(started.awaitConnected(CONNECT_WAIT)).as("the component authenticates with the server (XEP-0114); "
                + "see " + serverLog).isTrue();
        return started;
    }
}
