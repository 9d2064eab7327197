package io.pushcomponent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.store.DeviceRegistration;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValuesTest {
    private static final String TOKEN = "f3b7c9d1e2a4b6c8d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3";

    @Test
    void toStringNeverShowsFullTokensSecretsOrBodies() {
        Device device = new Device("apns", TOKEN, "voip-" + TOKEN, "com.example", false);
        DeviceRegistration reg = new DeviceRegistration("node-1", device, "juliet@example.com", "s3cr3t-value",
                Instant.EPOCH);
        Summary summary = new Summary(1, "romeo@example.net", "Wherefore art thou?", null, null);
        ProviderSettings settings = ProviderSettings.of("fcm-http-v1", Map.of("service-account", "{\"private_key\":\"k\"}"));

        String all = reg + " " + summary + " " + settings;

        assertThat(all).doesNotContain(TOKEN).doesNotContain("s3cr3t-value").doesNotContain("Wherefore")
                .doesNotContain("private_key").contains("f3b7c9…(64)").contains("keys=[service-account]");
    }

    @Test
    void blankDeviceTokenIsRejected() {
        assertThatThrownBy(() -> Device.of("fcm-http-v1", " ")).hasMessage("device token must not be blank");
    }

    @Test
    void summaryTreatsEmptyFieldsAsAbsent() {
        // Prosody sends <field var='last-message-sender'/> with no value.
        Summary s = new Summary(1, "", "", null, "");
        assertThat(s.lastMessageSender()).isNull();
        assertThat(s.lastMessageBody()).isNull();
        assertThat(Summary.EMPTY.isEmpty()).isTrue();
        assertThat(s.isEmpty()).isFalse();
    }

    @Test
    void messagePushIsHighPriorityOnlyWithSomethingToShow() {
        Device d = Device.of("fake", TOKEN);
        assertThat(PushRequest.message(d, "a@b", new Summary(1, null, null, null, null)).priority())
                .isEqualTo(PushPriority.HIGH);
        PushRequest wake = PushRequest.message(d, "a@b", Summary.EMPTY);
        assertThat(wake.kind()).isEqualTo(PushKind.BACKGROUND);
        assertThat(wake.priority()).isEqualTo(PushPriority.NORMAL);
        PushRequest clear = PushRequest.message(d, "a@b", new Summary(0, null, null, null, null));
        assertThat(clear.kind()).as("message-count 0 clears the badge in the background").isEqualTo(PushKind.BACKGROUND);
    }

    @Test
    void onlyTokenReasonsInvalidateTheDevice() {
        for (RejectionReason r : RejectionReason.values()) {
            boolean expected = r == RejectionReason.INVALID_TOKEN || r == RejectionReason.TOPIC_MISMATCH;
            assertThat(r.invalidatesDevice()).as(r.name()).isEqualTo(expected);
            if (r.invalidatesDevice()) {
                assertThat(r.isPermanent()).as("a dead device is a permanent rejection").isTrue();
            }
        }
        assertThat(RejectionReason.QUOTA_EXCEEDED.isPermanent()).isFalse();
        assertThat(RejectionReason.UNAVAILABLE.isPermanent()).isFalse();
    }

    @Test
    void settingsAreTypedAndUnknownKeysAreNamed() {
        ProviderSettings s = new ProviderSettings("apns", Map.of("pool-size", "4", "sandbox", true,
                "cert-file", "certs/a.p12", "timeout", "PT5S", "topics", List.of("a", "b")), Path.of("/etc/push"));

        assertThat(s.integer("pool-size", 1)).isEqualTo(4);
        assertThat(s.bool("sandbox", false)).isTrue();
        assertThat(s.path("cert-file")).contains(Path.of("/etc/push/certs/a.p12"));
        assertThat(s.duration("timeout", Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.list("topics")).containsExactly("a", "b");
        assertThatThrownBy(() -> s.requireKnownKeys(Set.of("pool-size")))
                .hasMessageStartingWith("provider 'apns': unknown setting '");
        assertThatThrownBy(() -> s.requireString("team-id"))
                .hasMessage("provider 'apns': setting 'team-id' is required");
        assertThatThrownBy(() -> ProviderSettings.of("x", Map.of("n", "four")).integer("n", 0))
                .hasMessage("provider 'x': setting 'n' must be a whole number, was 'four'");
    }
}
