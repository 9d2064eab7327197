package io.pushcomponent.monallegacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.api.metrics.RegistrationChange;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.testkit.apns.FakeApnsServer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plays Monal before fpush against the app server with {@link MonalLegacyDialect}: the commands are those Monal's
 * {@code XMPPIQ setRegisterOnAppserverWithToken:} and {@code setUnregisterOnAppserver} build (FORM_TYPE, type
 * {@code apns}, the device's vendor id as node, the hex token), and APNs is {@link FakeApnsServer}.
 */
class MonalLegacyDialectTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final StanzaCodec CODEC = StanzaCodec.create();
    private static final String PUSH = "push.example.com";
    private static final String BUNDLE = "im.monal.example";
    private static final String ROMEO = "romeo@montague.lit/Monal-iOS.1a2b";
    private static final String NODE = "E621E1F8-C36C-495A-93FC-0C247A3E6E5F";
    private static final String TOKEN = "5f9c0e2b1d3a4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60";

    private static final int REGISTRATIONS_PER_MINUTE = 5;

    private FakeApnsServer apns;
    private PushProvider provider;
    private DeviceRegistrationStore store;
    private PushAppServer appServer;
    /** What the dialect told the metrics listener, as "change provider". */
    private final List<String> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        apns = FakeApnsServer.start();
        FakeApnsServer.ClientCertificate certificate = apns.clientCertificate(BUNDLE);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("cert-file", certificate.file().toString());
        settings.put("cert-password", certificate.password());
        settings.put("topic", BUNDLE);
        settings.put("pool-size", 1);
        settings.put("apns-host", apns.host());
        settings.put("apns-port", apns.port());
        settings.put("trusted-ca-file", apns.caCertificateFile().toString());
        ProviderRegistry registry = ProviderRegistry.discover();
        provider = registry.factory("apns").create(ProviderSettings.of("apns", settings));
        store = Stores.inMemoryDeviceStore();
        appServer = PushAppServer.builder().jid(PUSH).store(store)
                .providers(Map.of("apns", provider), registry.idsAndAliases())
                .dialect(new MonalLegacyDialect())
                .registrationsPerMinute(REGISTRATIONS_PER_MINUTE)
                .metrics(new PushMetricsListener() {
                    @Override
                    public void registrationChanged(RegistrationChange change, String providerId) {
                        changes.add(change + " " + providerId);
                    }
                })
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        appServer.close();
        provider.close();
        store.close();
        apns.close();
    }

    static String register(String from, String type, String node, String token) {
        return "<iq xmlns='jabber:client' type='set' id='r1' from='" + from + "' to='" + PUSH + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='v1-register-push' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE'><value>https://github.com/tmolitor-stud-tu/mod_push_appserver/"
                + "#v1-register-push</value></field>"
                + "<field var='type'><value>" + type + "</value></field>"
                + "<field var='node'><value>" + node + "</value></field>"
                + "<field var='token'><value>" + token + "</value></field>"
                + "</x></command></iq>";
    }

    static String unregister(String from, String node) {
        return "<iq xmlns='jabber:client' type='set' id='u1' from='" + from + "' to='" + PUSH + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='v1-unregister-push' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE'><value>https://github.com/tmolitor-stud-tu/mod_push_appserver/"
                + "#v1-unregister-push</value></field>"
                + "<field var='type'><value>apns</value></field>"
                + "<field var='node'><value>" + node + "</value></field>"
                + "</x></command></iq>";
    }

    static String publish(String node, String secret) {
        return "<iq xmlns='jabber:client' type='set' id='p1' from='montague.lit' to='" + PUSH + "'>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + node + "'><item>"
                + "<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data' type='form'>"
                + "<field var='FORM_TYPE'><value>urn:xmpp:push:summary</value></field>"
                + "<field var='message-count'><value>1</value></field>"
                + "</x></notification></item></publish>"
                + "<publish-options><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
                + "<field var='secret'><value>" + secret + "</value></field>"
                + "</x></publish-options></pubsub></iq>";
    }

    private Iq answer(String xml) throws Exception {
        List<Stanza> out = appServer.handle(CODEC.read(xml)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        return (Iq) out.get(0);
    }

    private static DataForm resultForm(Iq answer) {
        assertThat(answer.type()).as("answer: %s", CODEC.write(answer)).isEqualTo(Iq.RESULT);
        Command command = answer.extension(Command.class).orElseThrow();
        assertThat(command.status()).isEqualTo(Command.COMPLETED);
        return command.form().orElseThrow();
    }

    private static StanzaError.Condition condition(Iq answer) {
        assertThat(answer.type()).as("answer: %s", CODEC.write(answer)).isEqualTo(Iq.ERROR);
        return answer.error().orElseThrow().condition();
    }

    @Test
    void v1RegisterPushAnswersOurJidTheClientsNodeAndASecret() throws Exception {
        DataForm form = resultForm(answer(register(ROMEO, "apns", NODE, TOKEN)));

        assertThat(form.value("jid")).contains(PUSH);
        assertThat(form.value("node")).as("mod_push_appserver's node is the one the client chose").contains(NODE);
        assertThat(form.value("secret")).isPresent();
        assertThat(store.findByNode(NODE).orElseThrow().owner()).isEqualTo("romeo@montague.lit");
    }

    @Test
    void aPublishWithTheSecretReachesApns() throws Exception {
        String secret = resultForm(answer(register(ROMEO, "apns", NODE, TOKEN))).value("secret").orElseThrow();

        assertThat(answer(publish(NODE, secret)).type()).isEqualTo(Iq.RESULT);
        FakeApnsServer.ReceivedNotification push = apns.takeNotification(WAIT);
        assertThat(push.token()).isEqualTo(TOKEN);
        assertThat(push.topic()).isEqualTo(BUNDLE);
        assertThat(condition(answer(publish(NODE, "wrong")))).as("a wrong secret is refused")
                .isEqualTo(StanzaError.Condition.FORBIDDEN);
    }

    @Test
    void registeringTheNodeAgainReplacesItsTokenAndIssuesANewSecret() throws Exception {
        String first = resultForm(answer(register(ROMEO, "apns", NODE, TOKEN))).value("secret").orElseThrow();
        String newToken = "ab".repeat(32);
        String second = resultForm(answer(register(ROMEO, "apns", NODE, newToken))).value("secret").orElseThrow();

        assertThat(second).isNotEqualTo(first);
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.findByNode(NODE).orElseThrow().device().token()).isEqualTo(newToken);
        assertThat(condition(answer(publish(NODE, first)))).as("the old secret no longer publishes")
                .isEqualTo(StanzaError.Condition.FORBIDDEN);
    }

    @Test
    void aNewNodeForTheSameTokenSupersedesTheAccountsOldNode() throws Exception {
        resultForm(answer(register(ROMEO, "apns", NODE, TOKEN)));
        String reinstalled = "0B5B1F33-2C6A-4F0E-9C38-7E1D2A9B4C11";

        assertThat(resultForm(answer(register(ROMEO, "apns", reinstalled, TOKEN))).value("node"))
                .contains(reinstalled);
        assertThat(store.findByNode(NODE)).isEmpty();
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void anotherAccountsNodeIsRefusedAndKept() throws Exception {
        resultForm(answer(register(ROMEO, "apns", NODE, TOKEN)));

        assertThat(condition(answer(register("mallory@evil.example/x", "apns", NODE, "cd".repeat(32)))))
                .isEqualTo(StanzaError.Condition.CONFLICT);
        assertThat(store.findByNode(NODE).orElseThrow().device().token()).isEqualTo(TOKEN);
        assertThat(condition(answer(unregister("mallory@evil.example/x", NODE))))
                .as("nor can another account unregister it").isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(store.findByNode(NODE)).isPresent();
    }

    @Test
    void v1UnregisterPushRemovesTheNodeAndAnswersJidAndNode() throws Exception {
        String secret = resultForm(answer(register(ROMEO, "apns", NODE, TOKEN))).value("secret").orElseThrow();

        DataForm form = resultForm(answer(unregister(ROMEO, NODE)));

        assertThat(form.value("jid")).contains(PUSH);
        assertThat(form.value("node")).contains(NODE);
        assertThat(store.findByNode(NODE)).isEmpty();
        assertThat(condition(answer(publish(NODE, secret)))).isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(condition(answer(unregister(ROMEO, NODE)))).isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
    }

    @Test
    void theMetricsCountEachRegistrationAddedAndEachRemoved() throws Exception {
        resultForm(answer(register(ROMEO, "apns", NODE, TOKEN)));
        assertThat(changes).as("a new node").containsExactly("REGISTERED apns");
        resultForm(answer(register(ROMEO, "apns", NODE, "ab".repeat(32))));
        assertThat(changes).as("the node registered again with a new token is the same registration")
                .containsExactly("REGISTERED apns");
        String reinstalled = "0B5B1F33-2C6A-4F0E-9C38-7E1D2A9B4C11";
        resultForm(answer(register(ROMEO, "apns", reinstalled, "ab".repeat(32))));
        assertThat(changes).as("a new node for the token: one added, the superseded one removed")
                .containsExactly("REGISTERED apns", "REGISTERED apns", "UNREGISTERED apns");
        assertThat(condition(answer(register("mallory@evil.example/x", "apns", reinstalled, "cd".repeat(32)))))
                .isEqualTo(StanzaError.Condition.CONFLICT);
        resultForm(answer(unregister(ROMEO, reinstalled)));
        assertThat(condition(answer(unregister(ROMEO, reinstalled)))).isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(changes).as("refused and empty requests change nothing")
                .containsExactly("REGISTERED apns", "REGISTERED apns", "UNREGISTERED apns", "UNREGISTERED apns");
        assertThat(store.count()).isZero();
    }

    @Test
    void malformedCommandDataIsNotAcceptableAsModPushAppserverAnswersIt() throws Exception {
        assertThat(condition(answer(register(ROMEO, "apns", NODE, " ")))).isEqualTo(
                StanzaError.Condition.NOT_ACCEPTABLE);
        assertThat(condition(answer(register(ROMEO, "gcm", NODE, TOKEN)))).as("an unknown type")
                .isEqualTo(StanzaError.Condition.NOT_ACCEPTABLE);
        assertThat(condition(answer(register(ROMEO, "fcm", NODE, TOKEN)))).as("a type whose provider is missing")
                .isEqualTo(StanzaError.Condition.NOT_ACCEPTABLE);
        assertThat(condition(answer(register(ROMEO, "apns", NODE, "not-hex")))).as("APNs tokens are hexadecimal")
                .isEqualTo(StanzaError.Condition.NOT_ACCEPTABLE);
        assertThat(store.count()).isZero();
    }

    @Test
    void registrationsCountAgainstTheAccountsRateAsRegisterDeviceDoes() throws Exception {
        for (int i = 0; i < REGISTRATIONS_PER_MINUTE; i++) {
            resultForm(answer(register(ROMEO, "apns", NODE + "-" + i, TOKEN.substring(2) + "0" + i)));
        }

        Iq refused = answer(register(ROMEO, "apns", NODE, TOKEN));

        assertThat(condition(refused)).as("registrations-per-minute holds for v1-register-push too")
                .isEqualTo(StanzaError.Condition.POLICY_VIOLATION);
        assertThat(refused.error().orElseThrow().type()).isEqualTo(StanzaError.Type.WAIT);
        assertThat(store.findByNode(NODE)).isEmpty();
        resultForm(answer(register("juliet@capulet.lit/Monal", "apns", NODE, TOKEN)));
    }

    @Test
    void aDeadTokenRemovesTheRegistrationAndTheNextPublishIsItemNotFound() throws Exception {
        String secret = resultForm(answer(register(ROMEO, "apns", NODE, TOKEN))).value("secret").orElseThrow();
        apns.rejectNext(1, FakeApnsServer.Rejection.unregistered(Instant.now()));

        assertThat(condition(answer(publish(NODE, secret)))).isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(store.findByNode(NODE)).isEmpty();
        long sent = apns.rejectedCount() + apns.acceptedCount();
        assertThat(condition(answer(publish(NODE, secret)))).as("mod_push_appserver: unknown node")
                .isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(apns.rejectedCount() + apns.acceptedCount()).as("answered without calling APNs").isEqualTo(sent);
    }
}
