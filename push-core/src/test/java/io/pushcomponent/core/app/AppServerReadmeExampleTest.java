package io.pushcomponent.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.testkit.FakePushProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example of the "App server" section of push-core's README, compiled and run. */
class AppServerReadmeExampleTest {

    /** Stands for the XMPP stream the host writes to. */
    private static final class Stream {
        final List<String> sent = new ArrayList<>();

        void send(String stanza) {
            sent.add(stanza);
        }
    }

    @Test
    void readmeExampleRuns() {
        PushProvider fcmProvider = new FakePushProvider();
        Stream stream = new Stream();
        // README example start
        try (DeviceRegistrationStore store = Stores.inMemoryDeviceStore();
             PushAppServer push = PushAppServer.builder()
                     .jid("push.example.net")
                     .store(store)
                     .provider("fcm-http-v1", fcmProvider, "fcm-xmpp-api")
                     .build()) {
            List<String> replies = push.handleXml("<iq type='get' id='d1' from='juliet@capulet.example/balcony'"
                    + " to='push.example.net'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>")
                    .toCompletableFuture().join();
            replies.forEach(stream::send);
        }
        // README example end
        assertThat(stream.sent).as("the README example answers disco#info")
                .singleElement().asString().startsWith("<iq id='d1' from='push.example.net'")
                .contains("<identity category='pubsub' type='push'").contains("<feature var='fcm-xmpp-api'/>");
    }
}
