package io.pushcomponent.component;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the component as an operator would: from a configuration file, here one pointing at a fake server. */
final class ConfiguredComponent {
    private ConfiguredComponent() {
    }

    /**
     * Writes {@code push.tdsl} into {@code dir} with the component JID, {@code server}'s address and the secret,
     * followed by {@code lines} (providers and any other keys), and starts the component from it.
     */
    static PushComponent start(Path dir, FakeXmppServer server, String jid, String secret, String... lines)
            throws Exception {
        List<String> config = new ArrayList<>(List.of(
                "'component-jid' = '" + jid + "'",
                "'remote-host' = '" + server.host() + "'",
                "'remote-port' = " + server.port(),
                "'secret' = '" + secret + "'"));
        config.addAll(List.of(lines));
        config.add("");
        Path file = Files.writeString(dir.resolve("push.tdsl"), String.join("\n", config), StandardCharsets.UTF_8);
        ProviderRegistry registry = ProviderRegistry.discover();
        return PushComponent.start(ComponentConfig.load(file, registry), registry);
    }
}
