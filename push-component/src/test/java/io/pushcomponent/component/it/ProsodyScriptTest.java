package io.pushcomponent.component.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .ci/prosody.sh}, which {@code .ci/run} and {@code ./try-it.sh} use, on the layouts Debian's packages give
 * (from their file lists): Prosody 0.12 finds {@code mod_cloud_notify} in {@code prosody-modules}
 * ({@code modules/mod_cloud_notify/mod_cloud_notify.lua}), Prosody 13 ships it itself
 * ({@code modules/mod_cloud_notify.lua}) and Debian 13's {@code prosody-modules} no longer has it, so nobody with
 * Prosody 13 is asked to install that package.
 */
class ProsodyScriptTest {
    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve(".ci/prosody.sh");

    @TempDir
    Path dir;

    private record Answer(String missing, String advice) {
    }

    /** Runs the script's functions for a Prosody of {@code version} (null: none installed) with {@code module}. */
    private Answer ask(String version, String module) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib/prosody/modules")).getParent();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("cat", "cut")) {
            Path found = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(bin.resolve(tool), Files.exists(found) ? found : Path.of("/bin", tool));
        }
        if (version != null) {
            Files.writeString(lib.resolve("prosody.version"), version + "\n");
            Path prosody = Files.writeString(bin.resolve("prosody"), "#!/bin/sh\n");
            Files.setPosixFilePermissions(prosody, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        if (module != null) {
            Path file = lib.resolve("modules").resolve(module);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "-- mod_cloud_notify\n");
        }
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", "-c",
                ". '" + SCRIPT + "'; prosody_missing_packages; echo '--'; prosody_advice").redirectErrorStream(true);
        builder.environment().put("PATH", bin.toString());
        builder.environment().put("PROSODY_LIB", lib.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        String[] parts = out.split("--\n", 2);
        return new Answer(parts[0].strip(), parts.length > 1 ? parts[1].strip() : "");
    }

    @Test
    void withoutProsodyItInstallsProsodyFirst() throws Exception {
        Answer answer = ask(null, null);
        assertThat(answer.missing()).isEqualTo("prosody");
        assertThat(answer.advice()).contains("apt-get install prosody");
    }

    @Test
    void prosody012WithoutTheCommunityModulesNeedsProsodyModules() throws Exception {
        Answer answer = ask("0.12.3", null);
        assertThat(answer.missing()).isEqualTo("prosody-modules");
        assertThat(answer.advice()).contains("apt-get install prosody-modules");
    }

    @Test
    void prosody012WithProsodyModulesHasAll() throws Exception {
        assertThat(ask("0.12.3", "mod_cloud_notify/mod_cloud_notify.lua").missing()).isEmpty();
    }

    @Test
    void prosody13HasTheModuleItself() throws Exception {
        assertThat(ask("13.0.1", "mod_cloud_notify.lua").missing()).isEmpty();
    }

    @Test
    void prosody13IsNeverToldToInstallProsodyModules() throws Exception {
        Answer answer = ask("13.0.1", null);
        assertThat(answer.missing()).as("prosody-modules would not help Prosody 13").isEmpty();
        assertThat(answer.advice()).doesNotContain("prosody-modules").contains("--reinstall prosody");
    }

    @Test
    void theShellScriptsSourceIt() throws IOException {
        Path root = SCRIPT.getParent().getParent();
        for (Path script : List.of(root.resolve("try-it.sh"), root.resolve(".ci/run"))) {
            assertThat(Files.readString(script)).as(script.toString()).contains(". .ci/prosody.sh")
                    .doesNotContain("mod_cloud_notify/mod_cloud_notify.lua ]");
        }
    }
}
