package io.pushcomponent.unifiedpush;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.testkit.FakePushProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's smallest example, compiled and run over XML as a client and its server would send it: the
 * {@code <register/>} IQ (attributes as Conversations sends them) is answered with {@code <registered/>}, a post to
 * the endpoint goes out as {@code <push/>} to the client's full JID, and the client's result makes it {@code 201}.
 */
class ReadmeExampleTest {
    private static final String NS = "http://gultsch.de/xmpp/drafts/unified-push";
    private static final String CLIENT = "juliet@example.com/Conversations.r4nD";
    private static final String APPLICATION = "bK3sdmrbtj3bf6XA2S12b8jJUA5TT1dhPEyeoZfVSRM=";
    private static final String INSTANCE = "EtD/1XPLmoIph7W73CZ/uyv6FAnhEAXY1GySHX17vAw=";

    private final LinkedBlockingQueue<Stanza> toServer = new LinkedBlockingQueue<>();
    private final CompletableFuture<UnifiedPushDistributor.HttpAnswer> responded = new CompletableFuture<>();

    private void respond(int status, Map<String, String> headers, byte[] body) {
        responded.complete(new UnifiedPushDistributor.HttpAnswer(status, headers, "text/plain", body));
    }

    @Test
    void registerPostAndAnswer() throws Exception {
        FakePushProvider provider = new FakePushProvider();
        Consumer<Stanza> toXmppServer = toServer::add;

        DeviceRegistrationStore store = Stores.inMemoryDeviceStore();
        UnifiedPushDistributor up = UnifiedPushDistributor.open(
                UnifiedPushSettings.of(URI.create("https://push.example.net/up")), store);
        PushAppServer server = PushAppServer.builder().jid("push.example.net").store(store)
                .provider("fcm-http-v1", provider).dialect(up.dialect()).sender(toXmppServer).build();

        List<String> registered = server.handleXml("<iq type='set' id='r1' from='" + CLIENT
                + "' to='push.example.net'><register xmlns='" + NS + "' application='" + APPLICATION
                + "' instance='" + INSTANCE + "'/></iq>").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(registered).hasSize(1);
        Matcher endpoint = Pattern.compile("endpoint=['\"]https://push\\.example\\.net/up/([^'\"]+)['\"]")
                .matcher(registered.get(0));
        assertThat(endpoint.find()).as(registered.get(0)).isTrue();
        assertThat(registered.get(0)).contains("type='result'").contains("<registered xmlns='" + NS + "'")
                .contains("expiration=");
        String token = endpoint.group(1);
        byte[] body = "{\"message\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
        StubRequest request = new StubRequest(Map.of("TTL", "60", "Urgency", "high"));

        // an HTTP POST to https://push.example.net/up/<token>:
        up.post(token, request.header("TTL"), request.header("Urgency"), body, server::request)
                .thenAccept(answer -> respond(answer.status(), answer.headers(), answer.body()));

        Stanza push = toServer.poll(5, TimeUnit.SECONDS);
        String pushXml = StanzaCodec.create().write(push);
        assertThat(pushXml).contains("to='" + CLIENT + "'").contains("from='push.example.net'")
                .contains("<push xmlns='" + NS + "'").contains("application='" + APPLICATION + "'")
                .contains("instance='" + INSTANCE + "'")
                .contains(">" + Base64.getEncoder().encodeToString(body) + "</push>");
        assertThat(responded).as("no answer before the client's").isNotDone();
        server.handleXml("<iq type='result' id='" + push.id() + "' from='" + CLIENT + "' to='push.example.net'/>")
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(responded.get(5, TimeUnit.SECONDS).status()).isEqualTo(201);

        assertThat(server.handleXml("<iq type='get' id='d1' from='" + CLIENT + "' to='push.example.net'>"
                + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>").toCompletableFuture()
                .get(5, TimeUnit.SECONDS).get(0)).as("advertised").contains("var='" + NS + "'");
        server.close();
        up.close();
    }

    /** The headers of an HTTP request, as a server library would give them. */
    private record StubRequest(Map<String, String> headers) {
        String header(String name) {
            return headers.get(name);
        }
    }
}
