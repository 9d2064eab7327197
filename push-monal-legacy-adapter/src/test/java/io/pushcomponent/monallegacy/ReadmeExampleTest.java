package io.pushcomponent.monallegacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.testkit.FakePushProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's smallest example, compiled and run. */
class ReadmeExampleTest {

    @Test
    void readmeExample() throws Exception {
        FakePushProvider apns = new FakePushProvider();
        try (DeviceRegistrationStore store = Stores.inMemoryDeviceStore()) {
            PushAppServer appServer = PushAppServer.builder().jid("push.example.com").store(store)
                    .provider("apns", apns)
                    .dialect(new MonalLegacyDialect())
                    .build();
            List<String> answer = appServer.handleXml("<iq type='set' id='r1' from='romeo@example.com/Monal-iOS.1'"
                    + " to='push.example.com'><command xmlns='http://jabber.org/protocol/commands'"
                    + " node='v1-register-push' action='execute'><x xmlns='jabber:x:data' type='submit'>"
                    + "<field var='type'><value>apns</value></field>"
                    + "<field var='node'><value>E621E1F8-C36C-495A-93FC-0C247A3E6E5F</value></field>"
                    + "<field var='token'><value>5f9c0e2b1d3a4c6e8f0a1b2c3d4e5f60</value></field>"
                    + "</x></command></iq>").toCompletableFuture().join();

            assertThat(answer.get(0)).contains("type='result'", "status='completed'",
                    "E621E1F8-C36C-495A-93FC-0C247A3E6E5F", "var='secret'");
            assertThat(store.findByNode("E621E1F8-C36C-495A-93FC-0C247A3E6E5F")).isPresent();
            appServer.close();
        }
    }
}
