package io.pushcomponent.tigase.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.api.metrics.RegistrationChange;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.store.Stores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestUnregisterEndpointTest {
    private static final String PUSH_JID = "push.example.net";
    private static final String TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final Map<String, String> PROVIDERS = Map.of("apns", "apns", "tigase:messenger:apns:1", "apns",
            "fcm-http-v1", "fcm-http-v1", "fcm-xmpp-api", "fcm-http-v1");

    private final DeviceRegistrationStore store = Stores.inMemoryDeviceStore();
    private static final int TIMEOUT_MILLIS = 10_000;

    private RestUnregisterEndpoint endpoint;
    /** What the unregistration told the metrics listener, as "change provider". */
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final List<String> removedNodes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        endpoint = RestUnregisterEndpoint.start(RestEndpointSettings.loopback(0),
                new DeviceUnregistration(PUSH_JID, store, id -> Optional.ofNullable(PROVIDERS.get(id)),
                        removedNodes::add, new PushMetricsListener() {
                            @Override
                            public void registrationChanged(RegistrationChange change, String providerId) {
                                changes.add(change + " " + providerId);
                            }
                        }));
        register("node-romeo", "romeo@example.net");
        register("node-juliet", "juliet@example.com");
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private void register(String node, String owner) {
        store.register(new DeviceRegistration(node, Device.of("apns", TOKEN), owner, null, Instant.now()));
    }

    /** An HTTP status and body. */
    private record Response(int statusCode, String body) {
    }

    private Response post(String path, String body) throws IOException {
        return exchange("POST", path, body);
    }

    private Response exchange(String method, String path, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri(path).toURL().openConnection();
        c.setConnectTimeout(TIMEOUT_MILLIS);
        c.setReadTimeout(TIMEOUT_MILLIS);
        c.setRequestMethod(method);
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            c.disconnect();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + endpoint.address().getPort() + path);
    }

    private static String request(String account, String provider, String token) {
        return "{\"account\":\"" + account + "\",\"provider\":\"" + provider + "\",\"device-token\":\"" + token + "\"}";
    }

    @Test
    void removesTheAccountsOwnRegistration() throws Exception {
        Response response = post("/rest/push/unregister-device/" + PUSH_JID,
                request("romeo@example.net", "tigase:messenger:apns:1", TOKEN));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).as("success: the account has no registration of that token any more")
                .isEqualTo("{\"result\":\"success\"}");
        assertThat(store.findByNode("node-romeo")).as("the account's registration is gone").isEmpty();
        assertThat(store.findByNode("node-juliet"))
                .as("another account's registration of the same device stays").isPresent();
    }

    @Test
    void aRemovalIsReportedToTheMetricsAndTheNodeCacheAsUnregisterDeviceReportsIt() throws Exception {
        String path = "/rest/push/unregister-device/" + PUSH_JID;
        post(path, request("mallory@example.org", "apns", TOKEN));
        post(path, request("romeo@example.net", "carrier-pigeon", TOKEN));
        assertThat(changes).as("nothing removed, nothing counted").isEmpty();

        post(path, request("romeo@example.net", "tigase:messenger:apns:1", TOKEN));
        post(path, request("romeo@example.net", "apns", TOKEN));

        assertThat(changes).as("one registration removed, under its canonical provider id")
                .containsExactly("UNREGISTERED apns");
        assertThat(removedNodes).containsExactly("node-romeo");
    }

    @Test
    void answersEveryWellFormedRequestAlikeSoNoAnswerTellsWhetherAnAccountHasAToken() throws Exception {
        String path = "/rest/push/unregister-device/" + PUSH_JID;
        Response wrongAccount = post(path, request("mallory@example.org", "apns", TOKEN));
        Response unknownToken = post(path, request("romeo@example.net", "apns", "ffff" + TOKEN.substring(4)));
        Response unknownProvider = post(path, request("romeo@example.net", "carrier-pigeon", TOKEN));
        assertThat(store.count()).as("nothing is removed for a wrong account, token or provider").isEqualTo(2);

        Response removed = post(path, request("romeo@example.net", "apns", TOKEN));

        assertThat(store.findByNode("node-romeo")).as("the account's own registration is removed").isEmpty();
        assertThat(List.of(wrongAccount, unknownToken, unknownProvider))
                .as("another account's token, an unknown token and an unknown provider are answered exactly as a"
                        + " removal: the account has no registration of that token afterwards in every case")
                .containsOnly(removed);
    }

    @Test
    void refusesMalformedRequestsWithoutRemovingAnything() throws Exception {
        assertThat(post("/rest/push/unregister-device/" + PUSH_JID, "not json").statusCode())
                .as("a body that is not JSON is a bad request").isEqualTo(400);
        assertThat(post("/rest/push/unregister-device/" + PUSH_JID,
                "{\"account\":\"romeo@example.net\",\"provider\":\"apns\"}").statusCode())
                .as("a missing device-token is a bad request").isEqualTo(400);
        assertThat(post("/rest/push/unregister-device/" + PUSH_JID, "[1,2]").statusCode())
                .as("a JSON array is a bad request").isEqualTo(400);
        assertThat(store.count()).isEqualTo(2);
    }

    @Test
    void boundsTheRequestSize() throws Exception {
        Response response = post("/rest/push/unregister-device/" + PUSH_JID,
                request("romeo@example.net", "apns", "x".repeat(RestEndpointSettings.DEFAULT_MAX_REQUEST_BYTES)));

        assertThat(response.statusCode()).as("a body over the limit is refused unread").isEqualTo(413);
        assertThat(store.count()).isEqualTo(2);
    }

    @Test
    void answersOnlyForThisPushServiceAndOnlyToPost() throws Exception {
        assertThat(post("/rest/push/unregister-device/push.other.example",
                request("romeo@example.net", "apns", TOKEN)).statusCode())
                .as("another push service's JID is not found").isEqualTo(404);
        assertThat(post("/rest/other", request("romeo@example.net", "apns", TOKEN)).statusCode())
                .as("other paths are not found").isEqualTo(404);
        Response get = exchange("GET", "/rest/push/unregister-device/" + PUSH_JID, null);
        assertThat(get.statusCode()).as("only POST unregisters").isEqualTo(405);
        assertThat(store.count()).isEqualTo(2);
    }

    @Test
    void closeReleasesThePortAndMayBeRepeated() throws Exception {
        int port = endpoint.address().getPort();
        endpoint.close();
        endpoint.close();

        try (java.net.ServerSocket again = new java.net.ServerSocket(port, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("the port is free after close").isEqualTo(port);
        }
    }

    @Test
    void bindsToLoopbackByDefault() {
        assertThat(endpoint.address().getAddress().isLoopbackAddress())
                .as("the endpoint is not reachable from outside unless configured").isTrue();
    }
}
