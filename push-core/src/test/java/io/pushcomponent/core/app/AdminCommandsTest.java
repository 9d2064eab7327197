package io.pushcomponent.core.app;

import static io.pushcomponent.core.app.AppServerFixture.JULIET;
import static io.pushcomponent.core.app.AppServerFixture.PUSH;
import static io.pushcomponent.core.app.AppServerFixture.answer;
import static io.pushcomponent.core.app.AppServerFixture.command;
import static io.pushcomponent.core.app.AppServerFixture.error;
import static io.pushcomponent.core.app.AppServerFixture.register;
import static io.pushcomponent.core.app.DiagnosticsCommandTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.disco.DiscoInfo;
import io.pushcomponent.core.xml.disco.DiscoItems;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.testkit.FakePushProvider;
import io.pushcomponent.testkit.FakePushProvider.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The administrators' ad-hoc commands in the style of XEP-0133: only configured admin JIDs may run (and see) them;
 * list registrations by owner, remove by owner, node or token, counts per provider, a test push; every action logged
 * without the token.
 */
class AdminCommandsTest {
    private static final String ADMIN = "ops@capulet.example";
    private static final String ROMEO = "romeo@montague.example/orchard";
    private static final String TOKEN = "fcm-token-of-juliet-0123456789";

    private final AppServerFixture.CountingStore store = new AppServerFixture.CountingStore();
    private final FakePushProvider provider = new FakePushProvider();
    private final PushAppServer server = PushAppServer.builder().jid(PUSH).store(store)
            .provider("fcm-http-v1", provider).provider("apns", new FakePushProvider())
            .providerTimeout(Duration.ofMillis(500)).admins(List.of("OPS@capulet.example")).build();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger adminLog = (Logger) LoggerFactory.getLogger(Administration.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        adminLog.addAppender(logs);
    }

    @AfterEach
    void close() {
        adminLog.detachAppender(logs);
        server.close();
    }

    private Iq run(String from, String node, DataForm form) {
        Command request = Command.request(node, Command.EXECUTE);
        if (form != null) {
            request.form(form);
        }
        return answer(server, command(from, request));
    }

    private DataForm completed(Iq answer) {
        assertThat(answer.type()).as("answered: %s", answer.error()).isEqualTo(Iq.RESULT);
        Command result = answer.extension(Command.class).orElseThrow();
        assertThat(result.status()).isEqualTo(Command.COMPLETED);
        return result.form().orElseThrow();
    }

    private static DataForm form(String... varsAndValues) {
        DataForm form = DataForm.submit(null);
        for (int i = 0; i < varsAndValues.length; i += 2) {
            form.field(varsAndValues[i], varsAndValues[i + 1]);
        }
        return form;
    }

    private List<String> logLines() {
        synchronized (logs) {
            return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Test
    void onlyAdministratorsMayRunOrSeeTheAdminCommands() {
        for (String node : List.of(OperatorCommands.LIST, OperatorCommands.REMOVE, OperatorCommands.COUNTS,
                OperatorCommands.TEST_PUSH)) {
            StanzaError refused = error(run(JULIET, node, null));
            assertThat(refused.condition()).as(node).isEqualTo(StanzaError.Condition.FORBIDDEN);
            assertThat(refused.type()).isEqualTo(StanzaError.Type.AUTH);
        }
        Iq forJuliet = answer(server, Iq.get(PUSH, new DiscoItems().node(Namespaces.COMMANDS)).from(JULIET));
        Iq forAdmin = answer(server, Iq.get(PUSH, new DiscoItems().node(Namespaces.COMMANDS))
                .from(ADMIN + "/laptop"));
        assertThat(forJuliet.extension(DiscoItems.class).orElseThrow().items()).extracting(DiscoItems.Item::node)
                .doesNotContain(OperatorCommands.LIST, OperatorCommands.REMOVE, OperatorCommands.COUNTS,
                        OperatorCommands.TEST_PUSH);
        assertThat(forAdmin.extension(DiscoItems.class).orElseThrow().items()).extracting(DiscoItems.Item::node)
                .as("an admin (any resource, any case in the configuration) sees them")
                .contains(OperatorCommands.LIST, OperatorCommands.REMOVE, OperatorCommands.COUNTS,
                        OperatorCommands.TEST_PUSH, OperatorCommands.DIAGNOSTICS);
        Iq info = answer(server, Iq.get(PUSH, new DiscoInfo().node(OperatorCommands.COUNTS)).from(ADMIN));
        assertThat(info.type()).isEqualTo(Iq.RESULT);
        assertThat(error(answer(server, Iq.get(PUSH, new DiscoInfo().node(OperatorCommands.COUNTS)).from(JULIET)))
                .condition()).isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
    }

    @Test
    void listsAnAccountsRegistrationsInTwoStepsAsXep0050Describes() {
        String node = register(server, JULIET, "fcm-http-v1", TOKEN).value("node").orElseThrow();
        register(server, ROMEO, "fcm-http-v1", "fcm-token-of-romeo-0123456789");

        Iq first = run(ADMIN, OperatorCommands.LIST, null);
        Command step = first.extension(Command.class).orElseThrow();
        assertThat(step.status()).isEqualTo(Command.EXECUTING);
        assertThat(step.form().orElseThrow().field("accountjid")).isPresent();
        Command submit = new Command().node(OperatorCommands.LIST).sessionId(step.sessionId())
                .action(Command.COMPLETE).form(form("accountjid", "Juliet@Capulet.example"));
        DataForm result = completed(answer(server, command(ADMIN, submit)));

        assertThat(rows(result)).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("owner", "juliet@capulet.example").containsEntry("node", node)
                .containsEntry("provider", "fcm-http-v1").doesNotContainValue(TOKEN));
        assertThat(logLines()).anyMatch(line -> line.contains(ADMIN) && line.contains("list registrations of "
                + "juliet@capulet.example") && line.contains("1 registrations"));
    }

    @Test
    void removesByOwnerByNodeAndByTokenLoggingWhoWhatAndHowManyWithoutTheToken() {
        register(server, JULIET, "fcm-http-v1", TOKEN);
        register(server, JULIET, "fcm-http-v1", "fcm-token-second-device-0123");
        String romeoNode = register(server, ROMEO, "fcm-http-v1", "fcm-token-of-romeo-0123456789").value("node")
                .orElseThrow();
        register(server, ROMEO, "fcm-http-v1", TOKEN);
        register(server, "mercutio@verona.example", "apns", "abcdef0123456789");

        assertThat(rows(completed(run(ADMIN, OperatorCommands.REMOVE, form("provider", "fcm-http-v1",
                "device-token", TOKEN))))).isEmpty();
        assertThat(store.count()).as("both accounts' registrations of the token went").isEqualTo(3);
        DataForm byNode = completed(run(ADMIN, OperatorCommands.REMOVE, form("node", romeoNode)));
        assertThat(byNode.value("removed")).contains("1");
        DataForm byOwner = completed(run(ADMIN, OperatorCommands.REMOVE, form("accountjid",
                "juliet@capulet.example/balcony")));
        assertThat(byOwner.value("removed")).contains("1");
        assertThat(store.count()).isEqualTo(1);

        assertThat(error(run(ADMIN, OperatorCommands.REMOVE, form("node", "n", "accountjid", "a@b.example")))
                .condition()).as("exactly one way to choose").isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(logLines()).anyMatch(line -> line.contains("remove the registrations of device")
                && line.contains("2 registrations"));
        assertThat(logLines()).anyMatch(line -> line.contains("remove registrations of juliet@capulet.example"));
        assertThat(logLines()).as("never the token").noneMatch(line -> line.contains(TOKEN));
    }

    @Test
    void countsRegistrationsPerProvider() {
        register(server, JULIET, "fcm-http-v1", TOKEN);
        register(server, ROMEO, "fcm-http-v1", TOKEN);
        register(server, ROMEO, "apns", "abcdef0123456789");

        List<Map<String, String>> rows = rows(completed(run(ADMIN, OperatorCommands.COUNTS, null)));

        assertThat(rows).containsExactlyInAnyOrder(Map.of("provider", "fcm-http-v1", "registrations", "2"),
                Map.of("provider", "apns", "registrations", "1"));
    }

    @Test
    void aTestPushGoesToTheNodesDeviceAndSaysWhatBecameOfIt() {
        String node = register(server, JULIET, "fcm-http-v1", TOKEN).value("node").orElseThrow();

        DataForm delivered = completed(run(ADMIN, OperatorCommands.TEST_PUSH, form("node", node)));
        assertThat(delivered.value("delivered")).contains("true");
        PushRequest push = provider.takeRequest(Duration.ofSeconds(5));
        assertThat(push.device().token()).isEqualTo(TOKEN);
        assertThat(push.summary().lastMessageBody()).isEqualTo(Administration.TEST_PUSH_BODY);

        provider.enqueue(Outcome.rejected(RejectionReason.QUOTA_EXCEEDED));
        DataForm failed = completed(run(ADMIN, OperatorCommands.TEST_PUSH, form("node", node)));
        assertThat(failed.value("delivered")).contains("false");
        assertThat(failed.value("condition")).contains("wait/resource-constraint");

        Iq unknown = run(ADMIN, OperatorCommands.TEST_PUSH, form("node", "no-such-node"));
        assertThat(unknown.extension(Command.class).orElseThrow().notes()).anyMatch(n -> n.contains("no registration"));
        assertThat(server.administration().registrations(JULIET).toCompletableFuture().join().get(0).diagnostics())
                .as("test pushes count in the diagnostics").satisfies(d -> {
                    assertThat(d.successes()).isEqualTo(1);
                    assertThat(d.failures()).isEqualTo(1);
                    assertThat(d.lastFailureReason()).isEqualTo("QUOTA_EXCEEDED");
                });
        assertThat(logLines()).anyMatch(line -> line.contains(ADMIN) && line.contains("test push")
                && line.contains("delivered"));
    }
}
