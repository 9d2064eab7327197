package io.pushcomponent.push2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.push2.Push2Dialect;
import io.pushcomponent.testkit.FakePushProvider;
import io.pushcomponent.testkit.xmpp.FakePush2UserServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Push 2.0 notifications follow the app server's publisher rules: a sender is required, {@code allowed-publishers}
 * limits who may send them, and with {@code require-secret} none may, since they carry no secret.
 */
class Push2PublisherRulesTest {
    private static final String PUSH = "push.example.com";
    private static final String NODE = "node-of-romeos-phone";

    private final FakePushProvider provider = new FakePushProvider();
    private final DeviceRegistrationStore store = Stores.inMemoryDeviceStore();
    private PushAppServer appServer;

    @AfterEach
    void close() {
        appServer.close();
        store.close();
        provider.close();
    }

    private PushAppServer start(PushAppServer.Builder builder) {
        store.register(new DeviceRegistration(NODE, Device.of("fcm-http-v1", "fcm-token-1"), "romeo@example.net",
                null, Instant.now()));
        return builder.jid(PUSH).store(store).provider("fcm-http-v1", provider).dialect(new Push2Dialect()).build();
    }

    private List<Stanza> send(String fromDomain) throws Exception {
        Message notification = new FakePush2UserServer("example.net").notifyOnly(PUSH, NODE, "normal");
        notification.from(fromDomain);
        return appServer.handle(notification).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static StanzaError error(List<Stanza> answers) {
        assertThat(answers).hasSize(1);
        Message reply = (Message) answers.get(0);
        assertThat(reply.type()).isEqualTo("error");
        return reply.error().orElseThrow();
    }

    @Test
    void onlyAllowedPublishersMaySendNotifications() throws Exception {
        appServer = start(PushAppServer.builder().allowedDomains(List.of("example.net")));

        StanzaError refused = error(send("evil.example"));
        List<Stanza> accepted = send("example.net");

        assertThat(refused.type()).isEqualTo(StanzaError.Type.AUTH);
        assertThat(refused.condition()).isEqualTo(StanzaError.Condition.FORBIDDEN);
        assertThat(accepted).as("delivered: no answer").isEmpty();
        assertThat(provider.takeRequest(Duration.ofSeconds(10)).device().token()).isEqualTo("fcm-token-1");
        assertThat(provider.requestCount()).as("the refused one never reached the provider").isEqualTo(1);
    }

    @Test
    void withRequireSecretNoNotificationIsAccepted() throws Exception {
        appServer = start(PushAppServer.builder().requireSecret(true));

        assertThat(error(send("example.net")).condition()).isEqualTo(StanzaError.Condition.FORBIDDEN);
        assertThat(provider.requestCount()).isZero();
    }

    @Test
    void aNotificationWithoutSenderIsABadRequest() throws Exception {
        appServer = start(PushAppServer.builder());

        assertThat(error(send(null)).condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST);
    }

    @Test
    void aNotificationWithTwoClientsOrTwoPrioritiesIsABadRequestAndNothingIsSent() throws Exception {
        appServer = start(PushAppServer.builder());
        String twoClients = "<client>" + NODE + "</client><client>node-of-another-phone</client>";
        String twoPriorities = "<client>" + NODE + "</client><priority>low</priority><priority>high</priority>";

        for (String inner : List.of(twoClients, twoPriorities)) {
            Stanza notification = StanzaCodec.create().read("<message from='example.net' to='" + PUSH + "' id='n1'>"
                    + "<notification xmlns='urn:xmpp:push2:0'>" + inner + "</notification></message>");
            StanzaError e = error(appServer.handle(notification).toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertThat(e.condition()).as("which client or priority is meant is not for the push service to guess")
                    .isEqualTo(StanzaError.Condition.BAD_REQUEST);
            assertThat(e.text().orElseThrow()).startsWith("more than one <");
        }
        assertThat(provider.requestCount()).isZero();
    }
}
