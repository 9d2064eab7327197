package com.example.embedder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.Summary;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.testkit.CapturedStanza;
import io.pushcomponent.testkit.FakePushProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an embedder tests, with the base test kit only (FakePushProvider, the captured publishes): our provider is
 * found through the SPI and speaks to its gateway; our server, embedding push-core's user's-server side, gets a push
 * out for an offline account through an app server; the app server reads a publish exactly as Prosody sends it.
 */
class EmbedderIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PUSH = "push.example.net";
    private static final String JULIET = "juliet@capulet.lit";
    private static final String BALCONY = JULIET + "/balcony";
    private static final String TOKEN = "device-token-0123456789";
    private static final Pattern NODE = Pattern.compile("var='node'[^>]*><value>([^<]+)</value>");
    private static final Pattern SECRET = Pattern.compile("var='secret'[^>]*><value>([^<]+)</value>");

    private final FakePushProvider fake = new FakePushProvider();
    private final DeviceRegistrationStore devices = Stores.inMemoryDeviceStore();
    private final PushAppServer appServer = PushAppServer.builder().jid(PUSH).store(devices).provider("fake", fake)
            .build();
    private final ToyServer server = new ToyServer("capulet.lit");

    @AfterEach
    void close() {
        server.close();
        appServer.close();
        devices.close();
    }

    @Test
    void ourProviderIsFoundThroughTheSpiAndMapsTheGatewaysAnswers() throws Exception {
        BlockingQueue<String> posted = new LinkedBlockingQueue<>();
        BlockingQueue<Integer> statuses = new LinkedBlockingQueue<>(List.of(200, 410));
        HttpServer gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.createContext("/push", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.getResponseHeaders().add("X-Message-Id", "m-1");
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 500 : status, -1);
            exchange.close();
        });
        gateway.start();
        ProviderRegistry registry = ProviderRegistry.discover();
        assertTrue(registry.ids().contains(WebhookProviderFactory.ID), "found through ServiceLoader: " + registry.ids());
        assertTrue(registry.ids().contains("fake"), "the base test kit registers FakePushProvider too");
        String url = "http://127.0.0.1:" + gateway.getAddress().getPort() + "/push";
        try (PushProvider webhook = registry.factory(WebhookProviderFactory.ID)
                .create(ProviderSettings.of(WebhookProviderFactory.ID, Map.of("url", url)))) {
            PushRequest request = PushRequest.message(Device.of(WebhookProviderFactory.ID, TOKEN), JULIET,
                    new Summary(2, null, null, null, null));

            DeliveryResult first = webhook.send(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
            DeliveryResult second = webhook.send(request).toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertEquals(new DeliveryResult.Delivered("m-1"), first);
            assertEquals("{\"token\":\"" + TOKEN + "\",\"account\":\"" + JULIET + "\",\"count\":2}",
                    posted.poll(10, TimeUnit.SECONDS));
            assertEquals(RejectionReason.INVALID_TOKEN, assertInstanceOf(DeliveryResult.Rejected.class, second)
                    .reason(), "410 from the gateway: the token is dead");
        } finally {
            gateway.stop(0);
        }
    }

    @Test
    void ourServerPushesAMessageForAnOfflineAccountThroughTheAppServer() throws Exception {
        server.connectComponent(PUSH, appServer::handleXml);
        server.login(BALCONY);

        server.fromClient("<iq type='set' id='r1' from='" + BALCONY + "' to='" + PUSH + "'>"
                + "<command xmlns='http://jabber.org/protocol/commands' node='register-device' action='execute'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='provider'><value>fake</value></field>"
                + "<field var='device-token'><value>" + TOKEN + "</value></field></x></command></iq>");
        String registered = server.takeReceived(BALCONY, WAIT);
        String node = group(NODE, registered);
        String secret = group(SECRET, registered);
        server.fromClient("<iq type='set' id='e1' from='" + BALCONY + "'>"
                + "<enable xmlns='urn:xmpp:push:0' jid='" + PUSH + "' node='" + node + "'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
                + "<value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
                + "<field var='secret'><value>" + secret + "</value></field></x></enable></iq>");
        assertTrue(server.takeReceived(BALCONY, WAIT).contains("type='result'"), "enable succeeds");
        server.logout(BALCONY);

        server.deliver("<message from='romeo@montague.lit/orchard' to='" + JULIET + "' type='chat'>"
                + "<body>Wherefore art thou?</body></message>");

        PushRequest push = fake.takeRequest(WAIT);
        assertEquals(TOKEN, push.device().token());
        assertEquals(JULIET, push.account());
        assertEquals(1, push.summary().messageCount());
        assertEquals(1, server.offlineMessages(JULIET).size(), "and the message waits offline");
    }

    @Test
    void theAppServerReadsAPublishAsProsodySendsIt() throws Exception {
        List<String> registered = appServer.handleXml("<iq type='set' id='r1' from='" + BALCONY + "' to='"
                + PUSH + "'><command xmlns='http://jabber.org/protocol/commands' node='register-device'"
                + " action='execute'><x xmlns='jabber:x:data' type='submit'><field var='provider'><value>fake"
                + "</value></field><field var='device-token'><value>" + TOKEN + "</value></field></x></command>"
                + "</iq>").toCompletableFuture().get(10, TimeUnit.SECONDS);
        String prosody = CapturedStanza.PROSODY_OFFLINE.xml().replace("push.localhost", PUSH)
                .replace("harness-node-1", group(NODE, registered.get(0)))
                .replace("harness-secret-1", group(SECRET, registered.get(0)));

        List<String> answer = appServer.handleXml(prosody).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertTrue(answer.get(0).contains("type='result'"), "the publish is accepted: " + answer);
        assertEquals("New Message!", fake.takeRequest(WAIT).summary().lastMessageBody());
    }

    private static String group(Pattern pattern, String xml) {
        Matcher m = pattern.matcher(xml);
        assertTrue(m.find(), pattern + " in " + xml);
        return m.group(1);
    }
}
