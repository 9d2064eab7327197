package io.pushcomponent.component.config;

import io.pushcomponent.component.PushComponent;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.ProviderRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration shown in the module's README is a working configuration. */
class ReadmeExampleTest {
    @Test
    void readmeConfigurationParses() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("```\n", readme.indexOf("`push.tdsl`")) + 4;
        String example = readme.substring(start, readme.indexOf("```", start));
        ComponentConfig c = ComponentConfig.parse(Path.of("push.tdsl"), example, PushComponent.providerRegistry(PushComponent.class.getClassLoader()),
                Map.of("PUSH_COMPONENT_SECRET", "s")::get);
        assertThat(c.componentJid()).isEqualTo("push.example.com");
        assertThat(c.providers()).containsOnlyKeys("log");
    }
}
