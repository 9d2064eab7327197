package io.pushcomponent.provider.apns;

import static io.pushcomponent.provider.apns.ApnsTestSupport.BUNDLE;
import static io.pushcomponent.provider.apns.ApnsTestSupport.TOKEN;
import static io.pushcomponent.provider.apns.ApnsTestSupport.VOIP_TOKEN;
import static io.pushcomponent.provider.apns.ApnsTestSupport.WAIT;
import static io.pushcomponent.provider.apns.ApnsTestSupport.provider;
import static io.pushcomponent.provider.apns.ApnsTestSupport.sendAndWait;
import static io.pushcomponent.provider.apns.ApnsTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.Summary;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.provider.apns.ApnsTestSupport.Auth;
import io.pushcomponent.testkit.apns.FakeApnsServer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the provider tells the app server when APNs refuses a VoIP push: the second token failed, not the device (the
 * whole second-token attack runs in push-tigase-adapter's {@code SecondTokenAttackTest}, where Tigase's call
 * notifications exist), and tokens that cannot be APNs tokens are refused at registration.
 */
class SecondTokenRejectionTest {
    private static final String PUSH = "push.example.net";
    private static final String GARBAGE_VOIP = "00".repeat(32);

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

    private void start() {
        apns = FakeApnsServer.startValidating().addDeviceToken(BUNDLE, TOKEN)
                .addDeviceToken(BUNDLE + ".voip", VOIP_TOKEN);
        provider = provider(settings(apns, Auth.TOKEN));
        store = Stores.inMemoryDeviceStore();
        appServer = PushAppServer.builder().jid(PUSH).store(store).provider("apns", provider).build();
    }

    private List<String> handle(String xml) {
        try {
            return appServer.handleXml(xml).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the app server did not answer in time", e);
        }
    }

    private DeliveryResult call(String voipToken) {
        return sendAndWait(provider, new PushRequest(new Device("apns", TOKEN, voipToken, null, false),
                "mallory@evil.example", Summary.EMPTY, PushKind.CALL, PushPriority.HIGH, null, null));
    }

    @Test
    void aVoipTokenApnsDoesNotKnowIsReportedAsTheSecondTokenNotTheDevice() {
        start();

        DeliveryResult.Rejected rejected = (DeliveryResult.Rejected) call(GARBAGE_VOIP);

        assertThat(apns.takeRejection(WAIT).reason()).as("what the validating APNs says for a token of no topic")
                .isEqualTo("DeviceTokenNotForTopic");
        assertThat(rejected.reason()).isEqualTo(RejectionReason.SECOND_TOKEN_INVALID);
        assertThat(rejected.reason().invalidatesDevice()).as("the ordinary token was not what failed").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"BadDeviceToken", "Unregistered", "DeviceTokenNotForTopic"})
    void everyDeadTokenAnswerToAVoipPushConcernsOnlyTheSecondToken(String reason) {
        start();
        apns.rejectNext(1, "Unregistered".equals(reason) ? FakeApnsServer.Rejection.unregistered(Instant.now())
                : FakeApnsServer.Rejection.of(reason));

        DeliveryResult.Rejected rejected = (DeliveryResult.Rejected) call(VOIP_TOKEN);

        assertThat(rejected.reason()).isEqualTo(RejectionReason.SECOND_TOKEN_INVALID);
    }

    @Test
    void theSameAnswerToAnOrdinaryPushStillMeansTheDeviceIsGone() {
        start();
        apns.rejectNext(1, FakeApnsServer.Rejection.of("BadDeviceToken"));

        DeliveryResult.Rejected rejected = (DeliveryResult.Rejected) sendAndWait(provider, PushRequest.message(
                new Device("apns", TOKEN, VOIP_TOKEN, null, false), "juliet@capulet.example",
                new Summary(1, null, "hi", null, null)));

        assertThat(rejected.reason()).isEqualTo(RejectionReason.INVALID_TOKEN);
    }

    @Test
    void tokensThatAreNotHexadecimalAreRefusedAtRegistration() {
        start();

        String reply = handle("<iq type='set' to='" + PUSH + "' from='mallory@evil.example/x' id='r'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='provider'><value>apns</value></field>"
                + "<field var='device-token'><value>" + TOKEN + "</value></field>"
                + "<field var='device-second-token'><value>garbage</value></field>"
                + "</x></command></iq>").get(0);

        assertThat(reply).containsPattern("type=[\"']modify[\"']").contains("<not-acceptable").contains("device-second-token");
        assertThat(store.count()).isZero();
    }
}
