package io.pushcomponent.provider.apns;

import static io.pushcomponent.provider.apns.ApnsTestSupport.BUNDLE;
import static io.pushcomponent.provider.apns.ApnsTestSupport.TOKEN;
import static io.pushcomponent.provider.apns.ApnsTestSupport.VOIP_TOKEN;
import static io.pushcomponent.provider.apns.ApnsTestSupport.WAIT;
import static io.pushcomponent.provider.apns.ApnsTestSupport.json;
import static io.pushcomponent.provider.apns.ApnsTestSupport.provider;
import static io.pushcomponent.provider.apns.ApnsTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.provider.apns.ApnsTestSupport.Auth;
import io.pushcomponent.testkit.CapturedStanza;
import io.pushcomponent.testkit.ClosedPort;
import io.pushcomponent.testkit.apns.FakeApnsServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole app-server path with the real provider: Siskin registers over XEP-0050 with Tigase's provider id,
 * Prosody publishes (the captured stanza), APNs (the validating fake) answers.
 */
class AppServerWithApnsTest {
    private static final String PUSH = "push.example.net";
    private static final Pattern NODE = Pattern.compile("var=[\"']node[\"'][^>]*>\\s*<value>([^<]+)</value>");
    private static final Pattern SECRET = Pattern.compile("var=[\"']secret[\"'][^>]*>\\s*<value>([^<]+)</value>");

    /** Siskin's one-step registration: action='execute' with the filled form inside. */
    private static final String REGISTER = "<iq type='set' to='push.example.net' from='juliet@localhost/siskin' "
            + "id='reg-1'><command xmlns='http://jabber.org/protocol/commands' node='register-device' "
            + "action='execute'><x xmlns='jabber:x:data' type='submit'>"
            + "<field var='provider'><value>tigase:messenger:apns:1</value></field>"
            + "<field var='device-token'><value>" + TOKEN + "</value></field>"
            + "<field var='device-second-token'><value>" + VOIP_TOKEN + "</value></field>"
            + "</x></command></iq>";

    /** Prosody 0.12.3 + mod_cloud_notify, account offline, verbatim as captured. */
    private static final String PROSODY_PUBLISH = CapturedStanza.PROSODY_OFFLINE.xml();

    private FakeApnsServer apns;
    private PushProvider provider;
    private DeviceRegistrationStore store;
    private PushAppServer appServer;

    @AfterEach
    void tearDown() {
        if (appServer != null) {
            appServer.close();
        }
        if (provider != null) {
            provider.close();
        }
        if (apns != null) {
            apns.close();
        }
    }

    private void start(Auth auth) {
        apns = FakeApnsServer.startValidating().addDeviceToken(BUNDLE, TOKEN)
                .addDeviceToken(BUNDLE + ".voip", VOIP_TOKEN);
        provider = provider(settings(apns, auth));
        store = Stores.inMemoryDeviceStore();
        ApnsPushProviderFactory factory = new ApnsPushProviderFactory();
        appServer = PushAppServer.builder().jid(PUSH).store(store)
                .provider(factory.id(), provider, factory.aliases().toArray(String[]::new))
                .build();
    }

    /**
     * APNs refusing connections: every publish is a {@code wait} error (Prosody keeps the device), failures come at
     * once instead of queueing behind pushy's reconnect delays, and after 5 of them the app server's circuit breaker
     * answers without calling the provider.
     */
    @org.junit.jupiter.api.Test
    void whileApnsRefusesConnectionsPublishesAreWaitErrorsAndTheBreakerOpens() throws Exception {
        apns = FakeApnsServer.start();
        try (ClosedPort closed = ClosedPort.open()) {
            java.util.Map<String, Object> settings = settings(apns, Auth.TOKEN);
            settings.put(ApnsPushProviderFactory.APNS_PORT, closed.port());
            provider = provider(settings);
            store = Stores.inMemoryDeviceStore();
            ApnsPushProviderFactory factory = new ApnsPushProviderFactory();
            appServer = PushAppServer.builder().jid(PUSH).store(store)
                    .provider(factory.id(), provider, factory.aliases().toArray(String[]::new)).build();
            String publish = registerAndBuildPublish();

            for (int i = 0; i < 5; i++) {
                assertThat(handle(publish).get(0)).as("publish %d during the outage", i)
                        .containsPattern(attribute("type", "wait")).doesNotContain("cancel");
            }
            var open = appServer.handleXml(publish).toCompletableFuture();

            assertThat(open).as("the open breaker answers on the caller's thread").isDone();
            assertThat(open.get().get(0)).containsPattern(attribute("type", "wait")).contains("resource-constraint");
            assertThat(appServer.providerStatus()).singleElement()
                    .satisfies(status -> assertThat(status.isOpen()).isTrue());
        }
    }

    /** An attribute as the writer may quote it. */
    private static String attribute(String name, String value) {
        return name + "=[\"']" + value + "[\"']";
    }

    private List<String> handle(String xml) {
        try {
            return appServer.handleXml(xml).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the app server did not answer in time", e);
        }
    }

    /** Registers as Siskin does and returns Prosody's publish for the new node, with the node's secret. */
    private String registerAndBuildPublish() {
        List<String> replies = handle(REGISTER);
        assertThat(replies).as("the registration is answered once").hasSize(1);
        String result = replies.get(0);
        assertThat(result).as("the registration succeeds").containsPattern(attribute("type", "result"));
        Matcher node = NODE.matcher(result);
        assertThat(node.find()).as("the result form carries the node: %s", result).isTrue();
        Matcher secret = SECRET.matcher(result);
        String publish = PROSODY_PUBLISH.replace("push.localhost", PUSH).replace("harness-node-1", node.group(1));
        return secret.find() ? publish.replace("harness-secret-1", secret.group(1))
                : publish.replaceAll("<publish-options>.*</publish-options>", "");
    }

    @ParameterizedTest
    @EnumSource(Auth.class)
    void prosodysPublishBecomesAnApnsAlertForSiskin(Auth auth) {
        start(auth);
        String publish = registerAndBuildPublish();

        List<String> replies = handle(publish);

        assertThat(replies).hasSize(1);
        assertThat(replies.get(0)).as("the publish succeeds").containsPattern(attribute("type", "result"));
        FakeApnsServer.ReceivedNotification n = apns.takeNotification(WAIT);
        assertThat(n.token()).isEqualTo(TOKEN);
        assertThat(n.topic()).isEqualTo(BUNDLE);
        assertThat(json(n.payload()).get("body").asText()).isEqualTo("New Message!");
        assertThat(json(n.payload()).get("unread-messages").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Auth.class)
    void anUnregisteredTokenRemovesTheRegistrationAndAnswersItemNotFound(Auth auth) {
        start(auth);
        String publish = registerAndBuildPublish();
        assertThat(store.count()).isEqualTo(1);
        apns.unregisterDeviceToken(TOKEN, Instant.now().minus(1, ChronoUnit.DAYS));

        List<String> replies = handle(publish);

        assertThat(apns.takeRejection(WAIT).reason()).isEqualTo("Unregistered");
        assertThat(replies.get(0)).as("a dead token answers cancel/item-not-found so the server disables push")
                .containsPattern(attribute("type", "error")).containsPattern(attribute("type", "cancel"))
                .contains("<item-not-found");
        assertThat(store.count()).as("the registration is removed").isZero();
        assertThat(replies).as("and the owner is told (XEP-0357 remote disabling)")
                .anySatisfy(s -> assertThat(s).startsWith("<message").contains("juliet@localhost")
                        .containsPattern(attribute("affiliation", "none")));
        List<String> again = handle(publish);
        assertThat(again.get(0)).as("later publishes to the node find nothing").contains("<item-not-found");
        assertThat(apns.pollNotification(Duration.ofMillis(100))).isNull();
        assertThat(apns.rejectedCount()).as("and cost no APNs request").isEqualTo(1);
    }
}
