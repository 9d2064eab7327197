package io.pushcomponent.core.user;

import static io.pushcomponent.core.user.AccountSession.Presence.AWAY;
import static io.pushcomponent.core.user.AccountSession.Presence.DND;
import static io.pushcomponent.core.user.AccountSession.Presence.NONE;
import static io.pushcomponent.core.user.AccountSession.Presence.ONLINE;
import static io.pushcomponent.core.user.AccountSession.Presence.XA;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.api.store.AccountPushRegistration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** When a message for an account is pushed (XEP-0357 §7), and what the publish looks like. */
class MessageArrivedTest {
    static final String JULIET = "juliet@capulet.lit";
    static final String PUSH = "push-5.client.example";
    static final String NODE = "yxs32uqsflafdk3iuqo";

    static final String BODY = "<message from='romeo@montague.lit/orchard' to='juliet@capulet.lit' type='chat' "
            + "id='m1'><body>Wherefore art thou, Romeo?</body></message>";
    static final String CHAT_STATE = "<message from='romeo@montague.lit/orchard' to='juliet@capulet.lit' "
            + "type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>";
    static final String RECEIPT = "<message from='romeo@montague.lit/orchard' to='juliet@capulet.lit'>"
            + "<received xmlns='urn:xmpp:receipts' id='m0'/></message>";
    static final String OMEMO = "<message from='romeo@montague.lit/orchard' to='juliet@capulet.lit' type='chat'>"
            + "<encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='27183'><key rid='31415'>"
            + "BASE64ENCODED=</key><iv>BASE64ENCODED=</iv></header><payload>BASE64ENCODED</payload></encrypted>"
            + "<store xmlns='urn:xmpp:hints'/></message>";
    static final String OWN_RESOURCE = "<message from='juliet@capulet.lit/chamber' to='juliet@capulet.lit' "
            + "type='chat'><body>note to self</body></message>";
    static final String OFFLINE_REPLAY = "<message from='romeo@montague.lit/orchard' to='juliet@capulet.lit' "
            + "type='chat'><body>stored earlier</body><delay xmlns='urn:xmpp:delay' from='capulet.lit' "
            + "stamp='2026-11-24T18:00:00Z'>Offline Storage</delay></message>";
    static final String ERROR = "<message from='romeo@montague.lit/orchard' to='juliet@capulet.lit' type='error'>"
            + "<body>bounced</body><error type='cancel'><service-unavailable "
            + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>";

    final TestHost host = new TestHost();
    PushEnablementService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    PushEnablementService service(PushSettings settings) {
        service = PushEnablementService.builder(host).settings(settings).build();
        return service;
    }

    void register(boolean away) {
        host.store.put(new AccountPushRegistration(JULIET, PUSH, NODE, Map.of("secret", List.of("eruio234vzxc2kla-91")),
                away, Map.of(), 0, Instant.parse("2026-11-24T19:00:00Z")), 5);
    }

    static AccountSession s(String resource, AccountSession.Presence presence, int priority) {
        return new AccountSession(resource, presence, priority);
    }

    static Stream<Arguments> whenToNotify() {
        List<AccountSession> offline = List.of();
        List<AccountSession> allAway = List.of(s("balcony", AWAY, 0), s("chamber", XA, 5), s("tablet", DND, 1));
        List<AccountSession> mixed = List.of(s("balcony", AWAY, 0), s("chamber", ONLINE, 0));
        return Stream.of(
                Arguments.of("offline account, message with a body", offline, false, false, BODY, 1),
                Arguments.of("a hibernated session counts as offline", List.of(s("balcony", NONE, 0)), false,
                        false, BODY, 1),
                Arguments.of("offline account, OMEMO message without body", offline, false, false, OMEMO, 1),
                Arguments.of("online account: the client shows it", List.of(s("balcony", ONLINE, 0)), true, true,
                        BODY, 0),
                Arguments.of("all away, away mode on, away='true'", allAway, true, true, BODY, 1),
                Arguments.of("all away, away mode on, registration without away='true'", allAway, true, false,
                        BODY, 0),
                Arguments.of("all away, away mode off", allAway, false, true, BODY, 0),
                Arguments.of("mixed available/away account", mixed, true, true, BODY, 0),
                Arguments.of("a chat state is not pushed", offline, true, true, CHAT_STATE, 0),
                Arguments.of("a receipt alone is not pushed", offline, true, true, RECEIPT, 0),
                Arguments.of("a message from the account's own resource is not pushed", offline, true, true,
                        OWN_RESOURCE, 0),
                Arguments.of("an offline message being delivered is not pushed again", offline, true, true,
                        OFFLINE_REPLAY, 0),
                Arguments.of("an error message is not pushed", offline, true, true, ERROR, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("whenToNotify")
    void whenToNotify(String rule, List<AccountSession> sessions, boolean awayMode, boolean registrationAway,
                      String message, int publishes) {
        service(PushSettings.defaults().toBuilder().awayMode(awayMode).build());
        register(registrationAway);
        host.sessions.put(JULIET, sessions);

        int sent = service.messageArrived(JULIET, (Message) TestHost.read(message));

        assertThat(sent).as(rule).isEqualTo(publishes);
        assertThat(host.drainPublishes()).as(rule).hasSize(publishes);
    }

    /** Accounts are bare JIDs compared after RFC 7622 normalisation: the host may name one in any case. */
    @Test
    void theAccountIsFoundWhateverCaseTheHostWritesItIn() {
        service(PushSettings.defaults());
        register(false);

        assertThat(service.messageArrived("Juliet@Capulet.LIT", (Message) TestHost.read(BODY))).isEqualTo(1);
    }

    @Test
    void noRegistrationNoPublish() {
        service(PushSettings.defaults());

        assertThat(service.messageArrived(JULIET, (Message) TestHost.read(BODY))).isZero();
        assertThat(host.sent).isEmpty();
    }

    @Test
    void thePublishByDefaultHidesBodyAndSenderAndEchoesThePublishOptions() {
        service(PushSettings.defaults());
        register(false);

        service.messageArrived(JULIET, (Message) TestHost.read(BODY));

        Iq publish = host.drainPublishes().get(0);
        assertThat(publish.from()).as("the publish comes from the server's domain").isEqualTo("capulet.lit");
        assertThat(publish.to()).as("the publish goes to the registration's jid").isEqualTo(PUSH);
        PubSub pubsub = publish.extension(PubSub.class).orElseThrow();
        assertThat(pubsub.publish().orElseThrow().node()).isEqualTo(NODE);
        DataForm summary = pubsub.publish().orElseThrow().items().get(0).payload(Notification.class).orElseThrow()
                .form().orElseThrow();
        assertThat(summary.formType()).isEqualTo("urn:xmpp:push:summary");
        assertThat(summary.value("message-count")).contains("1");
        assertThat(summary.field("last-message-body")).as("no body by default (privacy)").isEmpty();
        assertThat(summary.field("last-message-sender")).as("no sender by default (privacy)").isEmpty();
        DataForm options = pubsub.publishOptions().orElseThrow();
        assertThat(options.formType()).isEqualTo("http://jabber.org/protocol/pubsub#publish-options");
        assertThat(options.value("secret")).as("the stored publish-options are echoed")
                .contains("eruio234vzxc2kla-91");
    }

    @Test
    void bodySenderAndPlaceholderFollowTheSettings() {
        service(PushSettings.defaults().toBuilder().includeBody(true).includeSender(true).build());
        register(false);
        service.messageArrived(JULIET, (Message) TestHost.read(BODY));
        DataForm summary = summaryOf(host.drainPublishes().get(0));
        assertThat(summary.value("last-message-body")).contains("Wherefore art thou, Romeo?");
        assertThat(summary.value("last-message-sender")).contains("romeo@montague.lit/orchard");
        service.close();

        service(PushSettings.defaults().toBuilder().placeholderBody("New Message!").build());
        service.messageArrived(JULIET, (Message) TestHost.read(BODY));
        DataForm withPlaceholder = summaryOf(host.drainPublishes().get(0));
        assertThat(withPlaceholder.value("last-message-body")).as("the placeholder stands in for the body")
                .contains("New Message!");
        assertThat(withPlaceholder.field("last-message-sender")).isEmpty();
    }

    @Test
    void messageCountGrowsUntilOfflineMessagesAreFetched() {
        service(PushSettings.defaults());
        register(false);

        service.messageArrived(JULIET, (Message) TestHost.read(BODY));
        service.messageArrived(JULIET, (Message) TestHost.read(OMEMO));
        service.offlineMessagesFetched(JULIET);
        service.messageArrived(JULIET, (Message) TestHost.read(BODY));

        assertThat(host.drainPublishes()).extracting(p -> summaryOf(p).value("message-count").orElseThrow())
                .as("counts 1, 2, then 0 after the fetch clears the badge, then 1 again")
                .containsExactly("1", "2", "0", "1");
    }

    @Test
    void theClearingNotificationCarriesNeitherBodyNorSender() {
        service(PushSettings.defaults().toBuilder().includeBody(true).includeSender(true)
                .placeholderBody("New Message!").build());
        register(false);

        assertThat(service.offlineMessagesFetched(JULIET)).isEqualTo(1);

        DataForm summary = summaryOf(host.drainPublishes().get(0));
        assertThat(summary.value("message-count")).contains("0");
        assertThat(summary.field("last-message-body")).isEmpty();
        assertThat(summary.field("last-message-sender")).isEmpty();
    }

    @Test
    void noClearingNotificationWhenSwitchedOff() {
        service(PushSettings.defaults().toBuilder().notifyOfflineMessagesFetched(false).build());
        register(false);

        assertThat(service.offlineMessagesFetched(JULIET)).isZero();
        assertThat(host.sent).isEmpty();
    }

    @Test
    void bothVariantsTogetherStillPushOncePerMessage() {
        service(PushSettings.defaults().toBuilder().awayMode(true)
                .variants(PushSettings.Variant.STANDARD, PushSettings.Variant.EXTENDED).build());
        register(true);

        service.messageArrived(JULIET, (Message) TestHost.read(BODY));

        assertThat(host.drainPublishes()).as("urn:xmpp:push:0 and urn:xmpp:push:0:ext on together: one push")
                .hasSize(1);
    }

    @Test
    void everyRegistrationOfTheAccountIsPushed() {
        service(PushSettings.defaults());
        register(false);
        host.store.put(AccountPushRegistration.of(JULIET, "push.other.example", "n2", Instant.now()), 5);

        service.messageArrived(JULIET, (Message) TestHost.read(BODY));

        assertThat(host.drainPublishes()).extracting(Iq::to).containsExactlyInAnyOrder(PUSH, "push.other.example");
    }

    static DataForm summaryOf(Iq publish) {
        return publish.extension(PubSub.class).orElseThrow().publish().orElseThrow().items().get(0)
                .payload(Notification.class).orElseThrow().form().orElseThrow();
    }
}
