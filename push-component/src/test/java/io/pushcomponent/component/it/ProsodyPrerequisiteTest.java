package io.pushcomponent.component.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** When the Prosody integration test may skip and when it must fail. */
class ProsodyPrerequisiteTest {

    @Test
    void aMissingPrerequisiteFailsOnCiAndSaysHowToInstallIt() {
        Throwable t = catchThrowable(() ->
                ProsodyIntegrationTest.requirePrerequisite(false, "Prosody is not installed",
                        ProsodyProcess.installAdvice(false, ""), "true"));

        assertThat(t).as("with CI=true a missing Prosody fails the test instead of skipping it")
                .isInstanceOf(AssertionError.class).isNotInstanceOf(TestAbortedException.class);
        assertThat(t.getMessage()).as("the failure says what is missing and how to get it")
                .contains("Prosody is not installed").contains(".ci/run").contains("apt-get install prosody");
    }

    @Test
    void aMissingPrerequisiteSkipsOnADeveloperMachine() {
        assertThat(catchThrowable(() ->
                        ProsodyIntegrationTest.requirePrerequisite(false, "mod_cloud_notify is not installed", "advice",
                                null)))
                .as("without CI the test is skipped (aborted), not failed").isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("mod_cloud_notify is not installed");
        assertThat(catchThrowable(() ->
                        ProsodyIntegrationTest.requirePrerequisite(false, "Prosody is not installed", "advice",
                                "false")))
                .as("CI=false is a developer machine").isInstanceOf(TestAbortedException.class);
    }

    @Test
    void anInstalledPrerequisiteNeitherFailsNorSkips() {
        assertThatCode(() -> ProsodyIntegrationTest.requirePrerequisite(true, "Prosody is not installed", "advice",
                "true"))
                .as("present prerequisites let the test run").doesNotThrowAnyException();
    }

    @Test
    void prosody012IsToldToInstallProsodyModules() {
        assertThat(ProsodyProcess.installAdvice(true, "0.12.3")).contains("apt-get install prosody-modules");
    }

    @Test
    void prosody13IsNeverToldToInstallAPackageThatDoesNotHaveTheModule() {
        assertThat(ProsodyProcess.installAdvice(true, "13.0.1")).as("Prosody 13 ships mod_cloud_notify; Debian 13's"
                + " prosody-modules no longer has it").doesNotContain("prosody-modules")
                .contains("apt-get install --reinstall prosody");
    }

    @Test
    void cloudNotifyIsFoundWhereTheInstalledProsodyKeepsIt() {
        assumeTrue(ProsodyProcess.installed(), "Prosody is not installed");
        String version = ProsodyProcess.version().orElse("");
        ProsodyProcess.cloudNotify().ifPresent(module -> assertThat(module.toString()).as("Prosody " + version)
                .endsWith(ProsodyProcess.shipsCloudNotify(version) ? "modules/mod_cloud_notify.lua"
                        : "modules/mod_cloud_notify/mod_cloud_notify.lua"));
    }
}
