package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path config(String text) throws IOException {
        return Files.writeString(dir.resolve("push.tdsl"), text, StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void checkConfigAcceptsAUsableFile() throws IOException {
        Path file = config("""
                'component-jid' = 'push.localhost'
                'secret' = 'not-printed-anywhere'
                push () { 'log' () { } }
                """);
        assertThat(run("--config", file.toString(), "--check-config")).isEqualTo(Main.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("OK").contains("push.localhost")
                .doesNotContain("not-printed-anywhere");
    }

    @Test
    void checkConfigReportsAMissingSecretWithFileAndLine() throws IOException {
        Path file = config("""
                'component-jid' = 'push.localhost'
                push () { 'log' () { } }
                """);
        assertThat(run("--check-config", "--config", file.toString())).as("a bad configuration exits non-zero")
                .isEqualTo(Main.USAGE);
        assertThat(err()).contains(file + ":1: 'secret' is required");
    }

    @Test
    void checkConfigReportsAnUnknownProviderIdWithFileAndLine() throws IOException {
        Path file = config("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                push () {
                    'apnz' () { }
                }
                """);
        assertThat(run("--check-config", "--config", file.toString())).isEqualTo(Main.USAGE);
        assertThat(err()).contains(file + ":4: no push provider 'apnz' is available");
    }

    @Test
    void checkConfigReportsAnUnknownKeyWithFileAndLine() throws IOException {
        Path file = config("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                'conections' = 2
                push () { 'log' () { } }
                """);
        assertThat(run("--check-config", "--config", file.toString())).isEqualTo(Main.USAGE);
        assertThat(err()).contains(file + ":3: unknown key 'conections'");
    }

    @Test
    void checkConfigReportsASyntaxErrorWithFileAndLine() throws IOException {
        Path file = config("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                push () {
                    'log' () { = }
                }
                """);
        assertThat(run("--check-config", "--config", file.toString())).isEqualTo(Main.USAGE);
        assertThat(err()).contains(file + ":4: expected a key or a bean name but found '='");
    }

    @Test
    void checkConfigCreatesAndClosesTheProviders() throws IOException {
        Path file = config("""
                'component-jid' = 'push.localhost'
                'secret' = 'x'
                push () {
                    'log' () { }
                    'fake' () { name = 'check-config' }
                }
                """);
        assertThat(run("--check-config", "--config", file.toString())).as("providers are created and closed again")
                .isEqualTo(Main.OK);
    }

    @Test
    void versionHelpAndBadUsage() {
        assertThat(run("--version")).isEqualTo(Main.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("push-component ");
        assertThat(run("--help")).isEqualTo(Main.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--check-config");
        assertThat(run()).as("--config is required").isEqualTo(Main.USAGE);
        assertThat(run("--confg", "x")).as("an unknown option").isEqualTo(Main.USAGE);
        assertThat(err()).contains("unknown option '--confg'");
    }
}
