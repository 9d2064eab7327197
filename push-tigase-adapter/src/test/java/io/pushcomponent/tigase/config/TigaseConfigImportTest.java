package io.pushcomponent.tigase.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.ProviderSettings;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TigaseConfigImportTest {

    @Test
    void apnsTopicOfTigasesGuideBecomesTopic() {
        // push () { 'apns-binary-api' () { 'cert-file' = '/etc/apns-cert.p12'; 'cert-password' = 'Pa$$w0rd';
        //                                   'apns-topic' = 'com.bundle.id' } }
        ProviderSettings tigase = ProviderSettings.of("apns-binary-api", Map.of("cert-file", "/etc/apns-cert.p12",
                "cert-password", "Pa$$w0rd", "apns-topic", "com.bundle.id", "pool-size", 5));

        ProviderSettings ours = TigaseProviderSettings.translate(tigase, "apns");

        assertThat(ours.values()).as("Tigase's apns-topic is our topic; the other keys are the same")
                .containsExactlyInAnyOrderEntriesOf(Map.of("cert-file", "/etc/apns-cert.p12",
                        "cert-password", "Pa$$w0rd", "topic", "com.bundle.id", "pool-size", 5));
        assertThat(ours.providerId()).isEqualTo("apns-binary-api");
    }

    @Test
    void fcmBlocksPassUnchangedSoTheFcmProviderJudgesThem() {
        ProviderSettings tigase = ProviderSettings.of("fcm-xmpp-api", Map.of("sender-id", "your-sender-id",
                "server-key", "your-server-key", "pool-size", 5));

        assertThat(TigaseProviderSettings.translate(tigase, "fcm-http-v1"))
                .as("legacy FCM keys reach the FCM provider, which refuses them with its FCM-legacy message")
                .isSameAs(tigase);
    }

    @Test
    void bothNamesOfTheTopicAreAnError() {
        ProviderSettings both = ProviderSettings.of("apns-binary-api", Map.of("apns-topic", "a", "topic", "b"));

        assertThatThrownBy(() -> TigaseProviderSettings.translate(both, "apns"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sets both 'apns-topic'");
    }

    static Stream<Arguments> sessionManagerBlocks() {
        return Stream.of(
                Arguments.of("'urn:xmpp:push:0' () {}", Map.of(),
                        new TigaseSessionManagerConfig(true, null, null, false)),
                Arguments.of("'with-body' = false; 'with-sender' = false",
                        Map.of("with-body", false, "with-sender", false),
                        new TigaseSessionManagerConfig(true, false, false, false)),
                Arguments.of("'with-body' = true; 'with-sender' = true; 'away' () {}",
                        Map.of("with-body", true, "with-sender", true, "away", Map.of()),
                        new TigaseSessionManagerConfig(true, true, true, true)),
                Arguments.of("'away' (active: false) {}", Map.of("away", Map.of("active", false)),
                        new TigaseSessionManagerConfig(true, null, null, false)),
                Arguments.of("'urn:xmpp:push:0' (active: false) {}", Map.of("active", false),
                        new TigaseSessionManagerConfig(false, null, null, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sessionManagerBlocks")
    void readsTheSessionManagerBlockOfTigasesGuide(String block, Map<String, Object> bean,
                                                   TigaseSessionManagerConfig expected) {
        assertThat(TigaseSessionManagerConfig.from(bean)).as(block).isEqualTo(expected);
    }

    static Stream<Arguments> badSessionManagerBlocks() {
        return Stream.of(
                Arguments.of(Map.of("with-bdy", true), "'with-bdy' } } is not supported"),
                Arguments.of(Map.of("with-body", "yes"), "'with-body' must be true or false"),
                Arguments.of(Map.of("away", true), "'away' is a bean"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badSessionManagerBlocks")
    void refusesWhatItDoesNotUnderstand(Map<String, Object> bean, String message) {
        assertThatThrownBy(() -> TigaseSessionManagerConfig.from(bean))
                .as("a misspelt or mistyped key is an error, never silently ignored")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
