package io.pushcomponent.provider.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.testkit.CapturedStanza;
import io.pushcomponent.testkit.fcm.FakeFcmServer.Reply;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole app-server path with the real FCM provider: Stork registers with {@code fcm-xmpp-api}, Prosody
 * publishes (the stanza captured from Prosody), FCM answers.
 */
class FcmPublishPathTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Prosody 0.12.3 + mod_cloud_notify, account offline, as captured; node and secret replaced per test. */
    private static final String PROSODY_PUBLISH = CapturedStanza.PROSODY_OFFLINE.xml();

    @TempDir
    Path tempDir;

    private FakeFcmServer fcm;
    private PushProvider provider;
    private DeviceRegistrationStore store;
    private PushAppServer push;

    @BeforeEach
    void start() throws Exception {
        fcm = FakeFcmServer.start();
        provider = ProviderRegistry.discover().factory("fcm-xmpp-api").create(ProviderSettings.of("fcm-http-v1",
                Map.of("service-account-file", fcm.writeServiceAccountJson(tempDir).toString(),
                        "base-url", fcm.baseUrl())));
        store = Stores.inMemoryDeviceStore();
        push = PushAppServer.builder().jid("push.localhost").store(store)
                .provider("fcm-http-v1", provider, "fcm-xmpp-api").build();
    }

    @AfterEach
    void stop() throws Exception {
        push.close();
        provider.close();
        store.close();
        fcm.close();
    }

    private List<String> handle(String xml) throws Exception {
        return push.handleXml(xml).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Stork's one-step registration: no {@code action}, the filled form inside. Returns node and secret. */
    private Registered registerAsStork(String token) throws Exception {
        List<String> replies = handle("<iq type='set' id='reg1' from='romeo@localhost/stork' to='push.localhost'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device'>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='provider'><value>fcm-xmpp-api</value></field>"
                + "<field var='device-token'><value>" + token + "</value></field></x></command></iq>");
        assertThat(replies).singleElement().asString().contains("type='result'");
        return new Registered(field(replies.get(0), "node"), field(replies.get(0), "secret"));
    }

    private static String field(String form, String var) {
        Matcher m = Pattern.compile("<field var='" + var + "'[^>]*><value>([^<]+)</value>").matcher(form);
        assertThat(m.find()).as("the result form carries '%s': %s", var, form).isTrue();
        return m.group(1);
    }

    private record Registered(String node, String secret) {
    }

    /** The captured publish, sent to the registered node with the secret the registration issued. */
    private static String publish(Registered r) {
        return PROSODY_PUBLISH.replace("harness-node-1", r.node()).replace("harness-secret-1", r.secret());
    }

    @Test
    void aProsodyPublishReachesFcmWithTheAccountStorkReads() throws Exception {
        Registered node = registerAsStork(FcmPushProviderTest.DEVICE_TOKEN);

        List<String> replies = handle(publish(node));

        assertThat(replies).singleElement().asString().as("the publish is acknowledged").contains("type='result'");
        FakeFcmServer.ReceivedMessage m = fcm.takeMessage(WAIT);
        assertThat(m.token()).isEqualTo(FcmPushProviderTest.DEVICE_TOKEN);
        assertThat(m.data()).as("Stork finds the account the push is about")
                .containsEntry("account", "romeo@localhost").containsEntry("body", "New Message!");
        assertThat(m.androidPriority()).isEqualTo("high");
    }

    @Test
    void unregisteredAtFcmRemovesTheRegistrationAndAnswersItemNotFound() throws Exception {
        Registered node = registerAsStork(FcmPushProviderTest.DEVICE_TOKEN);
        fcm.enqueue(Reply.unregistered());

        List<String> replies = handle(publish(node));

        assertThat(replies.get(0)).as("a dead token is cancel/item-not-found, which makes Prosody disable push")
                .contains("type='error'").contains("type='cancel'").contains("<item-not-found");
        assertThat(store.findByNode(node.node())).as("the registration is removed").isEmpty();
        assertThat(replies).as("the owner is told with the XEP-0357 remote-disabling message")
                .anySatisfy(s -> assertThat(s).startsWith("<message").contains("to='romeo@localhost'")
                        .contains("affiliation='none'"));
        assertThat(String.join("\n", replies)).as("no stanza carries the device token")
                .doesNotContain(FcmPushProviderTest.DEVICE_TOKEN);
    }

    @Test
    void aTransientFcmFailureKeepsTheRegistrationWithAWaitError() throws Exception {
        Registered node = registerAsStork(FcmPushProviderTest.DEVICE_TOKEN);
        fcm.defaultReply(Reply.unavailable(Duration.ofSeconds(120)));

        List<String> replies = handle(publish(node));

        assertThat(replies.get(0)).as("FCM overloaded: a wait error, which never disables a device")
                .contains("type='error'").contains("type='wait'");
        assertThat(store.findByNode(node.node())).isPresent();
    }
}
