package io.pushcomponent.monal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.testkit.FakePushProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's example, compiled and run: a publish as a server sends it for Monal reaches the module's app. */
class ReadmeExampleTest {

    @Test
    void readmeExample() throws Exception {
        DeviceRegistrationStore store = Stores.inMemoryDeviceStore();
        FakePushProvider apns = new FakePushProvider();

        StatelessSettings settings = StatelessSettings.of(Map.of(
                "monalProdiOS", new StatelessSettings.PushModule("apns", "im.monal.monal", false),
                "monalProdiOS-sandbox", new StatelessSettings.PushModule("apns", "im.monal.monal", true)),
                null)                                              // no default module
                .withAllowedPublishers(List.of("example.com"));   // the servers that may publish
        PushAppServer server = PushAppServer.builder().jid("push.example.com").store(store)
                .provider("apns", apns)
                .dialect(new MonalDialect(settings))
                .build();

        String token = "0123456789abcdef".repeat(4);
        List<String> answer = server.handleXml("<iq type='set' id='p1' from='example.com' to='push.example.com'>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + token + "'><item>"
                + "<notification xmlns='urn:xmpp:push:0'/></item></publish><publish-options>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'>"
                + "<value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
                + "<field var='pushModule'><value>monalProdiOS</value></field></x></publish-options></pubsub></iq>")
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.close();

        assertThat(answer).singleElement().asString().contains("type='result'");
        PushRequest push = apns.takeRequest(Duration.ofSeconds(10));
        assertThat(push.device().token()).isEqualTo(token);
        assertThat(push.device().appId()).isEqualTo("im.monal.monal");
    }
}
