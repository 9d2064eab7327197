package io.pushcomponent.testkit.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.Summary;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.testkit.CapturedStanza;
import io.pushcomponent.testkit.FakePushProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The publishes our user's-server side produces go through the same app-server parser as the publishes captured
 * from Prosody and ejabberd (captured, in the test resources), and come out field for field as expected; with Prosody's
 * settings ours reads exactly as Prosody's.
 */
class PublishParityTest {
    static final String NODE = "harness-node-1";
    static final String SECRET = "harness-secret-1";
    static final String JULIET = "juliet@localhost";
    static final Duration WAIT = Duration.ofSeconds(10);
    static final StanzaCodec CODEC = StanzaCodec.create();

    final FakePushProvider provider = new FakePushProvider();
    final DeviceRegistrationStore devices = Stores.inMemoryDeviceStore();
    final PushAppServer appServer = PushAppServer.builder().jid("push.localhost").store(devices)
            .provider("fake", provider).build();

    @BeforeEach
    void registerTheDevice() {
        devices.register(new DeviceRegistration(NODE, Device.of("fake", "token-0123456789abcdef"), JULIET, SECRET,
                Instant.parse("2026-11-24T19:00:00Z")));
    }

    /**
     * Hands a publish to the app server as the XML a component connection carries, expects a result, and returns the
     * summary the provider received.
     */
    Summary publish(String xml) throws Exception {
        List<String> answers = appServer.handleXml(xml).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(answers).as("the app server answers the publish once").hasSize(1);
        assertThat(CODEC.read(answers.get(0)).type()).as("the app server accepts the publish").isEqualTo(Iq.RESULT);
        return provider.takeRequest(WAIT).summary();
    }

    @AfterEach
    void close() {
        appServer.close();
        devices.close();
    }

    static Stream<Arguments> captured() {
        return Stream.of(
                Arguments.of(CapturedStanza.PROSODY_OFFLINE, new Summary(1, null, "New Message!", null, null)),
                Arguments.of(CapturedStanza.PROSODY_HIBERNATED, new Summary(1, null, "New Message!", null, null)),
                Arguments.of(CapturedStanza.EJABBERD_OFFLINE, new Summary(null, null, "New message", null, null)));
    }

    @ParameterizedTest(name = "captured {0}")
    @MethodSource("captured")
    void capturedPublishes(CapturedStanza sample, Summary expected) throws Exception {
        assertThat(publish(sample.xml().trim())).as("the parser reads %s", sample)
                .isEqualTo(expected);
    }

    static Stream<Arguments> ours() {
        PushSettings defaults = PushSettings.defaults();
        return Stream.of(
                Arguments.of("privacy defaults: count only", defaults, -1, new Summary(1, null, null, null, null)),
                Arguments.of("Prosody's settings read exactly as Prosody's capture",
                        defaults.toBuilder().placeholderBody("New Message!").build(), -1,
                        new Summary(1, null, "New Message!", null, null)),
                Arguments.of("body, sender and pending subscriptions on",
                        defaults.toBuilder().includeBody(true).includeSender(true).build(), 2,
                        new Summary(1, "romeo@montague.lit/orchard", "Wherefore art thou?", 2, null)));
    }

    @ParameterizedTest(name = "ours: {0}")
    @MethodSource("ours")
    void ourPublishes(String rule, PushSettings settings, int pendingSubscriptions, Summary expected)
            throws Exception {
        try (InMemoryPushHost host = new InMemoryPushHost("localhost")) {
            host.startPush(settings);
            if (pendingSubscriptions >= 0) {
                host.pendingSubscriptions(JULIET, pendingSubscriptions);
            }
            host.clientSends(JULIET + "/phone", Iq.set(null, Enable.of("push.localhost", NODE).publishOptions(
                    DataForm.submit(Namespaces.PUBSUB_PUBLISH_OPTIONS).field("secret", SECRET))));
            host.deliver(new Message().from("romeo@montague.lit/orchard").to(JULIET).type("chat")
                    .body("Wherefore art thou?"));
            String publish = CODEC.write(host.publishes().get(0));

            assertThat(publish(publish)).as(rule).isEqualTo(expected);
        }
    }
}
