package io.pushcomponent.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.api.metrics.RegistrationChange;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.testkit.fcm.FakeFcmServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plays Conversations against the app server with {@link ConversationsDialect}: the stanzas are those
 * Conversations' {@code IqGenerator.pushTokenToAppServer} and {@code unregisterChannelOnAppServer} build, with the
 * account, token and device id of p2's README, and FCM is {@link FakeFcmServer}.
 */
class ConversationsDialectTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final StanzaCodec CODEC = StanzaCodec.create();
    private static final String PUSH = "p2.example.com";
    private static final String ACCOUNT = "xiaomia1@jabber.de/Conversations.sAdA";
    private static final String TOKEN = "eeDXSJjASJY:APA91bEKxhXK54-vHhY9O55JmU2R0nDJL2rRENm-W9uPY6x3jHi0i0OyvPu6js9"
            + "jVPZqDeX9ZQydZCBZE19o7a0kK4_n88fCgufXjaOlvalh9VibB2zOI7dQRTaDNB3H5s4dicpWD0m4";
    private static final String ANDROID_ID = "92afd7a91cdba9a0";
    /** What p2's README shows it stores for that account and device. */
    private static final String DEVICE_HASH = "ec164939a8485ee6b7f7871071a11c7bb18aead5";

    private static final int REGISTRATIONS_PER_MINUTE = 5;

    @TempDir
    Path tempDir;
    private FakeFcmServer fcm;
    private PushProvider provider;
    private DeviceRegistrationStore store;
    private PushAppServer appServer;
    /** What the dialect told the metrics listener, as "change provider". */
    private final List<String> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fcm = FakeFcmServer.start();
        ProviderRegistry registry = ProviderRegistry.discover();
        provider = registry.factory("fcm-http-v1").create(ProviderSettings.of("fcm-http-v1", Map.of(
                "service-account-file", fcm.writeServiceAccountJson(tempDir).toString(),
                "base-url", fcm.baseUrl())));
        store = Stores.inMemoryDeviceStore();
        appServer = PushAppServer.builder().jid(PUSH).store(store)
                .providers(Map.of("fcm-http-v1", provider), registry.idsAndAliases())
                .dialect(new ConversationsDialect())
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
        fcm.close();
    }

    static String register(String from, String token, String androidId) {
        return "<iq xmlns='jabber:client' type='set' id='r1' from='" + from + "' to='" + PUSH + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-push-fcm' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='token'><value>" + token + "</value></field>"
                + "<field var='android-id'><value>" + androidId + "</value></field>"
                + "</x></command></iq>";
    }

    static String publish(String node, String secret) {
        return "<iq xmlns='jabber:client' type='set' id='p1' from='jabber.de' to='" + PUSH + "'>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + node + "'><item>"
                + "<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data' type='form'>"
                + "<field var='FORM_TYPE'><value>urn:xmpp:push:summary</value></field>"
                + "<field var='message-count'><value>1</value></field>"
                + "<field var='last-message-sender'><value>juliet@capulet.lit/balcony</value></field>"
                + "<field var='last-message-body'><value>Wherefore art thou?</value></field>"
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
    void registerPushFcmAnswersJidNodeAndSecretAndStoresTheHashNotTheAccount() throws Exception {
        DataForm form = resultForm(answer(register(ACCOUNT, TOKEN, ANDROID_ID)));

        assertThat(form.value("jid")).as("p2 names itself in the answer").contains(PUSH);
        String node = form.value("node").orElseThrow();
        assertThat(form.value("secret")).as("Conversations refuses an answer without a secret").isPresent();
        DeviceRegistration stored = store.findByNode(node).orElseThrow();
        assertThat(stored.owner()).as("p2's privacy model: SHA-1 of bare JID, NUL, device id — never the JID")
                .isEqualTo(DEVICE_HASH).doesNotContain("xiaomia1").doesNotContain("jabber.de");
        assertThat(stored.device().token()).isEqualTo(TOKEN);
        assertThat(stored.device().providerId()).isEqualTo("fcm-http-v1");
    }

    @Test
    void aPublishReachesFcmWithTheDeviceHashAsAccount() throws Exception {
        DataForm form = resultForm(answer(register(ACCOUNT, TOKEN, ANDROID_ID)));

        Iq published = answer(publish(form.value("node").orElseThrow(), form.value("secret").orElseThrow()));

        assertThat(published.type()).isEqualTo(Iq.RESULT);
        FakeFcmServer.ReceivedMessage message = fcm.takeMessage(WAIT);
        assertThat(message.token()).isEqualTo(TOKEN);
        assertThat(message.data()).as("Conversations finds the account to wake by the hash p2 sends as 'account'")
                .containsEntry("account", DEVICE_HASH);
        assertThat(message.json().toString()).as("Google sees no JID of the account").doesNotContain("xiaomia1");
    }

    @Test
    void theSameDeviceRegisteringAgainKeepsItsNodeAndANewTokenReplacesTheOld() throws Exception {
        String node = resultForm(answer(register(ACCOUNT, TOKEN, ANDROID_ID))).value("node").orElseThrow();
        String again = resultForm(answer(register(ACCOUNT, "new-token-1", ANDROID_ID))).value("node").orElseThrow();

        assertThat(again).as("one registration per account and device, as p2 keeps it").isEqualTo(node);
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.findByNode(node).orElseThrow().device().token()).isEqualTo("new-token-1");
    }

    @Test
    void anotherDeviceIdOrAnotherAccountIsAnotherRegistration() throws Exception {
        String first = resultForm(answer(register(ACCOUNT, TOKEN, ANDROID_ID))).value("node").orElseThrow();
        String otherDevice = resultForm(answer(register(ACCOUNT, "token-2", "0123456789abcdef")))
                .value("node").orElseThrow();
        String otherAccount = resultForm(answer(register("romeo@montague.lit/phone", TOKEN, ANDROID_ID)))
                .value("node").orElseThrow();

        assertThat(List.of(first, otherDevice, otherAccount)).doesNotHaveDuplicates();
        assertThat(store.count()).isEqualTo(3);
    }

    @Test
    void unregisterPushFcmRemovesOnlyThisAccountsRegistrationOfTheDevice() throws Exception {
        String mine = resultForm(answer(register(ACCOUNT, TOKEN, ANDROID_ID))).value("node").orElseThrow();
        String romeos = resultForm(answer(register("romeo@montague.lit/phone", TOKEN, ANDROID_ID)))
                .value("node").orElseThrow();
        String unregister = "<iq xmlns='jabber:client' type='set' id='u1' from='" + ACCOUNT + "' to='" + PUSH + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='unregister-push-fcm' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='android-id'><value>" + ANDROID_ID + "</value></field>"
                + "</x></command></iq>";

        Iq removed = answer(unregister);

        assertThat(removed.type()).isEqualTo(Iq.RESULT);
        assertThat(removed.extension(Command.class).orElseThrow().status()).isEqualTo(Command.COMPLETED);
        assertThat(store.findByNode(mine)).isEmpty();
        assertThat(store.findByNode(romeos)).as("the other account's registration of that device stays").isPresent();
        assertThat(condition(answer(unregister))).as("nothing left to remove").isEqualTo(
                StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(condition(answer(publish(mine, "any")))).as("a publish to the node finds nothing")
                .isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
    }

    @Test
    void theMetricsCountANewDeviceOnceAndEachRegistrationItsOwnerRemoves() throws Exception {
        String unregister = "<iq xmlns='jabber:client' type='set' id='u1' from='" + ACCOUNT + "' to='" + PUSH + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='unregister-push-fcm' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='android-id'><value>" + ANDROID_ID + "</value></field>"
                + "</x></command></iq>";

        resultForm(answer(register(ACCOUNT, TOKEN, ANDROID_ID)));
        assertThat(changes).as("a new device").containsExactly("REGISTERED fcm-http-v1");
        resultForm(answer(register(ACCOUNT, TOKEN, ANDROID_ID)));
        resultForm(answer(register(ACCOUNT, "new-token-1", ANDROID_ID)));
        assertThat(changes).as("registering again, or a new token for the same device, is the same registration")
                .containsExactly("REGISTERED fcm-http-v1");
        assertThat(answer(unregister).type()).isEqualTo(Iq.RESULT);
        assertThat(changes).containsExactly("REGISTERED fcm-http-v1", "UNREGISTERED fcm-http-v1");
        assertThat(condition(answer(unregister))).isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(changes).as("nothing removed, nothing counted").hasSize(2);
        assertThat(store.count()).isZero();
    }

    @Test
    void unregisteringAGroupChatFindsNothingAndLeavesTheAccountsRegistration() throws Exception {
        String node = resultForm(answer(register(ACCOUNT, TOKEN, ANDROID_ID))).value("node").orElseThrow();
        // IqGenerator.unregisterChannelOnAppServer: the channel's hash and the device id.
        Iq answer = answer("<iq xmlns='jabber:client' type='set' id='u2' from='" + ACCOUNT + "' to='" + PUSH + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='unregister-push-fcm' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='channel'><value>0123456789abcdef0123456789abcdef01234567</value></field>"
                + "<field var='android-id'><value>" + ANDROID_ID + "</value></field>"
                + "</x></command></iq>");

        assertThat(condition(answer)).isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(store.findByNode(node)).isPresent();
    }

    @Test
    void groupChatRegistrationsAndIncompleteFormsAreRefused() throws Exception {
        String muc = register(ACCOUNT, TOKEN, ANDROID_ID).replace("</x>",
                "<field var='muc'><value>room@conference.jabber.de</value></field></x>");
        assertThat(condition(answer(muc))).isEqualTo(StanzaError.Condition.FEATURE_NOT_IMPLEMENTED);
        assertThat(condition(answer(register(ACCOUNT, TOKEN, " ")))).isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(condition(answer(register(ACCOUNT, " ", ANDROID_ID)))).isEqualTo(
                StanzaError.Condition.BAD_REQUEST);
        assertThat(store.count()).isZero();
    }

    @Test
    void aFormWithTwoTokensOrAFieldWithoutVarIsABadRequest() throws Exception {
        String twoTokens = register(ACCOUNT, TOKEN, ANDROID_ID).replace("</x>",
                "<field var='token'><value>another-token</value></field></x>");
        String withoutVar = register(ACCOUNT, TOKEN, ANDROID_ID).replace("</x>",
                "<field><value>stray</value></field></x>");

        assertThat(condition(answer(twoTokens))).as("XEP-0004 §3.2: var names one field of the form, so which "
                + "token to register is not for the app server to guess").isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(condition(answer(withoutVar))).as("XEP-0004 §3.2: every field but a fixed one has a var")
                .isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(store.count()).isZero();
    }

    @Test
    void registrationsCountAgainstTheAccountsRateAsRegisterDeviceDoes() throws Exception {
        for (int i = 0; i < REGISTRATIONS_PER_MINUTE; i++) {
            resultForm(answer(register(ACCOUNT, TOKEN, "device-" + i)));
        }

        Iq refused = answer(register(ACCOUNT, TOKEN, "device-x"));

        assertThat(condition(refused)).as("registrations-per-minute holds for register-push-fcm too")
                .isEqualTo(StanzaError.Condition.POLICY_VIOLATION);
        assertThat(refused.error().orElseThrow().type()).isEqualTo(StanzaError.Type.WAIT);
        assertThat(store.count()).isEqualTo(REGISTRATIONS_PER_MINUTE);
        resultForm(answer(register("romeo@montague.lit/phone", TOKEN, ANDROID_ID)));
    }

    @Test
    void aDeadTokenRemovesTheRegistrationAndLaterPublishesAreItemNotFound() throws Exception {
        DataForm form = resultForm(answer(register(ACCOUNT, TOKEN, ANDROID_ID)));
        String node = form.value("node").orElseThrow();
        String secret = form.value("secret").orElseThrow();
        fcm.enqueue(FakeFcmServer.Reply.unregistered());

        assertThat(condition(answer(publish(node, secret)))).as("p2 answers a device FCM no longer knows so")
                .isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(store.findByNode(node)).as("the dead registration is gone").isEmpty();
        long sent = fcm.messageCount();
        assertThat(condition(answer(publish(node, secret)))).isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(fcm.messageCount()).as("the next publish is answered without calling FCM").isEqualTo(sent);
    }
}
