package io.pushcomponent.tigase.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.user.PushEnablementService;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import io.pushcomponent.testkit.xmpp.InMemoryPushHost;
import io.pushcomponent.tigase.TigaseDialect;
import io.pushcomponent.tigase.config.TigaseProviderSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plays Stork (Tigase's Android client): {@code register-device} with the provider id {@code fcm-xmpp-api} and no
 * {@code action}, enable, and an offline message reaches FCM (faked by {@link FakeFcmServer}) with the account in
 * the data, as Stork reads it.
 */
class StorkEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PUSH = "push.example.com";
    private static final String JULIET = "juliet@example.com";
    private static final String PHONE = JULIET + "/stork";
    private static final String TOKEN = "fcm-registration-token:APA91bH-0123456789abcdefghij";

    @TempDir
    Path tempDir;

    private FakeFcmServer fcm;
    private PushProvider provider;
    private DeviceRegistrationStore devices;
    private PushAppServer appServer;
    private InMemoryPushHost host;

    @BeforeEach
    void start() throws Exception {
        fcm = FakeFcmServer.start();
        ProviderRegistry registry = ProviderRegistry.discover()
                .withAliases(new TigaseDialect().appServer().providerAliases());
        String fcmId = registry.canonicalId("fcm-xmpp-api").orElseThrow();
        // A Tigase 'fcm-xmpp-api' block, moved to a service account as FCM HTTP v1 requires.
        ProviderSettings block = ProviderSettings.of("fcm-xmpp-api", Map.of(
                "service-account-file", fcm.writeServiceAccountJson(tempDir).toString(),
                "base-url", fcm.baseUrl(), "pool-size", 2));
        provider = registry.factory(fcmId).create(TigaseProviderSettings.translate(block, fcmId));
        devices = Stores.inMemoryDeviceStore();
        appServer = PushAppServer.builder().jid(PUSH).store(devices)
                .providers(Map.of(fcmId, provider), registry.idsAndAliases())
                .dialect(new TigaseDialect())
                .build();
        host = new InMemoryPushHost("example.com");
        host.startPush(PushEnablementService.builder(host)
                .settings(PushSettings.defaults().toBuilder().includeSender(true).includeBody(true)
                        .variants(PushSettings.Variant.STANDARD, PushSettings.Variant.EXTENDED).build())
                .dialect(new TigaseDialect()));
        host.connectAppServer(PUSH, appServer::handle);
    }

    @AfterEach
    void stop() throws Exception {
        host.close();
        appServer.close();
        provider.close();
        devices.close();
        fcm.close();
    }

    @Test
    void storkRegistersWithFcmXmppApiAndGetsTheAccountInTheData() {
        // Stork sends the filled form without any action attribute.
        Command register = Command.request("register-device", null);
        register.form(DataForm.submit(null).field("provider", "fcm-xmpp-api").field("device-token", TOKEN));
        Iq registered = host.request(PHONE, Iq.set(PUSH, register), WAIT);
        assertThat(registered.type()).as("register-device with Stork's provider id succeeds").isEqualTo(Iq.RESULT);
        String node = registered.extension(Command.class).orElseThrow().form().orElseThrow().value("node")
                .orElseThrow();

        Iq enabled = host.request(PHONE, Iq.set(null, Enable.of(PUSH, node)), WAIT);
        assertThat(enabled.type()).isEqualTo(Iq.RESULT);
        host.logout(PHONE);

        host.deliver(new Message().from("romeo@example.net/orchard").to(JULIET).type("chat")
                .body("Wherefore art thou?"));

        FakeFcmServer.ReceivedMessage received = fcm.takeMessage(WAIT);
        assertThat(received.token()).isEqualTo(TOKEN);
        assertThat(received.data()).as("Stork finds the account in the data")
                .containsEntry("account", JULIET)
                .containsEntry("unread-messages", "1")
                .containsEntry("body", "Wherefore art thou?");
        assertThat(received.data().get("sender")).as("the server sends the full JID; Stork gets the bare JID")
                .isEqualTo("romeo@example.net");
        assertThat(received.androidPriority()).as("a message with a body is high priority").isEqualTo("high");
        host.awaitIdle(WAIT);
    }
}
