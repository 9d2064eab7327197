package io.pushcomponent.testkit.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.Summary;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.testkit.FakePushProvider.Outcome;
import io.pushcomponent.testkit.FakePushProvider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The user's-server side and the app server together, in process: register a device, enable push, an offline
 * message reaches the provider; the provider says the token is dead, the app server disables the node and the
 * user's server stops publishing.
 */
class UserSideEndToEndTest {
    static final String JULIET = "juliet@capulet.lit";
    static final String BALCONY = JULIET + "/balcony";
    static final String PUSH = "push.example.net";
    static final String TOKEN = "f3b7c9d1e2a4b6c8d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3";
    static final Duration WAIT = Duration.ofSeconds(10);

    final FakePushProvider provider = new FakePushProvider();
    final DeviceRegistrationStore devices = Stores.inMemoryDeviceStore();
    final PushAppServer appServer = PushAppServer.builder().jid(PUSH).store(devices).provider("fake", provider)
            .build();
    final InMemoryPushHost host = new InMemoryPushHost("capulet.lit");
    final List<Stanza> fromAppServer = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        host.close();
        appServer.close();
        devices.close();
    }

    static Message fromRomeo(String body) {
        return new Message().from("romeo@montague.lit/orchard").to(JULIET).type("chat").body(body);
    }

    @Test
    void registerEnablePushAndRemoteDisable() {
        host.startPush(PushSettings.defaults().toBuilder().includeSender(true).build());
        host.connectAppServer(PUSH, stanza -> appServer.handle(stanza).thenApply(out -> {
            fromAppServer.addAll(out);
            return out;
        }));

        // The client registers its device at the app server (one step, as Siskin does) ...
        Command register = Command.request("register-device", Command.EXECUTE);
        register.form(DataForm.submit(null).field("provider", "fake").field("device-token", TOKEN));
        Iq registered = host.request(BALCONY, Iq.set(PUSH, register), WAIT);
        assertThat(registered.type()).as("register-device succeeds").isEqualTo(Iq.RESULT);
        DataForm result = registered.extension(Command.class).orElseThrow().form().orElseThrow();
        String node = result.value("node").orElseThrow();
        String secret = result.value("secret").orElseThrow();

        // ... and enables push on its own server with the node and secret it got.
        Iq enabled = host.request(BALCONY, Iq.set(null, Enable.of(PUSH, node).publishOptions(
                DataForm.submit(Namespaces.PUBSUB_PUBLISH_OPTIONS).field("secret", secret))), WAIT);
        assertThat(enabled.type()).as("enable succeeds").isEqualTo(Iq.RESULT);

        // Juliet is offline: Romeo's message reaches the provider with the summary.
        host.deliver(fromRomeo("Wherefore art thou?"));
        PushRequest push = provider.takeRequest(WAIT);
        assertThat(push.device().token()).isEqualTo(TOKEN);
        assertThat(push.account()).as("the push is about Juliet's account").isEqualTo(JULIET);
        assertThat(push.summary()).as("count 1 and the sender (enabled); no body (privacy default)")
                .isEqualTo(new Summary(1, "romeo@montague.lit/orchard", null, null, null));
        host.awaitIdle(WAIT);
        assertThat(host.registrations().list(JULIET).get(0).errorCount()).isZero();

        // The provider now says the token is dead: item-not-found and the remote-disabling message follow.
        provider.enqueue(Outcome.rejected(RejectionReason.INVALID_TOKEN));
        host.deliver(fromRomeo("Are you there?"));
        assertThat(provider.takeRequest(WAIT).summary().messageCount()).isEqualTo(2);
        host.awaitIdle(WAIT);

        assertThat(fromAppServer).as("the app server answers the publish with item-not-found")
                .anySatisfy(s -> assertThat(s).isInstanceOfSatisfying(Iq.class, iq -> assertThat(iq.error())
                        .hasValueSatisfying(e -> assertThat(e.condition())
                                .isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND))));
        assertThat(fromAppServer).as("and sends the remote-disabling message for the node")
                .anySatisfy(s -> assertThat(s).isInstanceOfSatisfying(Message.class, m -> assertThat(
                        m.extension(PubSub.class)).hasValueSatisfying(p -> assertThat(p.node()).isEqualTo(node))));
        assertThat(host.registrations().list(JULIET)).as("the user's server removed the registration").isEmpty();
        assertThat(host.offlineMessages(JULIET)).as("Juliet's clients also get the remote-disabling message")
                .anySatisfy(m -> assertThat(m.from()).isEqualTo(PUSH));
        int publishes = host.publishes().size();

        host.deliver(fromRomeo("Hello?"));
        host.awaitIdle(WAIT);

        assertThat(host.publishes()).as("no further publish once the registration is gone").hasSize(publishes);
        assertThat(provider.requestCount()).isEqualTo(2);
    }
}
