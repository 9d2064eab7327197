package io.pushcomponent.core.app;

import static io.pushcomponent.core.app.AppServerFixture.JULIET;
import static io.pushcomponent.core.app.AppServerFixture.PUSH;
import static io.pushcomponent.core.app.AppServerFixture.answer;
import static io.pushcomponent.core.app.AppServerFixture.call;
import static io.pushcomponent.core.app.AppServerFixture.command;
import static io.pushcomponent.core.app.AppServerFixture.register;
import static io.pushcomponent.core.app.AppServerFixture.registerForm;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.metrics.PublishOutcome;
import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.api.metrics.RegistrationChange;
import io.pushcomponent.api.metrics.SendOutcome;
import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.testkit.FakePushProvider;
import io.pushcomponent.testkit.FakePushProvider.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics listener hears every publish with its outcome, the condition answered, the provider and the rejection
 * reason; every provider send; every registration change; and nothing that names a token, a node or a JID.
 */
class MetricsListenerTest {
    private static final String TOKEN = "device-token-0123456789";

    /** Records each call as one line of its arguments (latencies checked for sign, then left out). */
    private static final class Recording implements PushMetricsListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void publishAnswered(PublishOutcome outcome, String condition, String providerId,
                                    RejectionReason rejection, long latencyNanos) {
            assertThat(latencyNanos).isNotNegative();
            events.add("publish " + outcome + " " + condition + " " + providerId + " " + rejection);
        }

        @Override
        public void providerSent(String providerId, SendOutcome outcome, RejectionReason rejection,
                                 long latencyNanos) {
            assertThat(latencyNanos).isNotNegative();
            events.add("send " + providerId + " " + outcome + " " + rejection);
        }

        @Override
        public void registrationChanged(RegistrationChange change, String providerId) {
            events.add("registration " + change + " " + providerId);
        }
    }

    private final Recording metrics = new Recording();
    private final FakePushProvider provider = new FakePushProvider();
    private final PushAppServer server = PushAppServer.builder().jid(PUSH).store(new AppServerFixture.CountingStore())
            .provider("fcm-http-v1", provider).providerTimeout(Duration.ofMillis(500)).metrics(metrics).build();

    @AfterEach
    void close() {
        server.close();
    }

    private static Iq publish(String node) {
        return Iq.set(PUSH, PubSub.publish(node, Notification.of(DataForm.submit(Namespaces.PUSH_SUMMARY)
                .field("message-count", "1")))).from("capulet.example");
    }

    @Test
    void aDeliveredPublishAndItsSendAreHeard() {
        String node = register(server, JULIET, "fcm-http-v1", TOKEN).value("node").orElseThrow();
        answer(server, publish(node));

        assertThat(metrics.events).containsExactly("registration REGISTERED fcm-http-v1",
                "send fcm-http-v1 DELIVERED null", "publish DELIVERED null fcm-http-v1 null");
    }

    @Test
    void aPublishToAnUnknownNodeIsRefusedWithItsConditionAndNoProvider() {
        answer(server, publish("no-such-node"));

        assertThat(metrics.events).containsExactly("publish REFUSED item-not-found null null");
    }

    @Test
    void aDeadTokenIsHeardAsDeviceGoneWithTheReasonAndTheRegistrationRemoval() {
        String node = register(server, JULIET, "fcm-http-v1", TOKEN).value("node").orElseThrow();
        provider.enqueue(Outcome.rejected(RejectionReason.INVALID_TOKEN));
        assertThat(call(server, publish(node))).as("the error answer and the remote-disabling message").hasSize(2);

        assertThat(metrics.events).containsExactly("registration REGISTERED fcm-http-v1",
                "send fcm-http-v1 REJECTED INVALID_TOKEN", "registration REMOVED_DEVICE_GONE fcm-http-v1",
                "publish DEVICE_GONE item-not-found fcm-http-v1 INVALID_TOKEN");
    }

    @Test
    void aRejectionThatKeepsTheDeviceAndAFailureAreHeard() {
        String node = register(server, JULIET, "fcm-http-v1", TOKEN).value("node").orElseThrow();
        provider.enqueue(Outcome.rejected(RejectionReason.QUOTA_EXCEEDED));
        provider.enqueue(Outcome.failed(new IOException("connection refused")));
        answer(server, publish(node));
        answer(server, publish(node));

        assertThat(metrics.events).containsExactly("registration REGISTERED fcm-http-v1",
                "send fcm-http-v1 REJECTED QUOTA_EXCEEDED", "publish REJECTED resource-constraint fcm-http-v1 "
                        + "QUOTA_EXCEEDED",
                "send fcm-http-v1 FAILED null", "publish FAILED internal-server-error fcm-http-v1 null");
    }

    @Test
    void registeringAgainIsNotANewRegistrationAndUnregisteringIsHeard() {
        register(server, JULIET, "fcm-http-v1", TOKEN);
        register(server, JULIET, "fcm-http-v1", TOKEN);
        Iq done = answer(server, command(JULIET, Command.request("unregister-device", Command.EXECUTE)
                .form(registerForm("fcm-http-v1", TOKEN))));
        assertThat(done.type()).isEqualTo(Iq.RESULT);

        assertThat(metrics.events).containsExactly("registration REGISTERED fcm-http-v1",
                "registration UNREGISTERED fcm-http-v1");
    }
}
