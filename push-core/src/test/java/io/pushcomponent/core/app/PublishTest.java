package io.pushcomponent.core.app;

import static io.pushcomponent.core.app.AppServerFixture.CODEC;
import static io.pushcomponent.core.app.AppServerFixture.JULIET;
import static io.pushcomponent.core.app.AppServerFixture.PUSH;
import static io.pushcomponent.core.app.AppServerFixture.answer;
import static io.pushcomponent.core.app.AppServerFixture.call;
import static io.pushcomponent.core.app.AppServerFixture.error;
import static io.pushcomponent.core.app.AppServerFixture.register;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.store.RegistrationStoreException;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.dialect.Dialect;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.testkit.FakePushProvider.Outcome;
import io.pushcomponent.testkit.FakePushProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Element;

/** Publishing to a node: delivery, the summary as servers send it, and every error the publisher can get. */
class PublishTest {
    private static final String SERVER = "capulet.example";

    private final AppServerFixture.CountingStore store = new AppServerFixture.CountingStore();
    private final FakePushProvider provider = new FakePushProvider();
    private PushAppServer server = server(PushAppServer.builder());

    private PushAppServer server(PushAppServer.Builder builder) {
        return builder.jid(PUSH).store(store).provider("fcm-http-v1", provider)
                .providerTimeout(Duration.ofMillis(200)).build();
    }

    @AfterEach
    void close() {
        server.close();
    }

    private static Iq publish(String node, Notification notification, String secret) {
        PubSub pubsub = PubSub.publish(node, notification);
        if (secret != null) {
            pubsub.publishOptions(DataForm.submit(Namespaces.PUBSUB_PUBLISH_OPTIONS).field("secret", secret));
        }
        return Iq.set(PUSH, pubsub).from(SERVER);
    }

    private static Notification summary(String count, String sender, String body) {
        DataForm form = DataForm.submit(Namespaces.PUSH_SUMMARY);
        if (count != null) {
            form.field("message-count", count);
        }
        if (sender != null) {
            form.field("last-message-sender", sender);
        }
        if (body != null) {
            form.field("last-message-body", body);
        }
        return Notification.of(form);
    }

    private DataForm registered() {
        return register(server, JULIET, "fcm-http-v1", "device-token-0123456789");
    }

    @Test
    void deliveredPublishIsAnsweredWithAResultAndTheProviderGetsTheSummary() {
        DataForm reg = registered();

        Iq answer = answer(server, publish(reg.value("node").orElseThrow(),
                summary("3", "romeo@montague.example/orchard", "Wherefore art thou?"), reg.value("secret").orElseThrow()));

        assertThat(answer.type()).isEqualTo(Iq.RESULT);
        PushRequest request = provider.requests().get(0);
        assertThat(request.account()).as("account is the registration's owner").isEqualTo("juliet@capulet.example");
        assertThat(request.device().token()).isEqualTo("device-token-0123456789");
        assertThat(request.summary().messageCount()).isEqualTo(3);
        assertThat(request.summary().lastMessageSender()).isEqualTo("romeo@montague.example/orchard");
        assertThat(request.summary().lastMessageBody()).isEqualTo("Wherefore art thou?");
        assertThat(request.kind()).isEqualTo(PushKind.MESSAGE);
    }

    @Test
    void publishWithoutSecretIsAcceptedUnlessRequireSecretIsOn() {
        String node = registered().value("node").orElseThrow();

        Iq accepted = answer(server, publish(node, summary("1", null, null), null));
        server.close();
        server = server(PushAppServer.builder().requireSecret(true));
        StanzaError refused = error(answer(server, publish(node, summary("1", null, null), null)));

        assertThat(accepted.type()).as("Siskin and Stork never send a secret").isEqualTo(Iq.RESULT);
        assertThat(refused.type()).isEqualTo(StanzaError.Type.AUTH);
        assertThat(refused.condition()).isEqualTo(StanzaError.Condition.FORBIDDEN);
        assertThat(refused.text().orElseThrow()).contains("requires");
    }

    @Test
    void wrongSecretIsForbiddenAndNothingIsSent() {
        String node = registered().value("node").orElseThrow();

        StanzaError e = error(answer(server, publish(node, summary("1", null, null), "guessed")));

        assertThat(e.type()).isEqualTo(StanzaError.Type.AUTH);
        assertThat(e.condition()).isEqualTo(StanzaError.Condition.FORBIDDEN);
        assertThat(provider.requests()).isEmpty();
    }

    @Test
    void unknownNodeIsItemNotFoundAndRepeatedPublishesCostNoStoreLookUp() {
        for (int i = 0; i < 16; i++) {
            StanzaError e = error(answer(server, publish("no-such-node", summary("1", null, null), null)));
            assertThat(e.type()).isEqualTo(StanzaError.Type.CANCEL);
            assertThat(e.condition()).isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        }

        assertThat(provider.requests()).as("no provider call for an unknown node").isEmpty();
        assertThat(store.findByNodeCalls.get()).as("Prosody retries 16 times: the first two publishes look the node "
                + "up (the second caches the answer), the rest are answered from the cache").isEqualTo(2);
    }

    @Test
    void knownNodeIsServedFromTheCacheAfterRegistration() {
        DataForm reg = registered();

        for (int i = 0; i < 5; i++) {
            answer(server, publish(reg.value("node").orElseThrow(), summary("1", null, null), null));
        }

        assertThat(store.findByNodeCalls.get()).as("no store round trip per publish").isZero();
        assertThat(provider.requests()).hasSize(5);
    }

    @Test
    void disallowedDomainIsForbidden() {
        server.close();
        server = server(PushAppServer.builder().allowedDomains(List.of("Montague.example")));
        String node = registered().value("node").orElseThrow();

        StanzaError refused = error(answer(server, publish(node, summary("1", null, null), null)));
        Iq allowed = answer(server, publish(node, summary("1", null, null), null).from("montague.example"));

        assertThat(refused.condition()).isEqualTo(StanzaError.Condition.FORBIDDEN);
        assertThat(refused.text().orElseThrow()).contains(SERVER);
        assertThat(allowed.type()).as("allow-list compares domains case-insensitively").isEqualTo(Iq.RESULT);
    }

    @Test
    void publishWithoutItemOrNotificationOrWithABadFormIsABadRequestWithText() {
        String node = registered().value("node").orElseThrow();
        Iq noItemAtAll = (Iq) read("<iq type='set' id='n1' from='" + SERVER + "'><pubsub xmlns='" + Namespaces.PUBSUB
                + "'><publish node='" + node + "'/></pubsub></iq>");
        Iq noNotification = (Iq) read("<iq type='set' id='n2' from='" + SERVER + "'><pubsub xmlns='"
                + Namespaces.PUBSUB + "'><publish node='" + node + "'><item><foo xmlns='urn:x'/></item></publish>"
                + "</pubsub></iq>");
        Iq wrongFormType = publish(node, Notification.of(DataForm.submit("urn:example:other")), null);
        Iq badCount = publish(node, summary("many", null, null), null);

        assertThat(List.of(noItemAtAll, noNotification, wrongFormType, badCount))
                .extracting(iq -> error(answer(server, iq)))
                .allSatisfy(e -> {
                    assertThat(e.type()).isEqualTo(StanzaError.Type.MODIFY);
                    assertThat(e.condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST);
                })
                .extracting(e -> e.text().orElseThrow())
                .containsExactly("the publish has no <item/>",
                        "the published item has no <notification xmlns='urn:xmpp:push:0'/>",
                        "the notification form has FORM_TYPE 'urn:example:other'; expected urn:xmpp:push:summary",
                        "the summary field 'message-count' is not a number");
        assertThat(provider.requests()).isEmpty();
    }

    @Test
    void summaryOrPublishOptionsWithAFieldWithoutVarIsABadRequest() {
        String node = registered().value("node").orElseThrow();
        DataForm summary = DataForm.submit(Namespaces.PUSH_SUMMARY).field("message-count", "1");
        summary.add(new DataForm.Field(null).values("no var"));
        Iq badSummary = publish(node, Notification.of(summary), null);
        Iq badOptions = publish(node, summary("1", null, null), null);
        ((PubSub) badOptions.payload().orElseThrow()).publishOptions(DataForm.submit(
                Namespaces.PUBSUB_PUBLISH_OPTIONS).add(new DataForm.Field(null).values("no var")));

        assertThat(List.of(badSummary, badOptions)).extracting(iq -> error(answer(server, iq)))
                .as("XEP-0004 §3.2: every field of a submitted form but a fixed one has a var")
                .allSatisfy(e -> {
                    assertThat(e.condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST);
                    assertThat(e.text().orElseThrow()).contains("no 'var'");
                });
        assertThat(provider.requests()).isEmpty();
    }

    @Test
    void aRepeatedFieldInTheSummaryOrPublishOptionsOrASecretWithTwoValuesIsABadRequest() {
        DataForm reg = registered();
        String node = reg.value("node").orElseThrow();
        String secret = reg.value("secret").orElseThrow();
        DataForm summary = DataForm.submit(Namespaces.PUSH_SUMMARY).field("message-count", "1")
                .field("message-count", "2");
        Iq repeatedInSummary = publish(node, Notification.of(summary), secret);
        Iq rightThenWrong = publish(node, summary("1", null, null), null);
        ((PubSub) rightThenWrong.payload().orElseThrow()).publishOptions(DataForm.submit(
                Namespaces.PUBSUB_PUBLISH_OPTIONS).field("secret", secret).field("secret", "guessed"));
        Iq twoValues = publish(node, summary("1", null, null), null);
        ((PubSub) twoValues.payload().orElseThrow()).publishOptions(DataForm.submit(
                Namespaces.PUBSUB_PUBLISH_OPTIONS).add(new DataForm.Field("secret").values(secret, "guessed")));

        assertThat(List.of(repeatedInSummary, rightThenWrong, twoValues)).extracting(iq -> error(answer(server, iq)))
                .as("XEP-0004 §3.2: one field per var, one value in a single-valued field; which of two secrets "
                        + "counts is not for the app server to guess")
                .allSatisfy(e -> assertThat(e.condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST))
                .extracting(e -> e.text().orElseThrow())
                .containsExactly("the notification's summary: the form has more than one field 'message-count'; "
                                + "XEP-0004 section 3.2 makes 'var' unique within a form",
                        "publish-options: the form has more than one field 'secret'; XEP-0004 section 3.2 makes "
                                + "'var' unique within a form",
                        "publish-options: the field 'secret' has more than one value; XEP-0004 section 3.2 allows "
                                + "one in a text-single field");
        assertThat(provider.requests()).isEmpty();
    }

    private static Stanza read(String xml) {
        try {
            return CODEC.read(xml);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @EnumSource(value = RejectionReason.class, names = {"INVALID_TOKEN", "TOPIC_MISMATCH"})
    void deadTokenRemovesTheRegistrationAnswersItemNotFoundAndSendsRemoteDisabling(RejectionReason reason) {
        String node = registered().value("node").orElseThrow();
        provider.enqueue(Outcome.result(DeliveryResult.Rejected.of(reason, "Unregistered")));

        List<Stanza> out = call(server, publish(node, summary("1", null, null), null));

        StanzaError e = error((Iq) out.get(0));
        assertThat(e.type()).isEqualTo(StanzaError.Type.CANCEL);
        assertThat(e.condition()).isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(store.delegate.findByNode(node)).as("the dead registration is removed").isEmpty();
        assertThat(out).hasSize(2);
        String message = CODEC.write(out.get(1));
        assertThat(message).as("XEP-0357 remote disabling, addressed to the owner's bare JID")
                .matches("<message id='[^']+' from='push.example.net' to='juliet@capulet.example'>"
                        + "<pubsub xmlns='http://jabber.org/protocol/pubsub' node='" + node + "'>"
                        + "<affiliation jid='juliet@capulet.example' affiliation='none'/></pubsub></message>");
        assertThat(error(answer(server, publish(node, summary("1", null, null), null))).condition())
                .as("the next publish to the removed node is item-not-found without a provider call")
                .isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(provider.requests()).hasSize(1);
    }

    @Test
    void deadTokenRemovesOnlyTheRegistrationThePushWasSentFor() {
        String juliets = registered().value("node").orElseThrow();
        String nurses = register(server, "nurse@capulet.example/x", "fcm-http-v1", "device-token-0123456789")
                .value("node").orElseThrow();
        provider.enqueue(Outcome.result(DeliveryResult.Rejected.of(RejectionReason.INVALID_TOKEN, "Unregistered")));

        List<Stanza> out = call(server, publish(juliets, summary("1", null, null), null));

        assertThat(store.delegate.findByNode(juliets)).as("the publishing registration goes").isEmpty();
        assertThat(store.delegate.findByNode(nurses))
                .as("another account's registration of the same token stays: it is removed on its own failure")
                .isPresent();
        assertThat(out.subList(1, out.size())).extracting(Stanza::to)
                .as("only the publishing registration's owner is told").containsExactly("juliet@capulet.example");
    }

    @ParameterizedTest
    @EnumSource(value = RejectionReason.class, names = {"QUOTA_EXCEEDED", "UNAVAILABLE", "PAYLOAD_TOO_LARGE",
            "BAD_REQUEST", "AUTH_FAILED", "UNKNOWN"})
    void otherRejectionsAreWaitErrorsAndKeepTheDevice(RejectionReason reason) {
        String node = registered().value("node").orElseThrow();
        provider.enqueue(Outcome.result(
                new DeliveryResult.Rejected(reason, "provider said no", Duration.ofSeconds(30))));

        StanzaError e = error(answer(server, publish(node, summary("1", null, null), null)));

        assertThat(e.type()).as("never cancel: Prosody and ejabberd drop the device on cancel")
                .isEqualTo(StanzaError.Type.WAIT);
        assertThat(store.delegate.findByNode(node)).isPresent();
    }

    @Test
    void quotaAndUnavailableAreResourceConstraint() {
        String node = registered().value("node").orElseThrow();
        provider.enqueue(Outcome.result(DeliveryResult.Rejected.of(RejectionReason.QUOTA_EXCEEDED, "429")));

        assertThat(error(answer(server, publish(node, summary("1", null, null), null))).condition())
                .isEqualTo(StanzaError.Condition.RESOURCE_CONSTRAINT);
    }

    @Test
    void providerFailureAndTimeoutAreWaitInternalServerError() {
        String node = registered().value("node").orElseThrow();
        provider.enqueue(Outcome.failed(new IOException("connection refused")));
        provider.enqueue(Outcome.never());

        StanzaError failed = error(answer(server, publish(node, summary("1", null, null), null)));
        StanzaError timedOut = error(answer(server, publish(node, summary("2", null, null), null)));

        assertThat(List.of(failed, timedOut)).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(StanzaError.Type.WAIT);
            assertThat(e.condition()).isEqualTo(StanzaError.Condition.INTERNAL_SERVER_ERROR);
        });
        assertThat(timedOut.text().orElseThrow()).contains("in time");
        assertThat(store.delegate.findByNode(node)).isPresent();
    }

    @Test
    void storeFailureOnLookUpIsAWaitError() {
        store.failure = new RegistrationStoreException("database down");

        StanzaError e = error(answer(server, publish("some-node", summary("1", null, null), null)));

        assertThat(e.type()).isEqualTo(StanzaError.Type.WAIT);
        assertThat(e.condition()).isEqualTo(StanzaError.Condition.INTERNAL_SERVER_ERROR);
    }

    @Test
    void emptyNotificationIsABackgroundWakeUpCoalescedPerDevice() throws Exception {
        String node = registered().value("node").orElseThrow();
        CompletableFuture<DeliveryResult> first = new CompletableFuture<>();
        provider.enqueue(Outcome.answeredBy(first));

        CompletionStage<List<Stanza>> pending = server.handle(publish(node, new Notification(), null));
        Iq coalesced = answer(server, publish(node, new Notification(), null));
        first.complete(new DeliveryResult.Delivered("1"));
        List<Stanza> firstAnswer = pending.toCompletableFuture().get(10, TimeUnit.SECONDS);
        Iq later = answer(server, publish(node, new Notification(), null));

        assertThat(((Iq) firstAnswer.get(0)).type()).isEqualTo(Iq.RESULT);
        assertThat(coalesced.type()).as("a wake-up while one is in flight is answered, not an error")
                .isEqualTo(Iq.RESULT);
        assertThat(later.type()).isEqualTo(Iq.RESULT);
        assertThat(provider.requests()).as("the second wake-up was coalesced; the third went out").hasSize(2);
        PushRequest wakeUp = provider.requests().get(0);
        assertThat(wakeUp.kind()).isEqualTo(PushKind.BACKGROUND);
        assertThat(wakeUp.priority()).isEqualTo(PushPriority.NORMAL);
        assertThat(wakeUp.summary().isEmpty()).isTrue();
    }

    @Test
    void aDialectsNotificationMappingSeesExtensionsAndItsRefusalIsABadRequest() throws Exception {
        server.close();
        server = server(PushAppServer.builder().dialect(new Dialect() {
            @Override
            public String id() {
                return "test";
            }

            @Override
            public AppServerDialect appServer() {
                return new AppServerDialect() {
                    @Override
                    public PushRequest mapNotification(PushRequest request, List<Object> extensions) {
                        Element e = (Element) extensions.get(0);
                        String iv = e.getAttribute("iv");
                        if (iv.isEmpty()) {
                            throw new IllegalArgumentException("an <encrypted/> needs an iv");
                        }
                        return new PushRequest(request.device(), request.account(), request.summary(),
                                PushKind.MESSAGE, PushPriority.HIGH, new EncryptedPayload(iv, e.getTextContent(),
                                null), null);
                    }
                };
            }
        }));
        String node = registered().value("node").orElseThrow();
        String encrypted = "<iq type='set' id='t1' from='" + SERVER + "'><pubsub xmlns='" + Namespaces.PUBSUB
                + "'><publish node='" + node + "'><item><notification xmlns='urn:xmpp:push:0'>"
                + "<encrypted xmlns='test:encrypt' iv='SVY='>Q0lQSEVS</encrypted></notification></item>"
                + "</publish></pubsub></iq>";

        Iq ok = answer(server, CODEC.read(encrypted));
        StanzaError bad = error(answer(server, CODEC.read(encrypted.replace("iv='SVY='", ""))));

        assertThat(ok.type()).isEqualTo(Iq.RESULT);
        assertThat(provider.requests().get(0).encrypted()).isEqualTo(new EncryptedPayload("SVY=", "Q0lQSEVS", null));
        assertThat(bad.condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(bad.text()).contains("an <encrypted/> needs an iv");
    }

    @Test
    void registrationOfAProviderNoLongerConfiguredIsAWaitError() {
        String node = registered().value("node").orElseThrow();
        server.close();
        server = PushAppServer.builder().jid(PUSH).store(store).provider("apns", provider).build();

        StanzaError e = error(answer(server, publish(node, summary("1", null, null), null)));

        assertThat(e.type()).isEqualTo(StanzaError.Type.WAIT);
        assertThat(e.text().orElseThrow()).contains("fcm-http-v1");
    }

    @Test
    void messagesToTheServiceNeedNoAnswer() {
        assertThat(call(server, new Message().from(JULIET).to(PUSH).body("hello"))).isEmpty();
    }
}
