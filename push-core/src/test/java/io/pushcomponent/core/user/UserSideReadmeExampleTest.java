package io.pushcomponent.core.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.xml.StanzaCodec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The example of the README's "User's-server side" section, compiled and run. */
class UserSideReadmeExampleTest {

    @Test
    void readmeExample() throws Exception {
        List<Stanza> outgoing = new CopyOnWriteArrayList<>();
        // README example begins
        StanzaCodec codec = StanzaCodec.create();
        AccountPushRegistrationStore store = Stores.inMemoryAccountStore();   // or Stores.jdbcAccountStore(dataSource, Stores.DEFAULT_TABLE_PREFIX)
        PushHost host = new PushHost() {
            @Override public String domain() { return "capulet.lit"; }
            @Override public void send(Stanza stanza) { outgoing.add(stanza); }              // your router
            @Override public List<AccountSession> sessions(String account) { return List.of(); } // your sessions
            @Override public AccountPushRegistrationStore registrations() { return store; }
        };
        try (PushEnablementService push = PushEnablementService.builder(host).settings(PushSettings.defaults()).build()) {
            push.process(codec.read("<iq type='set' id='e1' from='juliet@capulet.lit/balcony'>"
                    + "<enable xmlns='urn:xmpp:push:0' jid='push.example.net' node='yxs32uqsflafdk3iuqo'/></iq>"));
            push.messageArrived("juliet@capulet.lit", (Message) codec.read(
                    "<message from='romeo@montague.lit/orchard' to='juliet@capulet.lit'><body>hi</body></message>"));
        }
        // README example ends

        assertThat(outgoing).as("the enable's result, then the publish to the app server").hasSize(2);
        assertThat(((Iq) outgoing.get(0)).type()).isEqualTo(Iq.RESULT);
        assertThat(codec.write(outgoing.get(1))).contains("from='capulet.lit'", "to='push.example.net'",
                "<publish node='yxs32uqsflafdk3iuqo'>", "<value>urn:xmpp:push:summary</value>");
    }
}
