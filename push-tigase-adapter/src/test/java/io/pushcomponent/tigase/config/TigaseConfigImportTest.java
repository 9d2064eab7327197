package io.pushcomponent.tigase.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.tigase.TigaseDialect;
import io.pushcomponent.tigase.TigasePushFeature;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TigaseConfigImportTest {
    private static final Set<TigasePushFeature> ALL = EnumSet.allOf(TigasePushFeature.class);

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
    void theGuidesFcmBlockFailsWithTheFcmLegacyMessage() {
        // push () { 'fcm-xmpp-api' () { 'sender-id' = 'your-sender-id'; 'server-key' = 'your-server-key' } }
        ProviderRegistry registry = ProviderRegistry.discover()
                .withAliases(new TigaseDialect().appServer().providerAliases());
        String fcmId = registry.canonicalId("fcm-xmpp-api").orElseThrow();
        ProviderSettings block = ProviderSettings.of("fcm-xmpp-api", Map.of("sender-id", "your-sender-id",
                "server-key", "your-server-key"));

        assertThatThrownBy(() -> registry.factory(fcmId).create(TigaseProviderSettings.translate(block, fcmId)))
                .as("FCM's legacy keys fail at start-up, pointing at FCM HTTP v1 and a service account")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("legacy")
                .hasMessageContaining("service-account JSON for FCM HTTP v1")
                .message().doesNotContain("your-server-key");
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
                        new TigaseSessionManagerConfig(true, null, null, false, ALL)),
                Arguments.of("'with-body' = false; 'with-sender' = false",
                        Map.of("with-body", false, "with-sender", false),
                        new TigaseSessionManagerConfig(true, false, false, false, ALL)),
                Arguments.of("'with-body' = true; 'with-sender' = true; 'away' () {}",
                        Map.of("with-body", true, "with-sender", true, "away", Map.of()),
                        new TigaseSessionManagerConfig(true, true, true, true, ALL)),
                Arguments.of("'away' (active: false) {}", Map.of("away", Map.of("active", false)),
                        new TigaseSessionManagerConfig(true, null, null, false, ALL)),
                Arguments.of("'encrypted' (active: false) {}; 'muted-filter' (active: false) {}; 'jingle' () {}",
                        Map.of("encrypted", Map.of("active", false), "muted-filter", Map.of("active", false),
                                "jingle", Map.of()),
                        new TigaseSessionManagerConfig(true, null, null, false, EnumSet.complementOf(
                                EnumSet.of(TigasePushFeature.ENCRYPT, TigasePushFeature.MUTED)))),
                Arguments.of("'urn:xmpp:push:0' (active: false) {}", Map.of("active", false),
                        new TigaseSessionManagerConfig(false, null, null, false, ALL)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sessionManagerBlocks")
    void readsTheSessionManagerBlockOfTigasesGuide(String block, Map<String, Object> bean,
                                                   TigaseSessionManagerConfig expected) {
        assertThat(TigaseSessionManagerConfig.from(bean)).as(block).isEqualTo(expected);
    }

    @Test
    void theSessionManagerBlockConfiguresTheUsersServerSide() {
        TigaseSessionManagerConfig config = TigaseSessionManagerConfig.from(Map.of("with-body", true, "away", Map.of(),
                "groupchat-filter", Map.of("active", false)));

        PushSettings settings = config.applyTo(PushSettings.defaults());
        assertThat(settings.includeBody()).as("with-body = true forwards bodies").isTrue();
        assertThat(settings.includeSender()).as("with-sender left out keeps our privacy default").isFalse();
        assertThat(settings.awayMode()).as("'away' () {} turns the away mode on").isTrue();
        assertThat(settings.extended()).as("Tigase's extensions take part").isTrue();
        assertThat(config.dialect().userServer()).flatExtracting(e -> e.discoFeatures(settings))
                .as("a bean switched off is not advertised; the away mode advertises its feature")
                .contains("tigase:push:encrypt:0", "tigase:push:away:0")
                .doesNotContain("tigase:push:filter:groupchat:0");
        assertThatThrownBy(() -> TigaseSessionManagerConfig.from(Map.of("active", false))
                .applyTo(PushSettings.defaults())).as("push switched off starts no service")
                .isInstanceOf(IllegalStateException.class);
    }

    static Stream<Arguments> badSessionManagerBlocks() {
        return Stream.of(
                Arguments.of(Map.of("with-bdy", true), "'with-bdy' } } is not supported"),
                Arguments.of(Map.of("with-body", "yes"), "'with-body' must be true or false"),
                Arguments.of(Map.of("away", true), "'away' is a bean"),
                Arguments.of(Map.of("jingle", Map.of("always", true)), "'jingle' { 'always' } is not supported"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badSessionManagerBlocks")
    void refusesWhatItDoesNotUnderstand(Map<String, Object> bean, String message) {
        assertThatThrownBy(() -> TigaseSessionManagerConfig.from(bean))
                .as("a misspelt or mistyped key is an error, never silently ignored")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
