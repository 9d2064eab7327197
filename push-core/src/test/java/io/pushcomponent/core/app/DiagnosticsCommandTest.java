package io.pushcomponent.core.app;

import static io.pushcomponent.core.app.AppServerFixture.JULIET;
import static io.pushcomponent.core.app.AppServerFixture.PUSH;
import static io.pushcomponent.core.app.AppServerFixture.answer;
import static io.pushcomponent.core.app.AppServerFixture.command;
import static io.pushcomponent.core.app.AppServerFixture.error;
import static io.pushcomponent.core.app.AppServerFixture.register;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.api.store.RegistrationStoreException;
import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.testkit.FakePushProvider;
import io.pushcomponent.testkit.FakePushProvider.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-registration delivery diagnostics: every publish's outcome is gathered in memory, written to the store only in
 * batches (a flush), and a device owner reads their own registrations' diagnostics with {@code push-diagnostics}.
 */
class DiagnosticsCommandTest {
    private static final String SERVER = "capulet.example";
    private static final String ROMEO = "romeo@montague.example/orchard";

    private final AppServerFixture.CountingStore store = new AppServerFixture.CountingStore();
    private final FakePushProvider provider = new FakePushProvider();
    /** A flush interval no test reaches: flushes happen when a test asks for them. */
    private final PushAppServer server = PushAppServer.builder().jid(PUSH).store(store)
            .provider("fcm-http-v1", provider).providerTimeout(Duration.ofMillis(500))
            .diagnosticsFlushInterval(Duration.ofHours(1)).build();

    @AfterEach
    void close() {
        server.close();
    }

    private Iq publish(String node) {
        DataForm form = DataForm.submit(Namespaces.PUSH_SUMMARY).field("message-count", "1");
        return answer(server, Iq.set(PUSH, PubSub.publish(node, Notification.of(form))).from(SERVER));
    }

    /** The owner's diagnostics, one map of field values per registration. */
    private List<Map<String, String>> diagnosticsOf(String owner) {
        Iq answer = answer(server, command(owner, Command.request(OperatorCommands.DIAGNOSTICS, Command.EXECUTE)));
        assertThat(answer.type()).as("push-diagnostics answers: %s", answer.error()).isEqualTo(Iq.RESULT);
        Command result = answer.extension(Command.class).orElseThrow();
        assertThat(result.status()).as("one step").isEqualTo(Command.COMPLETED);
        DataForm form = result.form().orElseThrow();
        assertThat(form.type()).isEqualTo(DataForm.RESULT);
        assertThat(form.reported()).extracting(DataForm.Field::var).as("XEP-0004 reported columns")
                .contains("provider", "created", "last-success", "last-failure", "failure-reason",
                        "failure-condition", "successes", "failures");
        return rows(form);
    }

    static List<Map<String, String>> rows(DataForm form) {
        return form.items().stream().map(fields -> {
            Map<String, String> row = new LinkedHashMap<>();
            fields.forEach(f -> row.put(f.var(), f.value().orElse("")));
            return row;
        }).toList();
    }

    @Test
    void theOwnerSeesTheLastSuccessAndAfterARejectionTheLastFailureWithReasonAndCondition() {
        Instant before = Instant.now();
        String node = register(server, JULIET, "fcm-http-v1", "token-juliet").value("node").orElseThrow();
        assertThat(diagnosticsOf(JULIET)).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("provider", "fcm-http-v1").containsEntry("node", node)
                    .containsEntry("successes", "0").containsEntry("failures", "0")
                    .containsEntry("last-success", "").containsEntry("last-failure", "");
            assertThat(row.get("token")).as("the token only shortened").doesNotContain("token-juliet");
        });

        assertThat(publish(node).type()).isEqualTo(Iq.RESULT);
        Map<String, String> afterSuccess = diagnosticsOf(JULIET).get(0);
        assertThat(afterSuccess).containsEntry("successes", "1").containsEntry("failures", "0");
        assertThat(Instant.parse(afterSuccess.get("last-success"))).isAfterOrEqualTo(before);

        provider.enqueue(Outcome.rejected(RejectionReason.PAYLOAD_TOO_LARGE));
        StanzaError answered = error(publish(node));
        Map<String, String> afterFailure = diagnosticsOf(JULIET).get(0);
        assertThat(afterFailure).as("the failure's reason and the condition the publisher got")
                .containsEntry("successes", "1").containsEntry("failures", "1")
                .containsEntry("failure-reason", "PAYLOAD_TOO_LARGE")
                .containsEntry("failure-condition", answered.type().xmlName() + "/"
                        + answered.condition().xmlName())
                .containsEntry("last-success", afterSuccess.get("last-success"));
        assertThat(afterFailure.get("failure-condition")).isEqualTo("wait/not-acceptable");
        assertThat(Instant.parse(afterFailure.get("last-failure")))
                .isAfterOrEqualTo(Instant.parse(afterSuccess.get("last-success")));
    }

    @Test
    void anOwnerSeesOnlyTheirOwnRegistrations() {
        register(server, JULIET, "fcm-http-v1", "token-juliet");
        String romeos = register(server, ROMEO, "fcm-http-v1", "token-romeo").value("node").orElseThrow();

        assertThat(diagnosticsOf("juliet@capulet.example/other-device")).extracting(row -> row.get("node"))
                .as("any resource of the account; never another account's node").hasSize(1).doesNotContain(romeos);
        assertThat(diagnosticsOf("nurse@capulet.example")).as("an account without registrations").isEmpty();
    }

    @Test
    void publishesAreNotWrittenOneByOneButInOneBatchPerFlush() {
        String node = register(server, JULIET, "fcm-http-v1", "token-juliet").value("node").orElseThrow();
        for (int i = 0; i < 20; i++) {
            publish(node);
        }

        assertThat(store.delegate.diagnostics(List.of(node)).get(node)).as("nothing written per publish")
                .isEqualTo(DeliveryDiagnostics.NONE);
        assertThat(diagnosticsOf(JULIET).get(0)).as("the owner sees what was gathered all the same")
                .containsEntry("successes", "20");

        assertThat(server.flushDiagnostics()).as("one registration's diagnostics written").isEqualTo(1);
        assertThat(store.delegate.diagnostics(List.of(node)).get(node).successes()).isEqualTo(20);
        assertThat(diagnosticsOf(JULIET).get(0)).as("nothing counted twice after the flush")
                .containsEntry("successes", "20");
        assertThat(server.flushDiagnostics()).as("nothing left to write").isZero();
    }

    @Test
    void aFailedFlushKeepsTheDiagnosticsForTheNextOne() {
        String node = register(server, JULIET, "fcm-http-v1", "token-juliet").value("node").orElseThrow();
        publish(node);
        store.failure = new RegistrationStoreException("database down");
        assertThat(server.flushDiagnostics()).isZero();
        store.failure = null;
        publish(node);

        assertThat(server.flushDiagnostics()).isEqualTo(1);
        assertThat(store.delegate.diagnostics(List.of(node)).get(node).successes())
                .as("the failed flush's changes and the later one").isEqualTo(2);
    }

    @Test
    void closingTheServerWritesWhatIsLeft() {
        String node = register(server, JULIET, "fcm-http-v1", "token-juliet").value("node").orElseThrow();
        provider.enqueue(Outcome.failed(new java.io.IOException("connection refused")));
        error(publish(node));

        server.close();

        DeliveryDiagnostics written = store.delegate.diagnostics(List.of(node)).get(node);
        assertThat(written.failures()).isEqualTo(1);
        assertThat(written.lastFailureReason()).as("a provider that cannot be reached").isEqualTo("unreachable");
        assertThat(written.lastFailureCondition()).isEqualTo("wait/internal-server-error");
    }

    @Test
    void aProviderThatDoesNotAnswerInTimeIsATimeout() {
        String node = register(server, JULIET, "fcm-http-v1", "token-juliet").value("node").orElseThrow();
        provider.enqueue(Outcome.never());
        error(publish(node));

        assertThat(diagnosticsOf(JULIET).get(0)).containsEntry("failure-reason", "timeout")
                .containsEntry("failures", "1");
    }

    @Test
    void theDiagnosticsCommandIsListedForEveryAccount() {
        Iq items = answer(server, Iq.get(PUSH, new io.pushcomponent.core.xml.disco.DiscoItems()
                .node(Namespaces.COMMANDS)).from(JULIET));
        assertThat(items.extension(io.pushcomponent.core.xml.disco.DiscoItems.class).orElseThrow().items())
                .extracting(io.pushcomponent.core.xml.disco.DiscoItems.Item::node)
                .contains(OperatorCommands.DIAGNOSTICS)
                .noneMatch(node -> node.startsWith("push-admin#"));
    }
}
