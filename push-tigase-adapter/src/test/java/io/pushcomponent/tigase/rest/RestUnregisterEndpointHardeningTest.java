package io.pushcomponent.tigase.rest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.http.HttpListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * What a hostile or broken client can do to the REST endpoint: stall it, trickle into it, crowd it, guess its
 * secret, or read secrets from its logs. None of it may stop the endpoint serving others or removing nothing.
 */
@Timeout(60)
class RestUnregisterEndpointHardeningTest {
    private static final String PUSH_JID = "push.example.net";
    private static final String PATH = RestUnregisterEndpoint.PATH + PUSH_JID;
    private static final String TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final String NODE = "node-of-romeos-phone-9f8e7d6c5b4a";
    private static final String SECRET = "rest-secret-3c9a1f0e7b2d";
    private static final int CLIENT_TIMEOUT_MILLIS = 20_000;

    private final DeviceRegistrationStore store = Stores.inMemoryDeviceStore();
    private final List<Socket> clients = new ArrayList<>();
    private RestUnregisterEndpoint endpoint;

    @BeforeEach
    void register() {
        store.register(new DeviceRegistration(NODE, Device.of("apns", TOKEN), "romeo@example.net", null,
                Instant.now()));
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private void start(RestEndpointSettings settings) throws IOException {
        endpoint = RestUnregisterEndpoint.start(settings,
                new DeviceUnregistration(PUSH_JID, store, id -> Optional.ofNullable(Map.of("apns", "apns").get(id))));
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), endpoint.address().getPort());
        s.setSoTimeout(CLIENT_TIMEOUT_MILLIS);
        clients.add(s);
        return s;
    }

    private static String post(String body, String... extraHeaders) {
        StringBuilder r = new StringBuilder("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n");
        for (String h : extraHeaders) {
            r.append(h).append("\r\n");
        }
        return r.append("\r\n").append(body).toString();
    }

    private static String unregisterRomeo() {
        return "{\"account\":\"romeo@example.net\",\"provider\":\"apns\",\"device-token\":\"" + TOKEN + "\"}";
    }

    /** Sends {@code request} on a new connection and reads the whole answer (the server closes after it). */
    private String exchange(String request) throws IOException {
        Socket s = connect();
        s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        return readAll(s);
    }

    /**
     * Everything the server sent until it closed the connection. A reset after the answer (the server closed with
     * bytes of ours unread) ends the answer like a close; a client timeout fails the test.
     */
    private static String readAll(Socket s) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                answer.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            // reset after the answer
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void twoStalledConnectionsDoNotBlockAThirdRequest() throws Exception {
        start(RestEndpointSettings.loopback(0));
        Socket silent = connect();
        Socket halfway = connect();
        halfway.getOutputStream().write("POST /rest/push/unreg".getBytes(StandardCharsets.US_ASCII));
        halfway.getOutputStream().flush();

        String answer = exchange(post(unregisterRomeo()));

        assertThat(answer).as("the third request is served while the other two stall")
                .startsWith("HTTP/1.1 200 ").endsWith("{\"result\":\"success\"}");
        assertThat(store.findByNode(NODE)).isEmpty();
    }

    @Test
    void stalledConnectionsHoldingEveryThreadAreCutOffSoTheNextRequestIsStillServed() throws Exception {
        start(RestEndpointSettings.loopback(0).withThreads(2)
                .withTimeouts(Duration.ofMillis(300), Duration.ofMillis(600)));
        Socket silent = connect();
        Socket halfway = connect();
        halfway.getOutputStream().write("POST /rest/push/unreg".getBytes(StandardCharsets.US_ASCII));
        halfway.getOutputStream().flush();

        String answer = exchange(post(unregisterRomeo()));

        assertThat(answer).as("served once the read timeout freed a thread").startsWith("HTTP/1.1 200 ");
        assertThat(readAll(silent)).as("a silent client is told it was too slow, then closed")
                .startsWith("HTTP/1.1 408 ");
        assertThat(readAll(halfway)).as("so is a client that stopped halfway").startsWith("HTTP/1.1 408 ");
    }

    @Test
    void aClientTricklingItsRequestIsCutOffAtTheRequestTimeout() throws Exception {
        start(RestEndpointSettings.loopback(0).withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(500)));
        Socket trickler = connect();
        byte[] request = post(unregisterRomeo()).getBytes(StandardCharsets.US_ASCII);
        CountDownLatch cutOff = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = trickler.getOutputStream();
                // One byte every 50 ms, well within the read timeout: the whole request would take over 10 s.
                for (int i = 0; i < request.length && cutOff.getCount() > 0; i++) {
                    out.write(request[i]);
                    out.flush();
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException e) {
                // cut off by the server or by the test
            }
        }, "trickler");
        writer.start();

        String answer = readAll(trickler);
        cutOff.countDown();
        writer.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(answer).as("a request still arriving at the request timeout is refused")
                .startsWith("HTTP/1.1 408 ");
        assertThat(store.findByNode(NODE)).as("and nothing is removed for it").isPresent();
    }

    @Test
    void connectionsBeyondTheQueueAreRefusedAtOnceWith503() throws Exception {
        start(RestEndpointSettings.loopback(0).withThreads(1)
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30)));
        for (int i = 0; i < 1 + RestEndpointSettings.QUEUE_PER_THREAD; i++) {
            connect();
        }

        assertThat(readAll(connect())).as("one serving thread and its full queue: the next connection is refused"
                + " at once rather than left waiting").startsWith("HTTP/1.1 503 ");
    }

    @Test
    void requiresTheSharedSecretWhenOneIsConfigured() throws Exception {
        start(RestEndpointSettings.loopback(0).withSecret(SECRET));

        assertThat(exchange(post(unregisterRomeo()))).as("no Authorization header")
                .startsWith("HTTP/1.1 401 ").contains("WWW-Authenticate: Bearer").endsWith("{\"result\":\"failure\"}");
        assertThat(exchange(post(unregisterRomeo(), "Authorization: Bearer wrong")))
                .as("a wrong secret").startsWith("HTTP/1.1 401 ");
        assertThat(exchange(post(unregisterRomeo(), "Authorization: Bearer " + SECRET.substring(0, 10))))
                .as("a prefix of the secret").startsWith("HTTP/1.1 401 ");
        assertThat(exchange(post(unregisterRomeo(), "Authorization: Basic " + SECRET)))
                .as("another scheme").startsWith("HTTP/1.1 401 ");
        assertThat(store.findByNode(NODE)).as("nothing is removed without the secret").isPresent();

        assertThat(exchange(post(unregisterRomeo(), "Authorization: bearer " + SECRET)))
                .as("the secret (the scheme is case-insensitive, RFC 9110 section 11.1)")
                .startsWith("HTTP/1.1 200 ");
        assertThat(store.findByNode(NODE)).isEmpty();
    }

    @Test
    void checksTheSecretBeforeSayingAnythingAboutTheRequest() throws Exception {
        start(RestEndpointSettings.loopback(0).withSecret(SECRET));

        assertThat(exchange("GET " + RestUnregisterEndpoint.PATH + "push.other.example HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                .as("without the secret, neither the method nor the push service is judged")
                .startsWith("HTTP/1.1 401 ");
    }

    @Test
    void refusesARequestWithoutALengthAndOneWithConflictingLengths() throws Exception {
        start(RestEndpointSettings.loopback(0));

        assertThat(exchange("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                .as("a body framed neither by Content-Length nor chunked").startsWith("HTTP/1.1 411 ");
        assertThat(exchange("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
                + "Content-Length: 6\r\n\r\n"))
                .as("two different lengths (RFC 9112 section 6.3)").startsWith("HTTP/1.1 400 ");
        assertThat(exchange("POST " + PATH + " HTTP/1.1\r\nX: " + "y".repeat(9000) + "\r\n\r\n"))
                .as("headers over 8 KB").startsWith("HTTP/1.1 431 ");
        assertThat(store.findByNode(NODE)).isPresent();
    }

    @Test
    void logsNeitherTheTokenNorTheNodeNorTheSecret() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger(RestUnregisterEndpoint.class),
                (Logger) LoggerFactory.getLogger(DeviceUnregistration.class),
                (Logger) LoggerFactory.getLogger(HttpListener.class));
        for (Logger l : loggers) {
            l.addAppender(logs);
            l.setLevel(Level.TRACE);
        }
        try {
            start(RestEndpointSettings.loopback(0).withSecret(SECRET));
            exchange(post(unregisterRomeo(), "Authorization: Bearer " + SECRET + "x"));
            exchange(post(unregisterRomeo(), "Authorization: Bearer " + SECRET));
            endpoint.close();
        } finally {
            for (Logger l : loggers) {
                l.detachAppender(logs);
                l.setLevel(null);
            }
        }

        assertThat(store.findByNode(NODE)).isEmpty();
        assertThat(logs.list).as("the start, the refusal and the removal are logged").hasSizeGreaterThanOrEqualTo(3);
        for (ILoggingEvent e : logs.list) {
            assertThat(e.getFormattedMessage()).doesNotContain(TOKEN).doesNotContain(NODE).doesNotContain(SECRET);
        }
        assertThat(RestEndpointSettings.loopback(0).withSecret(SECRET).toString()).doesNotContain(SECRET);
    }

    @Test
    void closeEndsConnectionsInProgress() throws Exception {
        start(RestEndpointSettings.loopback(0));
        Socket silent = connect();
        silent.getOutputStream().write("POST ".getBytes(StandardCharsets.US_ASCII));
        silent.getOutputStream().flush();

        endpoint.close();

        assertThat(readAll(silent)).as("the server closed the connection without answering").isEmpty();
    }
}
