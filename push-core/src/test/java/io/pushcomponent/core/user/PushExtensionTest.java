package io.pushcomponent.core.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.api.store.AccountPushRegistration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Extensions plug in through the SPI: enable children, triggers, filters and alterations, disco features. */
class PushExtensionTest {
    static final String JULIET = "juliet@capulet.lit";
    static final String ENABLE_MUTED = "<iq type='set' id='e1' from='juliet@capulet.lit/balcony'>"
            + "<enable xmlns='urn:xmpp:push:0' jid='push-5.client.example' node='yxs32uqsflafdk3iuqo'>"
            + "<muted xmlns='test:muted'><item jid='tybalt@capulet.lit'/></muted></enable></iq>";
    static final PushSettings EXTENDED = PushSettings.defaults().toBuilder()
            .variants(PushSettings.Variant.EXTENDED).build();

    final TestHost host = new TestHost();
    PushEnablementService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void discoveryFindsTheExtensionAndSkipsABrokenEntry() {
        service = PushEnablementService.builder(host).settings(EXTENDED)
                .discoverExtensions(getClass().getClassLoader()).build();

        assertThat(service.extensionIds()).as("the listed class that does not exist is skipped, the other loads")
                .containsExactly("test:muted");
        assertThat(service.discoFeatures()).as("extensions add their disco features")
                .containsExactly("urn:xmpp:push:0", "test:muted");
    }

    @Test
    void extensionsParseEnableChildrenFilterAlterAndTrigger() {
        service = PushEnablementService.builder(host).settings(EXTENDED).extension(new MutedTestExtension()).build();
        service.process(TestHost.read(ENABLE_MUTED));
        assertThat(host.store.list(JULIET).get(0).extensionData())
                .as("the extension's enable child is stored as extension data")
                .containsEntry(MutedTestExtension.KEY, "tybalt@capulet.lit");
        host.sent.clear();

        int fromMuted = service.messageArrived(JULIET, (Message) TestHost.read(
                "<message from='tybalt@capulet.lit/street' to='juliet@capulet.lit'><body>draw</body></message>"));
        int fromRomeo = service.messageArrived(JULIET, (Message) TestHost.read(MessageArrivedTest.BODY));
        int call = service.messageArrived(JULIET, (Message) TestHost.read(
                "<message from='romeo@montague.lit/orchard' to='juliet@capulet.lit'>"
                        + "<propose xmlns='urn:xmpp:jingle-message:0' id='c1'/></message>"));

        assertThat(fromMuted).as("a filter suppresses the push").isZero();
        assertThat(fromRomeo).isEqualTo(1);
        assertThat(call).as("a trigger pushes a message without body").isEqualTo(1);
        assertThat(host.drainXml()).as("the extension altered the notification")
                .allSatisfy(xml -> assertThat(xml).contains("<priority xmlns='test:muted'>high</priority>"));
    }

    @Test
    void anExtensionRefusesAMalformedEnableWithBadRequest() {
        service = PushEnablementService.builder(host).settings(EXTENDED).extension(new MutedTestExtension()).build();

        service.process(TestHost.read(ENABLE_MUTED.replace(" jid='tybalt@capulet.lit'", "")));

        Iq answer = (Iq) host.sent.get(0);
        assertThat(answer.error().orElseThrow().condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST);
        assertThat(answer.error().orElseThrow().text()).contains("<item/> of <muted/> needs a jid");
        assertThat(host.store.list(JULIET)).as("a refused enable stores nothing").isEmpty();
    }

    @Test
    void withoutTheExtendedVariantExtensionsDoNotTakePart() {
        service = PushEnablementService.builder(host).extension(new MutedTestExtension()).build();

        service.process(TestHost.read(ENABLE_MUTED));

        assertThat(service.extensionIds()).isEmpty();
        assertThat(service.discoFeatures()).containsExactly("urn:xmpp:push:0");
        assertThat(host.store.list(JULIET).get(0).extensionData()).isEmpty();
    }

    @Test
    void aFailingExtensionCostsOnlyItsOwnPushAndNeverTheMessage() {
        PushExtension broken = new PushExtension() {
            @Override
            public String id() {
                return "broken";
            }

            @Override
            public Optional<Notification> apply(NotificationContext context, Notification notification) {
                if (context.registration().jid().equals("push.broken.example")) {
                    throw new IllegalStateException("bug in an extension");
                }
                return Optional.of(notification);
            }
        };
        service = PushEnablementService.builder(host).settings(EXTENDED).extension(broken).build();
        host.store.put(AccountPushRegistration.of(JULIET, "push.broken.example", "n1", Instant.EPOCH), 5);
        host.store.put(AccountPushRegistration.of(JULIET, "push-5.client.example", "n2", Instant.EPOCH.plusSeconds(1)), 5);

        int sent = service.messageArrived(JULIET, (Message) TestHost.read(MessageArrivedTest.BODY));

        assertThat(sent).as("the other registration is still pushed; nothing is thrown at the host").isEqualTo(1);
        assertThat(host.drainPublishes()).extracting(Iq::to).containsExactly("push-5.client.example");
        assertThat(service.pendingPublishes()).isEqualTo(1);
    }

    @Test
    void twoExtensionsWithOneIdAreRefused() {
        var builder = PushEnablementService.builder(host).extension(new MutedTestExtension());

        assertThatThrownBy(() -> builder.extension(new MutedTestExtension()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two push extensions")
                .hasMessageContaining("test:muted");
    }
}
