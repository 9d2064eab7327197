package io.pushcomponent.testkit.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.core.user.AccountSession;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryPushHostTest {
    static final String JULIET = "juliet@capulet.lit";
    static final String BALCONY = JULIET + "/balcony";
    static final String PUSH = "push.example.net";
    static final Duration WAIT = Duration.ofSeconds(5);

    final InMemoryPushHost host = new InMemoryPushHost("capulet.lit");

    @AfterEach
    void close() {
        host.close();
    }

    void enable() {
        Stanza answer = host.clientSends(BALCONY, Iq.set(null, Enable.of(PUSH, "node-1")
                .publishOptions(DataForm.submit(Namespaces.PUBSUB_PUBLISH_OPTIONS).field("secret", "s3cret"))))
                .orElseThrow();
        assertThat(answer.type()).as("the enable is answered with a result").isEqualTo(Iq.RESULT);
    }

    static Message chat(String body) {
        return new Message().from("romeo@montague.lit/orchard").to(JULIET).type("chat").body(body);
    }

    @Test
    void offlineMessagesArePushedStoredAndTheBadgeClearedOnFetch() {
        host.startPush(PushSettings.defaults());
        enable();

        host.deliver(chat("Wherefore art thou?"));

        assertThat(host.offlineMessages(JULIET)).as("the offline account's message is stored").hasSize(1);
        assertThat(host.publishes()).as("one publish for the offline account").hasSize(1);
        assertThat(host.fetchOfflineMessages(JULIET)).hasSize(1);
        Iq clear = host.publishes().get(1);
        DataForm summary = clear.extension(PubSub.class).orElseThrow().publish().orElseThrow().items().get(0)
                .payload(Notification.class).orElseThrow().form().orElseThrow();
        assertThat(summary.value("message-count")).as("fetching clears the badge").contains("0");
    }

    @Test
    void anAvailableSessionGetsTheMessageAndNoPushIsSent() {
        host.startPush(PushSettings.defaults());
        enable();
        host.presence(BALCONY, AccountSession.Presence.ONLINE, 0);

        host.deliver(chat("hi"));

        assertThat(host.receivedBy(BALCONY)).as("the session got the enable's answer, then the message")
                .extracting(Stanza::elementName).containsExactly("iq", "message");
        assertThat(host.publishes()).isEmpty();
        host.logout(BALCONY);
        assertThat(host.sessions(JULIET)).isEmpty();
    }

    @Test
    void publishesGoToTheConnectedAppServerAndItsAnswersComeBack() {
        host.startPush(PushSettings.defaults());
        host.pendingSubscriptions(JULIET, 2);
        host.connectAppServer(PUSH, stanza -> {
            Iq publish = (Iq) stanza;
            Iq notFound = publish.errorReply(StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND, null));
            Message disabling = Message.of(PUSH, JULIET, PubSub.affiliationNone("node-1", JULIET));
            return CompletableFuture.supplyAsync(() -> List.of(notFound, disabling));
        });
        enable();
        assertThat(host.takeSent(WAIT)).as("first the answer to the enable").isInstanceOf(Iq.class);

        host.deliver(chat("hi"));
        host.awaitIdle(WAIT);

        Iq publish = (Iq) host.takeSent(WAIT);
        assertThat(publish.to()).isEqualTo(PUSH);
        assertThat(publish.extension(PubSub.class).orElseThrow().publish().orElseThrow().items().get(0)
                .payload(Notification.class).orElseThrow().form().orElseThrow().value("pending-subscription-count"))
                .as("the host's pending subscriptions are in the summary").contains("2");
        assertThat(host.registrations().list(JULIET)).as("the app server's cancel error removed the registration")
                .isEmpty();
        assertThat(host.offlineMessages(JULIET)).as("the remote-disabling message is delivered to the account too")
                .hasSize(2);
    }

    @Test
    void aClientRequestToAnAppServerGetsItsAnswerBack() {
        host.startPush(PushSettings.defaults());
        host.connectAppServer(PUSH, stanza -> CompletableFuture.supplyAsync(() -> List.of(((Iq) stanza)
                .resultReply())));

        Iq answer = host.request(BALCONY, Iq.get(PUSH, null), WAIT);

        assertThat(answer.type()).as("the app server's answer is routed back to the session").isEqualTo(Iq.RESULT);
        assertThat(answer.to()).isEqualTo(BALCONY);
        assertThatThrownBy(() -> host.request(BALCONY, Iq.get("nobody.example", null), Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no answer");
    }

    @Test
    void aSessionNeedsAFullJid() {
        assertThatThrownBy(() -> host.presence(JULIET, AccountSession.Presence.ONLINE, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("full JID");
    }

    @Test
    void onePushServicePerHost() {
        host.startPush(PushSettings.defaults());
        assertThatThrownBy(() -> host.startPush(PushSettings.defaults())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void awaitIdleFailsClearlyWhenAnAppServerNeverAnswers() {
        host.startPush(PushSettings.defaults());
        host.connectAppServer(PUSH, stanza -> new CompletableFuture<>());
        enable();
        host.deliver(chat("hi"));

        assertThatThrownBy(() -> host.awaitIdle(Duration.ofMillis(50))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("still open");
    }
}
