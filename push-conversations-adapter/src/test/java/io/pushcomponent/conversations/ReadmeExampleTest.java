package io.pushcomponent.conversations;

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
        FakePushProvider fcm = new FakePushProvider();
        try (DeviceRegistrationStore store = Stores.inMemoryDeviceStore()) {
            PushAppServer appServer = PushAppServer.builder().jid("p2.example.com").store(store)
                    .provider("fcm-http-v1", fcm)
                    .dialect(new ConversationsDialect())
                    .build();
            List<String> answer = appServer.handleXml("<iq type='set' id='r1'"
                    + " from='juliet@example.com/Conversations.x1' to='p2.example.com'>"
                    + "<command xmlns='http://jabber.org/protocol/commands' node='register-push-fcm' action='execute'>"
                    + "<x xmlns='jabber:x:data' type='submit'>"
                    + "<field var='token'><value>fcm-token-1</value></field>"
                    + "<field var='android-id'><value>92afd7a91cdba9a0</value></field>"
                    + "</x></command></iq>").toCompletableFuture().join();

            assertThat(answer.get(0)).contains("type='result'", "status='completed'", "var='node'",
                    "var='secret'");
            assertThat(store.count()).isEqualTo(1);
            appServer.close();
        }
    }
}
