package io.pushcomponent.component.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** When the Prosody integration test may skip and when it must fail. */
class ProsodyPrerequisiteTest {

    @Test
    void aMissingPrerequisiteFailsOnCiAndSaysHowToInstallIt() {
        Throwable t = catchThrowable(() ->
                ProsodyIntegrationTest.requirePrerequisite(false, "Prosody is not installed", "true"));

        assertThat(t).as("with CI=true a missing Prosody fails the test instead of skipping it")
                .isInstanceOf(AssertionError.class).isNotInstanceOf(TestAbortedException.class);
        assertThat(t.getMessage()).as("the failure says what is missing and how to get it")
                .contains("Prosody is not installed").contains(".ci/run").contains("prosody prosody-modules");
    }

    @Test
    void aMissingPrerequisiteSkipsOnADeveloperMachine() {
        assertThat(catchThrowable(() ->
                        ProsodyIntegrationTest.requirePrerequisite(false, "mod_cloud_notify is not installed", null)))
                .as("without CI the test is skipped (aborted), not failed").isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("mod_cloud_notify is not installed");
        assertThat(catchThrowable(() ->
                        ProsodyIntegrationTest.requirePrerequisite(false, "Prosody is not installed", "false")))
                .as("CI=false is a developer machine").isInstanceOf(TestAbortedException.class);
    }

    @Test
    void anInstalledPrerequisiteNeitherFailsNorSkips() {
        assertThatCode(() -> ProsodyIntegrationTest.requirePrerequisite(true, "Prosody is not installed", "true"))
                .as("present prerequisites let the test run").doesNotThrowAnyException();
    }
}
