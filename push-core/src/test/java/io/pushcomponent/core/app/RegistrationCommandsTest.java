package io.pushcomponent.core.app;

import static io.pushcomponent.core.app.AppServerFixture.JULIET;
import static io.pushcomponent.core.app.AppServerFixture.PUSH;
import static io.pushcomponent.core.app.AppServerFixture.answer;
import static io.pushcomponent.core.app.AppServerFixture.command;
import static io.pushcomponent.core.app.AppServerFixture.error;
import static io.pushcomponent.core.app.AppServerFixture.register;
import static io.pushcomponent.core.app.AppServerFixture.registerForm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.ProviderAlias;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushProviderFactory;
import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.dialect.Dialect;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.disco.DiscoInfo;
import io.pushcomponent.core.xml.disco.DiscoItems;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.testkit.FakePushProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Service discovery and the XEP-0050 commands register-device / unregister-device. */
class RegistrationCommandsTest {
    private final AppServerFixture.CountingStore store = new AppServerFixture.CountingStore();
    private final FakePushProvider fcm = FakePushProvider.advertising(true, 4096);
    private final FakePushProvider apns = new FakePushProvider();
    /** A dialect with an alias, a disco feature and result fields from the provider's capabilities. */
    private static final Dialect DIALECT = new Dialect() {
        @Override
        public String id() {
            return "test";
        }

        @Override
        public AppServerDialect appServer() {
            return new AppServerDialect() {
                @Override
                public List<ProviderAlias> providerAliases() {
                    return List.of(new ProviderAlias("dialect:apns", "apns", "com.example:apns"),
                            new ProviderAlias("dialect:absent", "absent", "com.example:absent"));
                }

                @Override
                public List<String> discoFeatures() {
                    return List.of("test:dialect:0");
                }

                @Override
                public List<DataForm.Field> registerResultFields(DeviceRegistration registration,
                                                                 PushProvider provider) {
                    return List.of(new DataForm.Field("encrypted").values(Boolean.toString(
                            provider.acceptsEncryptedPayload())), new DataForm.Field("max-size")
                            .values(Integer.toString(provider.maxPayloadSize())));
                }
            };
        }
    };
    private final PushAppServer server = PushAppServer.builder().jid(PUSH).store(store)
            .providers(Map.of("fcm-http-v1", fcm), Map.of("fcm-http-v1", "fcm-http-v1", "fcm-alias", "fcm-http-v1",
                    "apns-alias", "apns"))
            .provider("apns", apns, "apns-alias")
            .dialect(DIALECT)
            .sessionTimeout(Duration.ofMinutes(1))
            .build();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void discoInfoAdvertisesPushCommandsFormsAndEveryProviderIdAndAlias() {
        Iq answer = answer(server, Iq.get(PUSH, new DiscoInfo()).from(JULIET));

        DiscoInfo info = answer.extension(DiscoInfo.class).orElseThrow();
        assertThat(info.identities()).as("XEP-0357 §4: identity pubsub/push")
                .anySatisfy(i -> assertThat(i.category() + "/" + i.type()).isEqualTo("pubsub/push"));
        assertThat(info.features()).as("features clients look for, one per provider id and alias (a dialect's too), "
                        + "and the dialect's features")
                .contains(Namespaces.PUSH, Namespaces.COMMANDS, Namespaces.DATA, Namespaces.PING, "fcm-http-v1", "fcm-alias",
                        "apns", "apns-alias", "dialect:apns", "test:dialect:0")
                .as("a dialect's alias of a provider that is not configured is not advertised")
                .doesNotContain("dialect:absent");
    }

    @Test
    void discoItemsOfTheCommandsNodeListsBothCommandsAndTheOwnersDiagnostics() {
        Iq answer = answer(server, Iq.get(PUSH, new DiscoItems().node(Namespaces.COMMANDS)).from(JULIET));

        assertThat(answer.extension(DiscoItems.class).orElseThrow().items())
                .extracting(DiscoItems.Item::node, DiscoItems.Item::jid)
                .as("an account that is no administrator sees no administrators' command")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("register-device", PUSH),
                        org.assertj.core.groups.Tuple.tuple("unregister-device", PUSH),
                        org.assertj.core.groups.Tuple.tuple("push-diagnostics", PUSH));
    }

    @Test
    void twoStepRegistrationReturnsAFormThenANodeAndSecret() {
        Iq first = answer(server, command(JULIET, Command.request("register-device", Command.EXECUTE)));
        Command formCommand = first.extension(Command.class).orElseThrow();
        DataForm form = formCommand.form().orElseThrow();

        assertThat(formCommand.status()).isEqualTo(Command.EXECUTING);
        assertThat(formCommand.sessionId()).as("a session id to come back with").isNotBlank();
        assertThat(form.field("provider").orElseThrow().type()).isEqualTo(DataForm.Field.LIST_SINGLE);
        assertThat(form.field("provider").orElseThrow().options()).extracting(DataForm.Option::value)
                .containsExactly("fcm-http-v1", "apns");
        assertThat(form.field("device-token").orElseThrow().required()).isTrue();
        assertThat(form.field("device-second-token")).isPresent();

        Iq second = answer(server, command(JULIET, Command.request("register-device", Command.COMPLETE)
                .sessionId(formCommand.sessionId()).form(registerForm("fcm-http-v1", "token-A"))));
        Command done = second.extension(Command.class).orElseThrow();
        DataForm result = done.form().orElseThrow();

        assertThat(done.status()).isEqualTo(Command.COMPLETED);
        assertThat(done.sessionId()).isEqualTo(formCommand.sessionId());
        assertThat(result.type()).isEqualTo(DataForm.RESULT);
        String node = result.value("node").orElseThrow();
        assertThat(node).as("node is URL-safe and carries at least 128 random bits").matches("[A-Za-z0-9_-]{22,}");
        assertThat(result.value("secret")).as("a per-registration secret").isPresent();
        assertThat(result.value("encrypted")).as("a dialect's fields, from the provider's capabilities")
                .contains("true");
        assertThat(result.value("max-size")).contains("4096");
        DeviceRegistration stored = store.delegate.findByNode(node).orElseThrow();
        assertThat(stored.owner()).as("the owner is the requester's bare JID").isEqualTo("juliet@capulet.example");
        assertThat(stored.device().token()).isEqualTo("token-A");
    }

    @Test
    void oneStepSiskinStyleAndStorkStyleWithoutActionRegisterAtOnce() {
        DataForm siskin = register(server, JULIET, "apns-alias", "apns-token");
        Iq stork = answer(server, command("romeo@montague.example/phone", Command.request("register-device", null)
                .form(registerForm("fcm-alias", "fcm-token"))));
        DataForm dialect = register(server, JULIET, "dialect:apns", "apns-token-2");

        assertThat(store.delegate.findByNode(siskin.value("node").orElseThrow()).orElseThrow().device().providerId())
                .as("an alias maps to the configured APNs provider (one step with execute)").isEqualTo("apns");
        DataForm storkResult = stork.extension(Command.class).orElseThrow().form().orElseThrow();
        assertThat(store.delegate.findByNode(storkResult.value("node").orElseThrow()).orElseThrow().device()
                .providerId()).as("one step without action; the alias maps onto fcm-http-v1").isEqualTo("fcm-http-v1");
        assertThat(store.delegate.findByNode(dialect.value("node").orElseThrow()).orElseThrow().device().providerId())
                .as("a dialect's alias maps onto its provider").isEqualTo("apns");
    }

    @Test
    void registeringTheSameDeviceAgainReturnsTheSameNodeAndAnotherAccountGetsItsOwn() {
        String first = register(server, JULIET, "fcm-http-v1", "token-B").value("node").orElseThrow();
        String again = register(server, "Juliet@Capulet.example/other", "fcm-http-v1", "token-B").value("node")
                .orElseThrow();
        String other = register(server, "nurse@capulet.example/x", "fcm-http-v1", "token-B").value("node")
                .orElseThrow();

        assertThat(again).as("same owner (bare JID, case-insensitive), provider and token: same node")
                .isEqualTo(first);
        assertThat(other).as("another account on the same device gets a node of its own").isNotEqualTo(first);
    }

    @Test
    void unknownProviderIsRefusedNamingTheAvailableIds() {
        StanzaError e = error(answer(server, command(JULIET, Command.request("register-device", Command.EXECUTE)
                .form(registerForm("apns-binary-api", "t")))));

        assertThat(e.condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(e.text().orElseThrow()).contains("apns-binary-api").contains("fcm-http-v1")
                .contains("apns-alias");
    }

    @Test
    void submittedFormWithTwoFieldsOfOneVarOrAnUnknownTypeIsABadRequestAndRegistersNothing() {
        DataForm twice = registerForm("fcm-http-v1", "first-token").add(new DataForm.Field("device-token")
                .values("second-token"));
        DataForm unknownType = registerForm("fcm-http-v1", "typed-token").type("bogus");

        StanzaError repeated = error(answer(server, command(JULIET, Command.request("register-device",
                Command.EXECUTE).form(twice))));
        StanzaError typed = error(answer(server, command(JULIET, Command.request("register-device",
                Command.EXECUTE).form(unknownType))));

        assertThat(repeated.condition()).as("XEP-0004 §3.2: a var identifies one field of the form")
                .isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(repeated.text().orElseThrow()).contains("more than one field 'device-token'");
        assertThat(typed.condition()).as("XEP-0004 §3.1: a form's type is form, submit, cancel or result")
                .isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(typed.text().orElseThrow()).contains("'bogus'");
        assertThat(List.of("first-token", "second-token", "typed-token"))
                .allSatisfy(token -> assertThat(store.delegate.findByToken("fcm-http-v1", token)).isEmpty());
    }

    @Test
    void submittedFormWithAFieldWithoutVarIsABadRequestButAFixedFieldNeedsNone() {
        StanzaError e = error(answer(server, command(JULIET, Command.request("register-device", Command.EXECUTE)
                .form(registerForm("fcm-http-v1", "token-without-var").add(new DataForm.Field(null)
                        .values("2,400 of these make a 100 KB form"))))));
        assertThat(e.condition()).as("XEP-0004 §3.2: var is required on every field but a fixed one")
                .isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(e.text().orElseThrow()).contains("no 'var'");

        DataForm withFixed = registerForm("fcm-http-v1", "token-with-fixed").add(new DataForm.Field(null)
                .type(DataForm.Field.FIXED).values("a label"));
        Iq accepted = answer(server, command(JULIET, Command.request("register-device", Command.EXECUTE)
                .form(withFixed)));
        assertThat(accepted.type()).isEqualTo(Iq.RESULT);
    }

    @Test
    void singleValuedFieldSubmittedWithTwoValuesIsABadRequestAndRegistersNothing() {
        DataForm form = DataForm.submit(null);
        form.field(Commands.FIELD_PROVIDER, "fcm-http-v1");
        form.add(new DataForm.Field(Commands.FIELD_TOKEN).values("token-one", "token-two"));

        StanzaError e = error(answer(server, command(JULIET, Command.request("register-device", Command.EXECUTE)
                .form(form))));

        assertThat(e.condition()).as("XEP-0004 §3.2: a text-single field carries at most one value; which of two"
                + " tokens is the device's cannot be guessed").isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(e.text().orElseThrow()).contains("'device-token'");
        assertThat(store.count()).as("nothing registered").isZero();
    }

    @Test
    void commandWithoutNodeIsABadRequest() {
        StanzaError e = error(answer(server, command(JULIET, Command.request(null, Command.EXECUTE))));

        assertThat(e.condition()).as("XEP-0050: a command names its node; without one the request is malformed, not"
                + " an internal error").isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(e.text().orElseThrow()).contains("no node");
    }

    @Test
    void missingDeviceTokenIsABadRequestSayingSo() {
        StanzaError e = error(answer(server, command(JULIET, Command.request("register-device", Command.EXECUTE)
                .form(registerForm("fcm-http-v1", null).field("device-second-token", "voip")))));

        assertThat(e.type()).isEqualTo(StanzaError.Type.MODIFY);
        assertThat(e.condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(e.text()).contains("the field 'device-token' is required");
    }

    @Test
    void missingProviderIsABadRequestNamingTheAvailableIds() {
        StanzaError e = error(answer(server, command(JULIET, Command.request("register-device", Command.COMPLETE)
                .form(registerForm(null, "t")))));

        assertThat(e.text().orElseThrow()).contains("'provider' is required").contains("fcm-http-v1");
    }

    @Test
    void cancelEndsTheSessionAndItCannotBeUsedAfterwards() {
        String session = answer(server, command(JULIET, Command.request("register-device", Command.EXECUTE)))
                .extension(Command.class).orElseThrow().sessionId();

        Iq canceled = answer(server, command(JULIET, Command.request("register-device", Command.CANCEL)
                .sessionId(session)));
        Iq reused = answer(server, command(JULIET, Command.request("register-device", Command.COMPLETE)
                .sessionId(session).form(registerForm("fcm-http-v1", "t"))));

        assertThat(canceled.extension(Command.class).orElseThrow().status()).isEqualTo(Command.CANCELED);
        assertThat(error(reused).applicationConditions()).as("XEP-0050 §4.6 bad-sessionid")
                .containsExactly(new QName(Namespaces.COMMANDS, "bad-sessionid"));
        assertThat(store.count()).isZero();
    }

    @Test
    void completingWithoutTheFormIsABadRequestAndKeepsTheSession() {
        String session = answer(server, command(JULIET, Command.request("register-device", Command.EXECUTE)))
                .extension(Command.class).orElseThrow().sessionId();

        StanzaError e = error(answer(server, command(JULIET, Command.request("register-device", Command.COMPLETE)
                .sessionId(session))));
        Iq retried = answer(server, command(JULIET, Command.request("register-device", Command.COMPLETE)
                .sessionId(session).form(registerForm("fcm-http-v1", "token-F"))));

        assertThat(e.text()).contains("submit the filled-in form to complete register-device");
        assertThat(retried.type()).as("the session survives a request without the form").isEqualTo(Iq.RESULT);
    }

    @Test
    void unknownSessionAndSomeoneElsesSessionAreBadSessionIds() {
        String session = answer(server, command(JULIET, Command.request("register-device", Command.EXECUTE)))
                .extension(Command.class).orElseThrow().sessionId();

        StanzaError unknown = error(answer(server, command(JULIET, Command.request("register-device",
                Command.COMPLETE).sessionId("no-such-session").form(registerForm("fcm-http-v1", "t")))));
        StanzaError stolen = error(answer(server, command("mallory@evil.example/x", Command.request(
                "register-device", Command.COMPLETE).sessionId(session).form(registerForm("fcm-http-v1", "t")))));

        assertThat(unknown.condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(unknown.applicationConditions()).containsExactly(new QName(Namespaces.COMMANDS, "bad-sessionid"));
        assertThat(stolen.applicationConditions()).as("a session belongs to the requester that opened it")
                .containsExactly(new QName(Namespaces.COMMANDS, "bad-sessionid"));
    }

    @Test
    void expiredSessionIsSessionExpired() {
        PushAppServer quick = PushAppServer.builder().jid(PUSH).store(store).provider("fcm-http-v1", fcm)
                .sessionTimeout(Duration.ofNanos(1)).build();
        try {
            String session = answer(quick, command(JULIET, Command.request("register-device", Command.EXECUTE)))
                    .extension(Command.class).orElseThrow().sessionId();

            StanzaError e = error(answer(quick, command(JULIET, Command.request("register-device",
                    Command.COMPLETE).sessionId(session).form(registerForm("fcm-http-v1", "t")))));

            assertThat(e.type()).isEqualTo(StanzaError.Type.CANCEL);
            assertThat(e.condition()).isEqualTo(StanzaError.Condition.NOT_ALLOWED);
            assertThat(e.applicationConditions()).containsExactly(new QName(Namespaces.COMMANDS, "session-expired"));
        } finally {
            quick.close();
        }
    }

    @Test
    void unknownActionIsMalformedAndPrevIsABadAction() {
        StanzaError malformed = error(answer(server, command(JULIET,
                Command.request("register-device", "jump"))));
        StanzaError prev = error(answer(server, command(JULIET, Command.request("register-device", Command.PREV))));

        assertThat(malformed.applicationConditions()).containsExactly(new QName(Namespaces.COMMANDS,
                "malformed-action"));
        assertThat(prev.applicationConditions()).containsExactly(new QName(Namespaces.COMMANDS, "bad-action"));
    }

    @Test
    void unknownCommandIsItemNotFound() {
        StanzaError e = error(answer(server, command(JULIET, Command.request("format-disk", Command.EXECUTE))));

        assertThat(e.condition()).isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(e.text().orElseThrow()).contains("register-device");
    }

    @Test
    void ownerUnregistersInTwoSteps() {
        String node = register(server, JULIET, "fcm-http-v1", "token-C").value("node").orElseThrow();
        Command form = answer(server, command(JULIET, Command.request("unregister-device", Command.EXECUTE)))
                .extension(Command.class).orElseThrow();

        Iq done = answer(server, command(JULIET, Command.request("unregister-device", Command.COMPLETE)
                .sessionId(form.sessionId()).form(registerForm("fcm-http-v1", "token-C"))));

        assertThat(done.type()).as("%s", done.error()).isEqualTo(Iq.RESULT);
        assertThat(done.extension(Command.class).orElseThrow().status()).isEqualTo(Command.COMPLETED);
        assertThat(store.delegate.findByNode(node)).as("the registration is gone").isEmpty();
    }

    @Test
    void ownerUnregistersFromAnotherResourceInOneStep() {
        String node = register(server, JULIET, "fcm-http-v1", "token-E").value("node").orElseThrow();

        Iq done = answer(server, command("juliet@capulet.example/another-resource",
                Command.request("unregister-device", null).form(registerForm("fcm-alias", "token-E"))));

        assertThat(done.type()).as("the owner is the bare JID: %s", done.error()).isEqualTo(Iq.RESULT);
        assertThat(store.delegate.findByNode(node)).isEmpty();
    }

    @Test
    void onlyTheOwnerMayUnregisterAndOthersLearnNothing() {
        String node = register(server, JULIET, "fcm-http-v1", "token-D").value("node").orElseThrow();

        StanzaError someoneElses = error(answer(server, command("mallory@evil.example/x",
                Command.request("unregister-device", Command.EXECUTE).form(registerForm("fcm-http-v1", "token-D")))));
        StanzaError unknown = error(answer(server, command("mallory@evil.example/x",
                Command.request("unregister-device", Command.EXECUTE).form(registerForm("fcm-http-v1", "token-E")))));

        assertThat(store.delegate.findByNode(node)).as("someone else's registration stays").isPresent();
        assertThat(someoneElses.type()).isEqualTo(StanzaError.Type.CANCEL);
        assertThat(someoneElses.condition()).isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(someoneElses.toString())
                .as("no oracle: another account's token is answered exactly like an unknown one")
                .isEqualTo(unknown.toString());
    }

    @Test
    void unregisteringAnUnknownDeviceIsItemNotFound() {
        StanzaError e = error(answer(server, command(JULIET, Command.request("unregister-device", Command.EXECUTE)
                .form(registerForm("fcm-http-v1", "never-registered")))));

        assertThat(e.condition()).isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
    }

    @Test
    void storeFailureDuringRegistrationIsAWaitError() {
        store.failure = new io.pushcomponent.api.store.RegistrationStoreException("database down");

        StanzaError e = error(answer(server, command(JULIET, Command.request("register-device", Command.EXECUTE)
                .form(registerForm("fcm-http-v1", "t")))));

        assertThat(e.type()).as("our trouble is temporary for the client").isEqualTo(StanzaError.Type.WAIT);
    }

    @Test
    void otherRequestsAreAnsweredTooAndResultsAreNot() {
        StanzaError empty = error(answer(server, new Iq().id("x").type(Iq.GET).from(JULIET).to(PUSH)));
        StanzaError unknown = error(answer(server, Iq.get(PUSH, new DataForm()).from(JULIET)));

        assertThat(empty.condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(unknown.condition()).isEqualTo(StanzaError.Condition.SERVICE_UNAVAILABLE);
        assertThat(AppServerFixture.call(server, new Iq().id("r").type(Iq.RESULT).from(JULIET)))
                .as("results need no answer").isEmpty();
    }

    @Test
    void providerRegistryAliasesMapOntoTheConfiguredProviders() {
        PushProviderFactory fcmFactory = new PushProviderFactory() {
            @Override
            public String id() {
                return "fcm-http-v1";
            }

            @Override
            public Set<String> aliases() {
                return Set.of("fcm-alias");
            }

            @Override
            public Set<String> settingKeys() {
                return Set.of();
            }

            @Override
            public PushProvider create(ProviderSettings settings) {
                return fcm;
            }
        };
        ProviderRegistry registry = ProviderRegistry.of(List.of(fcmFactory));
        PushAppServer fromRegistry = PushAppServer.builder().jid(PUSH).store(store)
                .providers(Map.of("fcm-http-v1", registry.factory("fcm-http-v1").create(
                        ProviderSettings.empty("fcm-http-v1"))), registry.idsAndAliases())
                .build();
        try {
            String node = register(fromRegistry, JULIET, "fcm-alias", "stork-token").value("node").orElseThrow();

            assertThat(store.delegate.findByNode(node).orElseThrow().device().providerId())
                    .as("an alias is stored under the canonical id").isEqualTo("fcm-http-v1");
        } finally {
            fromRegistry.close();
        }
    }

    @Test
    void builderSaysWhatIsMissing() {
        assertThatThrownBy(() -> PushAppServer.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jid is required").hasMessageContaining("store is required")
                .hasMessageContaining("at least one provider");
        assertThat(List.of(server.jid())).containsExactly(PUSH);
    }
}
