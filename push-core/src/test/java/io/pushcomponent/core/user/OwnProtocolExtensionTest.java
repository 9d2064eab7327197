package io.pushcomponent.core.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.store.AccountPushRegistration;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hooks for a push protocol of an extension's own beside XEP-0357: its requests, its notifications, the answers
 * to them, its registrations kept out of XEP-0357's publishes, the account's activity.
 */
class OwnProtocolExtensionTest {
    static final String JULIET = "juliet@capulet.lit";
    static final String OWN_JID = "test:own";

    final TestHost host = new TestHost();
    final OwnProtocol extension = new OwnProtocol();
    PushEnablementService service;

    /** A protocol whose enable is {@code <own xmlns='test:own'/>} and whose notification is a message. */
    static final class OwnProtocol implements PushExtension {
        final List<String> active = new CopyOnWriteArrayList<>();

        @Override
        public String id() {
            return OWN_JID;
        }

        @Override
        public Optional<Iq> handleRequest(String account, Iq request, ServiceContext context) {
            if (request.extensions().stream().noneMatch(e -> e instanceof org.w3c.dom.Element el
                    && OWN_JID.equals(el.getNamespaceURI()))) {
                return Optional.empty();
            }
            context.host().registrations().put(new AccountPushRegistration(account, OWN_JID, "own-node", Map.of(),
                    false, Map.of(), 0, context.clock().instant()), context.settings().maxRegistrationsPerAccount());
            return Optional.of(request.resultReply());
        }

        @Override
        public int messageArrived(String account, Message message, List<AccountPushRegistration> registrations,
                                  ServiceContext context) {
            long mine = registrations.stream().filter(this::owns).count();
            if (mine > 0 && context.tryPublish(account)) {
                context.host().send(new Message().id("own-1").from(context.host().domain()).to("push.example")
                        .body("own"));
                return 1;
            }
            return 0;
        }

        @Override
        public boolean consume(Stanza stanza, ServiceContext context) {
            return stanza instanceof Message m && "own-1".equals(m.id()) && "error".equals(m.type());
        }

        @Override
        public boolean owns(AccountPushRegistration registration) {
            return OWN_JID.equals(registration.jid());
        }

        @Override
        public void sessionActive(String account, String resource, ServiceContext context) {
            active.add(account + "/" + resource);
        }
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    private PushEnablementService start(PushSettings settings) {
        return PushEnablementService.builder(host).settings(settings).extension(extension).build();
    }

    @Test
    void anExtensionServesItsOwnRequestsNotificationsAnswersAndActivity() {
        service = start(PushExtensionTest.EXTENDED);

        assertThat(service.process(TestHost.read("<iq type='set' id='o1' from='juliet@capulet.lit/balcony'>"
                + "<own xmlns='test:own'/></iq>"))).as("its request is answered").isTrue();
        assertThat(service.process(TestHost.read("<iq type='set' id='o2' from='romeo@montague.lit/orchard' "
                + "to='juliet@capulet.lit'><own xmlns='test:own'/></iq>")))
                .as("only the account's own sessions reach it").isFalse();
        assertThat(TestHost.read(host.drainXml().get(0)).type()).isEqualTo("result");
        service.process(TestHost.read(PushExtensionTest.ENABLE_MUTED));
        host.sent.clear();

        int sent = service.messageArrived(JULIET, (Message) TestHost.read(MessageArrivedTest.BODY));

        assertThat(sent).as("its notification and the XEP-0357 publish").isEqualTo(2);
        List<String> xml = host.drainXml();
        assertThat(xml).filteredOn(x -> x.contains("own-node")).as("no XEP-0357 publish to its registration")
                .isEmpty();
        assertThat(xml).anySatisfy(x -> assertThat(x).contains("<body>own</body>"));
        assertThat(service.process(TestHost.read("<message type='error' id='own-1' from='push.example' "
                + "to='capulet.lit'><error type='wait'><resource-constraint "
                + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>")))
                .as("the error reply to its notification is its").isTrue();
        service.sessionActive("juliet@capulet.lit/balcony");
        assertThat(extension.active).containsExactly(JULIET + "/balcony");
    }

    @Test
    void withoutTheExtendedVariantTheHooksAreNotCalled() {
        service = start(PushSettings.defaults());

        assertThat(service.process(TestHost.read("<iq type='set' id='o1' from='juliet@capulet.lit/balcony'>"
                + "<own xmlns='test:own'/></iq>"))).isFalse();
        service.sessionActive("juliet@capulet.lit/balcony");
        assertThat(extension.active).isEmpty();
    }
}
