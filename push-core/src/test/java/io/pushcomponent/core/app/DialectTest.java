package io.pushcomponent.core.app;

import static io.pushcomponent.core.app.AppServerFixture.CODEC;
import static io.pushcomponent.core.app.AppServerFixture.JULIET;
import static io.pushcomponent.core.app.AppServerFixture.PUSH;
import static io.pushcomponent.core.app.AppServerFixture.answer;
import static io.pushcomponent.core.app.AppServerFixture.call;
import static io.pushcomponent.core.app.AppServerFixture.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.Summary;
import io.pushcomponent.core.dialect.AppServerContext;
import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.dialect.Dialect;
import io.pushcomponent.core.dialect.DialectCommand;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.disco.DiscoInfo;
import io.pushcomponent.core.xml.disco.DiscoItems;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.testkit.FakePushProvider;
import io.pushcomponent.testkit.FakePushProvider.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The app-server half of the dialect SPI as the next dialects need it: a registration command of another app server
 * (with its own fields), an IQ the core does not serve, a stateless publish whose node is the device token, and a
 * notification sent as a message.
 */
class DialectTest {
    private static final String SERVER = "capulet.example";
    private static final String COMMAND = "register-push-test";

    private final AppServerFixture.CountingStore store = new AppServerFixture.CountingStore();
    private final FakePushProvider provider = new FakePushProvider();
    private final PushAppServer server = PushAppServer.builder().jid(PUSH).store(store)
            .provider("fcm-http-v1", provider).dialect(new TestDialect()).build();

    @AfterEach
    void close() {
        server.close();
    }

    /** Registers {@code token} (its field) for the sender through the store, as another app server's command would. */
    private static final class RegisterCommand implements DialectCommand {
        @Override
        public String node() {
            return COMMAND;
        }

        @Override
        public String title() {
            return "Register (test dialect)";
        }

        @Override
        public CompletionStage<List<Stanza>> execute(Iq request, Command command, AppServerContext context) {
            String token = command.form().flatMap(f -> f.value("token")).orElse(null);
            if (token == null) {
                return CompletableFuture.completedFuture(List.of(request.errorReply(
                        StanzaError.of(StanzaError.Condition.BAD_REQUEST, "token is required"))));
            }
            String owner = request.from().substring(0, request.from().indexOf('/'));
            return CompletableFuture.supplyAsync(() -> context.store().register(new DeviceRegistration("n-" + token,
                    new Device("fcm-http-v1", token, null, null, false), owner, null, Instant.now())),
                    context.executor()).thenApply(stored -> List.of(request.resultReply(new Command().node(COMMAND)
                    .status(Command.COMPLETED).form(DataForm.result(null).field("node", stored.node())))));
        }
    }

    private static final class TestDialect implements Dialect, AppServerDialect {
        @Override
        public String id() {
            return "test";
        }

        @Override
        public AppServerDialect appServer() {
            return this;
        }

        @Override
        public List<DialectCommand> commands() {
            return List.of(new RegisterCommand());
        }

        @Override
        public Optional<CompletionStage<List<Stanza>>> handle(Stanza stanza, AppServerContext context) {
            if (stanza instanceof Iq iq && iq.payload().orElse(null) instanceof Element e
                    && "test:register".equals(e.getNamespaceURI())) {
                return Optional.of(CompletableFuture.completedFuture(List.of(iq.resultReply())));
            }
            if (stanza instanceof Iq iq && iq.payload().orElse(null) instanceof PubSub pubsub
                    && pubsub.publishOptions().flatMap(f -> f.value("stateless")).isPresent()) {
                String token = pubsub.publish().orElseThrow().node();
                DeviceRegistration stateless = new DeviceRegistration(token, new Device("fcm-http-v1", token, null,
                        null, false), iq.from(), null, Instant.now());
                return Optional.of(context.deliver(iq, stateless, PushRequest.message(stateless.device(),
                        stateless.owner(), Summary.EMPTY)));
            }
            if (stanza instanceof Message message && message.from() != null) {
                return Optional.of(CompletableFuture.completedFuture(List.of(Message.of(context.jid(),
                        message.from(), new DiscoInfo()))));
            }
            return Optional.empty();
        }
    }

    @Test
    void aDialectsCommandIsListedDescribedAndRunWithTheAppServersStore() {
        DiscoItems items = answer(server, Iq.get(PUSH, new DiscoItems().node(Namespaces.COMMANDS)).from(JULIET))
                .extension(DiscoItems.class).orElseThrow();
        DiscoInfo info = answer(server, Iq.get(PUSH, new DiscoInfo().node(COMMAND)).from(JULIET))
                .extension(DiscoInfo.class).orElseThrow();
        Iq done = answer(server, Iq.set(PUSH, Command.request(COMMAND, Command.EXECUTE)
                .form(DataForm.submit(null).field("token", "tok-1"))).from(JULIET));

        assertThat(items.items()).extracting(DiscoItems.Item::node)
                .as("listed after the core's registration commands, before the owners' and administrators'")
                .containsExactly("register-device", "unregister-device", COMMAND, "push-diagnostics");
        assertThat(info.features()).as("its node answers disco#info").contains(Namespaces.COMMANDS);
        assertThat(done.extension(Command.class).orElseThrow().status()).isEqualTo(Command.COMPLETED);
        assertThat(store.delegate.findByNode("n-tok-1")).as("it stored through the context")
                .hasValueSatisfying(r -> assertThat(r.owner()).isEqualTo("juliet@capulet.example"));
    }

    @Test
    void aDialectsCommandStillGetsTheCoresChecksOfSenderAndAction() {
        StanzaError noSender = error(answer(server, Iq.set(PUSH, Command.request(COMMAND, Command.EXECUTE))));
        StanzaError badAction = error(answer(server, Iq.set(PUSH, Command.request(COMMAND, "jump")).from(JULIET)));

        assertThat(noSender.condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(badAction.condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST);
    }

    @Test
    void anIqTheCoreDoesNotServeGoesToTheDialectFirst() throws Exception {
        Iq registered = answer(server, CODEC.read("<iq type='set' id='u1' from='" + JULIET + "' to='" + PUSH
                + "'><register xmlns='test:register' application='a' instance='i'/></iq>"));
        Iq other = answer(server, CODEC.read("<iq type='set' id='u2' from='" + JULIET + "' to='" + PUSH
                + "'><register xmlns='test:other'/></iq>"));

        assertThat(registered.type()).as("the dialect answered").isEqualTo(Iq.RESULT);
        assertThat(error(other).condition()).as("what no dialect takes, the core refuses as before")
                .isEqualTo(StanzaError.Condition.SERVICE_UNAVAILABLE);
    }

    @Test
    void aDialectDeliversAStatelessPublishAndGetsThePublishAnswers() {
        provider.enqueue(Outcome.result(DeliveryResult.Rejected.of(RejectionReason.INVALID_TOKEN, "gone")));
        PubSub pubsub = PubSub.publish("device-token-1", null)
                .publishOptions(DataForm.submit(Namespaces.PUBSUB_PUBLISH_OPTIONS).field("stateless", "1"));

        List<Stanza> dead = call(server, Iq.set(PUSH, pubsub).from(SERVER).id("s1"));
        List<Stanza> delivered = call(server, Iq.set(PUSH, pubsub).from(SERVER).id("s2"));

        assertThat(provider.requests()).extracting(r -> r.device().token())
                .as("no registration: the node is the token").containsExactly("device-token-1", "device-token-1");
        assertThat(error((Iq) dead.get(0)).condition()).as("a dead token is answered as a publish is")
                .isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(((Iq) delivered.get(0)).type()).isEqualTo(Iq.RESULT);
    }

    @Test
    void aMessageToTheServiceGoesToTheDialect() {
        List<Stanza> out = call(server, new Message().from(SERVER).to(PUSH).body("notification"));

        assertThat(out).as("the dialect's answer to a message").hasSize(1);
        assertThat(out.get(0).to()).isEqualTo(SERVER);
    }

    @Test
    void twoDialectCommandsWithOneNodeAreAnError() {
        Dialect clash = new Dialect() {
            @Override
            public String id() {
                return "clash";
            }

            @Override
            public AppServerDialect appServer() {
                return new AppServerDialect() {
                    @Override
                    public List<DialectCommand> commands() {
                        return List.of(new RegisterCommand());
                    }
                };
            }
        };

        assertThatThrownBy(() -> PushAppServer.builder().jid(PUSH).store(store).provider("fcm-http-v1", provider)
                .dialect(new TestDialect()).dialect(clash).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the command node '" + COMMAND + "' is claimed twice");
    }
}
