package io.pushcomponent.unifiedpush;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.api.metrics.RegistrationChange;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.testkit.FakePushProvider;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The distributor's {@code <register/>} and {@code <unregister/>} reach the app server's metrics listener as
 * registrations added and removed (provider label {@code unifiedpush}), as {@code register-device} does; refused
 * requests change nothing.
 */
class RegistrationMetricsTest {
    private static final String NS = "http://gultsch.de/xmpp/drafts/unified-push";
    private static final String CLIENT = "juliet@example.com/Conversations.r4nD";
    private static final String APPLICATION = "bK3sdmrbtj3bf6XA2S12b8jJUA5TT1dhPEyeoZfVSRM=";
    private static final String INSTANCE = "EtD/1XPLmoIph7W73CZ/uyv6FAnhEAXY1GySHX17vAw=";

    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final DeviceRegistrationStore store = Stores.inMemoryDeviceStore();
    private UnifiedPushDistributor up;
    private PushAppServer server;

    @BeforeEach
    void start() {
        up = UnifiedPushDistributor.open(UnifiedPushSettings.of(URI.create("https://push.example.net/up")), store);
        server = PushAppServer.builder().jid("push.example.net").store(store)
                .provider("fcm-http-v1", new FakePushProvider()).dialect(up.dialect())
                .metrics(new PushMetricsListener() {
                    @Override
                    public void registrationChanged(RegistrationChange change, String providerId) {
                        changes.add(change + " " + providerId);
                    }
                }).build();
    }

    @AfterEach
    void stop() {
        server.close();
        up.close();
        store.close();
    }

    private String send(String element, String from) throws Exception {
        List<String> answer = server.handleXml("<iq type='set' id='r1' from='" + from + "' to='push.example.net'><"
                + element + " xmlns='" + NS + "' application='" + APPLICATION + "' instance='" + INSTANCE + "'/></iq>")
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(answer).hasSize(1);
        return answer.get(0);
    }

    @Test
    void anEndpointIssuedIsRegisteredAndOneGivenUpIsUnregistered() throws Exception {
        assertThat(send("register", CLIENT)).contains("type='result'");
        assertThat(changes).containsExactly("REGISTERED unifiedpush");
        assertThat(send("unregister", CLIENT)).contains("type='result'");
        assertThat(changes).containsExactly("REGISTERED unifiedpush", "UNREGISTERED unifiedpush");
    }

    @Test
    void refusedRequestsChangeNothing() throws Exception {
        assertThat(send("register", "juliet@example.com")).as("a bare JID is refused").contains("type='error'");
        assertThat(send("unregister", "juliet@example.com")).contains("type='error'");
        assertThat(changes).isEmpty();
    }
}
