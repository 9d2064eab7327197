package io.pushcomponent.core.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.api.store.AccountPushRegistration;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Enable and disable, from XEP-0357 §5 and §6 (examples 9-12), with every refusal. */
class EnableDisableTest {
    static final String JULIET = "juliet@capulet.lit";
    static final String BALCONY = "juliet@capulet.lit/balcony";
    static final String PUSH = "push-5.client.example";
    static final String NODE = "yxs32uqsflafdk3iuqo";
    static final Instant NOW = Instant.parse("2026-11-24T20:00:00Z");

    /** XEP-0357 example 9. */
    static final String ENABLE = "<iq type='set' id='x42' from='" + BALCONY + "'>"
            + "<enable xmlns='urn:xmpp:push:0' jid='push-5.client.example' node='yxs32uqsflafdk3iuqo'/></iq>";
    /** XEP-0357 example 10: with publish-options. */
    static final String ENABLE_WITH_SECRET = "<iq type='set' id='x43' from='" + BALCONY + "'>"
            + "<enable xmlns='urn:xmpp:push:0' jid='push-5.client.example' node='yxs32uqsflafdk3iuqo'>"
            + "<x xmlns='jabber:x:data' type='submit'>"
            + "<field var='FORM_TYPE'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
            + "<field var='secret'><value>eruio234vzxc2kla-91</value></field></x></enable></iq>";
    /** XEP-0357 example 11. */
    static final String DISABLE_NODE = "<iq type='set' id='x97' from='" + BALCONY + "'>"
            + "<disable xmlns='urn:xmpp:push:0' jid='push-5.client.example' node='yxs32uqsflafdk3iuqo'/></iq>";
    /** XEP-0357 example 12. */
    static final String DISABLE_ALL = "<iq type='set' id='x97' from='" + BALCONY + "'>"
            + "<disable xmlns='urn:xmpp:push:0' jid='push-5.client.example'/></iq>";

    TestHost host;
    PushEnablementService service;

    @BeforeEach
    void setUp() {
        host = new TestHost();
        service = PushEnablementService.builder(host).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    static AccountPushRegistration existing(String node) {
        return AccountPushRegistration.of(JULIET, PUSH, node, NOW.minusSeconds(60));
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("example 9: enable stores jid and node", List.of(), ENABLE, null,
                        List.of(PUSH + " " + NODE)),
                Arguments.of("example 10: publish-options are stored", List.of(), ENABLE_WITH_SECRET, null,
                        List.of(PUSH + " " + NODE + " secret")),
                Arguments.of("enable addressed to the own bare JID is the account's own", List.of(),
                        ENABLE.replace("id='x42'", "id='x42' to='juliet@capulet.lit'"), null,
                        List.of(PUSH + " " + NODE)),
                Arguments.of("enable addressed to the server is the account's own", List.of(),
                        ENABLE.replace("id='x42'", "id='x42' to='capulet.lit'"), null, List.of(PUSH + " " + NODE)),
                Arguments.of("re-enable replaces the options of the same jid+node",
                        List.of(existing(NODE)), ENABLE_WITH_SECRET, null, List.of(PUSH + " " + NODE + " secret")),
                Arguments.of("a second node is added", List.of(existing("other-node")), ENABLE, null,
                        List.of(PUSH + " other-node", PUSH + " " + NODE)),
                Arguments.of("enable without jid is a bad request", List.of(),
                        ENABLE.replace(" jid='push-5.client.example'", ""), StanzaError.Condition.BAD_REQUEST,
                        List.of()),
                Arguments.of("enable with a malformed jid is jid-malformed (RFC 6120 §8.3.3.8)", List.of(),
                        ENABLE.replace("jid='push-5.client.example'", "jid='a b'"),
                        StanzaError.Condition.JID_MALFORMED, List.of()),
                Arguments.of("enable without node is a bad request", List.of(),
                        ENABLE.replace(" node='yxs32uqsflafdk3iuqo'", ""), StanzaError.Condition.BAD_REQUEST,
                        List.of()),
                Arguments.of("a form that is not publish-options is a bad request", List.of(),
                        ENABLE_WITH_SECRET.replace("pubsub#publish-options", "pubsub#node_config"),
                        StanzaError.Condition.BAD_REQUEST, List.of()),
                Arguments.of("publish-options with two secrets are a bad request (XEP-0004 §3.2: var is unique)",
                        List.of(), ENABLE_WITH_SECRET.replace("</x>", "<field var='secret'><value>other</value>"
                                + "</field></x>"), StanzaError.Condition.BAD_REQUEST, List.of()),
                Arguments.of("publish-options with a field without var are a bad request (XEP-0004 §3.2)",
                        List.of(), ENABLE_WITH_SECRET.replace("</x>", "<field><value>other</value></field></x>"),
                        StanzaError.Condition.BAD_REQUEST, List.of()),
                Arguments.of("enable with type='get' is a bad request", List.of(),
                        ENABLE.replace("type='set'", "type='get'"), StanzaError.Condition.BAD_REQUEST, List.of()),
                Arguments.of("another account may not enable for Juliet", List.of(),
                        ENABLE.replace("from='" + BALCONY + "'", "from='romeo@montague.lit/orchard' to='"
                                + JULIET + "'"), StanzaError.Condition.FORBIDDEN, List.of()),
                Arguments.of("an enable addressed to another server is not this server's to accept", List.of(),
                        ENABLE.replace("id='x42'", "id='x42' to='montague.lit'"), StanzaError.Condition.FORBIDDEN,
                        List.of()),
                Arguments.of("an enable without a sender is refused", List.of(),
                        ENABLE.replace(" from='" + BALCONY + "'", ""), StanzaError.Condition.FORBIDDEN, List.of()),
                Arguments.of("example 11: disable one node", List.of(existing(NODE), existing("other-node")),
                        DISABLE_NODE, null, List.of(PUSH + " other-node")),
                Arguments.of("example 12: disable without node removes every node of the jid",
                        List.of(existing(NODE), existing("other-node"),
                                AccountPushRegistration.of(JULIET, "push.other.example", NODE, NOW)),
                        DISABLE_ALL, null, List.of("push.other.example " + NODE)),
                Arguments.of("disabling what is not enabled still succeeds", List.of(), DISABLE_NODE, null,
                        List.of()),
                Arguments.of("disable without jid is a bad request", List.of(existing(NODE)),
                        DISABLE_ALL.replace(" jid='push-5.client.example'", ""), StanzaError.Condition.BAD_REQUEST,
                        List.of(PUSH + " " + NODE)),
                Arguments.of("another account may not disable Juliet's push", List.of(existing(NODE)),
                        DISABLE_ALL.replace("from='" + BALCONY + "'", "from='romeo@montague.lit/orchard' to='"
                                + JULIET + "'"), StanzaError.Condition.FORBIDDEN, List.of(PUSH + " " + NODE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void enableAndDisable(String rule, List<AccountPushRegistration> before, String request,
                          StanzaError.Condition expectedError, List<String> after) {
        before.forEach(r -> host.store.put(r, 5));

        boolean consumed = service.process(TestHost.read(request));

        assertThat(consumed).as("%s: an enable/disable is consumed", rule).isTrue();
        assertThat(host.sent).as("%s: every IQ gets exactly one answer", rule).hasSize(1);
        Iq answer = (Iq) host.sent.get(0);
        assertThat(answer.id()).as("the answer carries the request's id").isEqualTo(request.contains("x42") ? "x42"
                : request.contains("x43") ? "x43" : "x97");
        if (expectedError == null) {
            assertThat(answer.type()).as("%s: answered with a result", rule).isEqualTo(Iq.RESULT);
            assertThat(answer.to()).as("the answer goes back to the requesting session")
                    .isEqualTo(TestHost.read(request).from());
        } else {
            assertThat(answer.type()).as("%s: answered with an error", rule).isEqualTo(Iq.ERROR);
            assertThat(answer.error().orElseThrow().condition()).as(rule).isEqualTo(expectedError);
            assertThat(answer.error().orElseThrow().text()).as("%s: the error says what is wrong", rule)
                    .isPresent();
        }
        assertThat(host.store.list(JULIET)).as(rule)
                .extracting(r -> (r.jid() + " " + r.node() + " " + String.join(" ", r.publishOptions().keySet()))
                        .trim())
                .containsExactlyElementsOf(after);
    }

    @Test
    void publishOptionsAreStoredWithTheirValues() {
        service.process(TestHost.read(ENABLE_WITH_SECRET));

        AccountPushRegistration r = host.store.find(JULIET, PUSH, NODE).orElseThrow();
        assertThat(r.publishOptions()).as("the secret is stored, FORM_TYPE is not")
                .isEqualTo(Map.of("secret", List.of("eruio234vzxc2kla-91")));
        assertThat(r.createdAt()).isEqualTo(NOW);
        assertThat(r.toString()).as("toString never shows the secret").doesNotContain("eruio234vzxc2kla-91");
    }

    /** The account is the requester's bare JID normalised by RFC 7622: one account whatever case its client uses. */
    @Test
    void theAccountIsStoredAsANormalisedBareJid() {
        service.process(TestHost.read(ENABLE.replace(BALCONY, "Juliet@Capulet.LIT/Balcony")));

        assertThat(host.store.list(JULIET)).extracting(AccountPushRegistration::node).containsExactly(NODE);
    }

    @Test
    void anExtensionsAskForPushesWhileAwayIsStored() {
        service.close();
        service = PushEnablementService.builder(host).settings(PushSettings.defaults().toBuilder()
                .variants(PushSettings.Variant.STANDARD, PushSettings.Variant.EXTENDED).build())
                .extension(new MutedTestExtension()).build();
        service.process(TestHost.read(ENABLE.replace("'/></iq>", "'>" + MutedTestExtension.AWAY + "</enable></iq>")));
        service.process(TestHost.read(ENABLE.replace(NODE, "plain-node")));

        assertThat(host.store.find(JULIET, PUSH, NODE).orElseThrow().away())
                .as("the extension's away option is stored").isTrue();
        assertThat(host.store.find(JULIET, PUSH, "plain-node").orElseThrow().away())
                .as("without it the registration is not an away one").isFalse();
    }

    @Test
    void theOldestRegistrationIsDroppedBeyondTheLimit() {
        PushEnablementService limited = PushEnablementService.builder(host)
                .settings(PushSettings.defaults().toBuilder().maxRegistrationsPerAccount(2).build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        host.store.put(AccountPushRegistration.of(JULIET, PUSH, "oldest", NOW.minusSeconds(20)), 5);
        host.store.put(AccountPushRegistration.of(JULIET, PUSH, "newer", NOW.minusSeconds(10)), 5);

        limited.process(TestHost.read(ENABLE));

        assertThat(host.store.list(JULIET)).extracting(AccountPushRegistration::node)
                .as("the third registration pushes out the oldest").containsExactly("newer", NODE);
    }

    @Test
    void theDefaultLimitIsFive() {
        for (int i = 0; i < 6; i++) {
            service.process(TestHost.read(ENABLE.replace(NODE, "node-" + i)));
        }

        assertThat(host.store.list(JULIET)).as("at most 5 registrations per account by default").hasSize(5);
    }

    @Test
    void aStoreFailureIsStillAnsweredWithATemporaryError() {
        AccountPushRegistrationStore broken = (AccountPushRegistrationStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AccountPushRegistrationStore.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("database is down");
                });
        TestHost failing = new TestHost(broken);
        try (PushEnablementService s = PushEnablementService.builder(failing).build()) {
            assertThat(s.process(TestHost.read(ENABLE))).isTrue();
        }

        Iq answer = (Iq) failing.sent.get(0);
        assertThat(answer.error().orElseThrow().type()).as("the client may retry: a wait error")
                .isEqualTo(StanzaError.Type.WAIT);
        assertThat(answer.error().orElseThrow().condition()).isEqualTo(StanzaError.Condition.INTERNAL_SERVER_ERROR);
        assertThat(answer.error().orElseThrow().text().orElseThrow()).as("the text does not leak internals")
                .doesNotContain("database");
    }

    @Test
    void otherIqsAreLeftToTheHost() {
        Stanza ping = TestHost.read("<iq type='get' id='p1' from='" + BALCONY + "'><ping xmlns='urn:xmpp:ping'/></iq>");

        assertThat(service.process(ping)).as("an IQ that is not enable/disable is not consumed").isFalse();
        assertThat(host.sent).isEmpty();
    }

    @Test
    void disco() {
        assertThat(service.discoFeatures()).as("the account advertises XEP-0357").containsExactly("urn:xmpp:push:0");
        PushEnablementService away = PushEnablementService.builder(host)
                .settings(PushSettings.defaults().toBuilder().awayMode(true).build()).build();
        assertThat(away.discoFeatures()).as("the away mode alone adds no feature: a dialect's extension names it")
                .containsExactly("urn:xmpp:push:0");
    }
}
