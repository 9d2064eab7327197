package io.pushcomponent.core.app;

import static io.pushcomponent.core.app.AppServerFixture.PUSH;
import static io.pushcomponent.core.app.AppServerFixture.answer;
import static io.pushcomponent.core.app.AppServerFixture.call;
import static io.pushcomponent.core.app.AppServerFixture.command;
import static io.pushcomponent.core.app.AppServerFixture.error;
import static io.pushcomponent.core.app.AppServerFixture.register;
import static io.pushcomponent.core.app.AppServerFixture.registerForm;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.testkit.FakePushProvider.Outcome;
import io.pushcomponent.testkit.FakePushProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The attacks of one account on others, each shown failing: registering someone else's token to get it removed,
 * filling the store, exhausting command sessions, probing who registered a token, publishing without a sender.
 */
class AccountLimitsTest {
    private static final String VICTIM = "juliet@capulet.example/balcony";
    private static final String MALLORY = "mallory@evil.example/x";
    private static final String VICTIMS_TOKEN = "ab".repeat(32);

    private final AppServerFixture.CountingStore store = new AppServerFixture.CountingStore();
    private final FakePushProvider apns = new FakePushProvider();
    private PushAppServer server = PushAppServer.builder().jid(PUSH).store(store)
            .provider("apns", new HexTokensOnly(apns)).build();

    @AfterEach
    void close() {
        server.close();
    }

    /** Like APNs: tokens are hexadecimal; a call goes to the second (VoIP) token. */
    private static final class HexTokensOnly implements PushProvider {
        private final FakePushProvider delegate;

        HexTokensOnly(FakePushProvider delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<DeliveryResult> send(PushRequest request) {
            return delegate.send(request);
        }

        @Override
        public Optional<String> checkTokens(Device device) {
            boolean hex = device.token().matches("[0-9a-f]+")
                    && (device.secondToken() == null || device.secondToken().matches("[0-9a-f]+"));
            return hex ? Optional.empty() : Optional.of("an APNs token is hexadecimal");
        }

        @Override
        public void close() {
        }
    }

    private static DataForm form(String token, String secondToken) {
        DataForm form = registerForm("apns", token);
        if (secondToken != null) {
            form.field(Commands.FIELD_SECOND_TOKEN, secondToken);
        }
        return form;
    }

    private Iq registerRequest(String from, String token, String secondToken) {
        return command(from, Command.request(Commands.REGISTER, Command.EXECUTE).form(form(token, secondToken)));
    }

    private static Iq publish(String node, String from) {
        return Iq.set(PUSH, PubSub.publish(node, Notification.of(DataForm.submit(
                io.pushcomponent.core.xml.Namespaces.PUSH_SUMMARY).field("message-count", "1")))).from(from);
    }

    private String nodeOf(Iq answer) {
        assertThat(answer.type()).as("registered: %s", answer.error()).isEqualTo(Iq.RESULT);
        return answer.extension(Command.class).orElseThrow().form().orElseThrow().value("node").orElseThrow();
    }

    @Test
    void aRefusedSecondTokenUnderAnotherAccountRemovesNothingOfTheVictims() {
        String victims = nodeOf(answer(server, registerRequest(VICTIM, VICTIMS_TOKEN, "cd".repeat(32))));
        String mallorys = nodeOf(answer(server, registerRequest(MALLORY, VICTIMS_TOKEN, "00")));
        apns.enqueue(Outcome.result(
                DeliveryResult.Rejected.of(RejectionReason.SECOND_TOKEN_INVALID, "BadDeviceToken (400)")));

        List<Stanza> out = call(server, publish(mallorys, "evil.example"));

        StanzaError e = ((Iq) out.get(0)).error().orElseThrow();
        assertThat(e.type()).as("a wait error: the device itself is fine").isEqualTo(StanzaError.Type.WAIT);
        assertThat(out).as("no remote-disabling message to anybody").hasSize(1);
        assertThat(store.delegate.findByNode(victims)).as("the victim's registration is untouched")
                .get().extracting(r -> r.device().secondToken()).isEqualTo("cd".repeat(32));
        DeviceRegistration mallorysNow = store.delegate.findByNode(mallorys).orElseThrow();
        assertThat(mallorysNow.device().secondToken()).as("only the publishing registration loses its second token")
                .isNull();
        assertThat(mallorysNow.device().token()).isEqualTo(VICTIMS_TOKEN);
    }

    @Test
    void aDeadTokenUnderAnotherAccountRemovesOnlyThatAccountsRegistration() {
        String victims = nodeOf(answer(server, registerRequest(VICTIM, VICTIMS_TOKEN, null)));
        String mallorys = nodeOf(answer(server, registerRequest(MALLORY, VICTIMS_TOKEN, null)));
        apns.enqueue(Outcome.result(DeliveryResult.Rejected.of(RejectionReason.INVALID_TOKEN, "BadDeviceToken (400)")));

        List<Stanza> out = call(server, publish(mallorys, "evil.example"));

        assertThat(store.delegate.findByNode(mallorys)).isEmpty();
        assertThat(store.delegate.findByNode(victims)).as("the victim's registration stays").isPresent();
        assertThat(out.subList(1, out.size())).extracting(Stanza::to).containsExactly("mallory@evil.example");
    }

    @Test
    void aCallAfterTheSecondTokenWasDroppedGoesToTheOrdinaryToken() {
        String node = nodeOf(answer(server, registerRequest(VICTIM, VICTIMS_TOKEN, "cd".repeat(32))));
        apns.enqueue(Outcome.result(
                DeliveryResult.Rejected.of(RejectionReason.SECOND_TOKEN_INVALID, "Unregistered (410)")));
        call(server, publish(node, "capulet.example"));

        Iq second = answer(server, publish(node, "capulet.example"));

        assertThat(second.type()).isEqualTo(Iq.RESULT);
        assertThat(apns.requests().get(1).device().secondToken()).as("the cache holds the registration without it")
                .isNull();
    }

    @Test
    void tokensOutsideTheProvidersFormatAreNotAcceptableAndNotStored() {
        StanzaError e = error(answer(server, registerRequest(VICTIM, "<script>" + "x".repeat(4000), null)));
        StanzaError second = error(answer(server, registerRequest(VICTIM, VICTIMS_TOKEN, "not hex")));

        assertThat(e.type()).isEqualTo(StanzaError.Type.MODIFY);
        assertThat(e.condition()).isEqualTo(StanzaError.Condition.NOT_ACCEPTABLE);
        assertThat(e.text().orElseThrow()).contains("hexadecimal");
        assertThat(second.condition()).as("the second token is checked too")
                .isEqualTo(StanzaError.Condition.NOT_ACCEPTABLE);
        assertThat(store.count()).isZero();
        assertThat(server.refusals().invalidTokens()).isEqualTo(2);
    }

    @Test
    void anAccountOverItsRegistrationQuotaLosesItsOldestAndOthersKeepTheirs() {
        server.close();
        server = PushAppServer.builder().jid(PUSH).store(store).provider("apns", new HexTokensOnly(apns))
                .maxRegistrationsPerAccount(3).registrationsPerMinute(0).build();
        String victims = nodeOf(answer(server, registerRequest(VICTIM, VICTIMS_TOKEN, null)));
        List<String> mallorys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            mallorys.add(nodeOf((Iq) call(server, registerRequest(MALLORY, String.format("%064x", i), null)).get(0)));
        }

        assertThat(store.delegate.listByOwner("mallory@evil.example")).extracting(DeviceRegistration::node)
                .as("the 3 newest stay").containsExactlyInAnyOrderElementsOf(mallorys.subList(7, 10));
        assertThat(store.delegate.findByNode(victims)).as("another account is not affected").isPresent();
        assertThat(server.refusals().registrationsEvicted()).isEqualTo(7);
        List<Stanza> out = call(server, registerRequest(MALLORY, String.format("%064x", 10), null));
        assertThat(out.subList(1, out.size())).as("the evicted registration's owner is told (XEP-0357 §6)")
                .singleElement().isInstanceOf(Message.class).extracting(Stanza::to)
                .isEqualTo("mallory@evil.example");
    }

    @Test
    void registrationsPerMinuteAreLimitedPerAccountWithAClearWaitError() {
        server.close();
        server = PushAppServer.builder().jid(PUSH).store(store).provider("apns", new HexTokensOnly(apns))
                .registrationsPerMinute(5).build();
        for (int i = 0; i < 5; i++) {
            nodeOf(answer(server, registerRequest(MALLORY, String.format("%064x", i), null)));
        }

        StanzaError e = error(answer(server, registerRequest(MALLORY, String.format("%064x", 5), null)));

        assertThat(e.type()).as("wait: the same request succeeds later").isEqualTo(StanzaError.Type.WAIT);
        assertThat(e.condition()).isEqualTo(StanzaError.Condition.POLICY_VIOLATION);
        assertThat(e.text().orElseThrow()).contains("5 times").contains("try again in");
        assertThat(nodeOf(answer(server, registerRequest(VICTIM, VICTIMS_TOKEN, null))))
                .as("another account registers as usual").isNotBlank();
        assertThat(server.refusals().registrationsRateLimited()).isEqualTo(1);
    }

    @Test
    void oneAccountExhaustingItsCommandSessionsLeavesOthersTheirTwoStepRegistration() {
        server.close();
        server = PushAppServer.builder().jid(PUSH).store(store).provider("apns", new HexTokensOnly(apns))
                .maxSessionsPerAccount(3).maxSessions(5).build();
        for (int i = 0; i < 3; i++) {
            assertThat(answer(server, command(MALLORY + i, Command.request(Commands.REGISTER, Command.EXECUTE)))
                    .type()).isEqualTo(Iq.RESULT);
        }

        StanzaError e = error(answer(server, command(MALLORY + "-more",
                Command.request(Commands.REGISTER, Command.EXECUTE))));
        Iq first = answer(server, command(VICTIM, Command.request(Commands.REGISTER, Command.EXECUTE)));
        String session = first.extension(Command.class).orElseThrow().sessionId();
        Iq completed = answer(server, command(VICTIM, Command.request(Commands.REGISTER, Command.COMPLETE)
                .sessionId(session).form(form(VICTIMS_TOKEN, null))));

        assertThat(e.type()).isEqualTo(StanzaError.Type.WAIT);
        assertThat(e.condition()).as("the account's own limit, whatever resource it uses")
                .isEqualTo(StanzaError.Condition.POLICY_VIOLATION);
        assertThat(nodeOf(completed)).as("another account still registers in two steps").isNotBlank();
        assertThat(server.refusals().sessionsPerAccountRefused()).isEqualTo(1);
    }

    @Test
    void completedAndCancelledSessionsGiveTheAccountItsAllowanceBack() {
        server.close();
        server = PushAppServer.builder().jid(PUSH).store(store).provider("apns", new HexTokensOnly(apns))
                .maxSessionsPerAccount(1).build();
        String first = answer(server, command(VICTIM, Command.request(Commands.REGISTER, Command.EXECUTE)))
                .extension(Command.class).orElseThrow().sessionId();
        nodeOf(answer(server, command(VICTIM, Command.request(Commands.REGISTER, Command.COMPLETE)
                .sessionId(first).form(form(VICTIMS_TOKEN, null)))));
        String second = answer(server, command(VICTIM, Command.request(Commands.REGISTER, Command.EXECUTE)))
                .extension(Command.class).orElseThrow().sessionId();
        answer(server, command(VICTIM, Command.request(Commands.REGISTER, Command.CANCEL).sessionId(second)));

        Iq third = answer(server, command(VICTIM, Command.request(Commands.REGISTER, Command.EXECUTE)));

        assertThat(third.type()).as("a completed and a cancelled session no longer count").isEqualTo(Iq.RESULT);
        assertThat(server.refusals().sessionsPerAccountRefused()).isZero();
    }

    @Test
    void theServerWideSessionLimitStillAnswersResourceConstraint() {
        server.close();
        server = PushAppServer.builder().jid(PUSH).store(store).provider("apns", new HexTokensOnly(apns))
                .maxSessions(2).build();
        answer(server, command("a@example.org/x", Command.request(Commands.REGISTER, Command.EXECUTE)));
        answer(server, command("b@example.org/x", Command.request(Commands.REGISTER, Command.EXECUTE)));

        StanzaError e = error(answer(server, command("c@example.org/x",
                Command.request(Commands.REGISTER, Command.EXECUTE))));

        assertThat(e.type()).isEqualTo(StanzaError.Type.WAIT);
        assertThat(e.condition()).isEqualTo(StanzaError.Condition.RESOURCE_CONSTRAINT);
        assertThat(server.refusals().sessionsRefused()).isEqualTo(1);
    }

    @Test
    void aPublishWithoutFromIsRefusedAndNothingIsSent() {
        String node = register(server, VICTIM, "apns", VICTIMS_TOKEN).value("node").orElseThrow();

        StanzaError e = error(answer(server, publish(node, null)));

        assertThat(e.type()).isEqualTo(StanzaError.Type.MODIFY);
        assertThat(e.condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(e.text().orElseThrow()).contains("from");
        assertThat(apns.requests()).isEmpty();
        assertThat(server.refusals().publishesWithoutSender()).isEqualTo(1);
    }
}
