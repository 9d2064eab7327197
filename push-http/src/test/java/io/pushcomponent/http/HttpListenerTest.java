package io.pushcomponent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The project's HTTP server: routes by path, refusals, the bearer token, and the bounds on slow clients. */
@Timeout(60)
class HttpListenerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();
    private HttpListener listener;

    @AfterEach
    void close() {
        if (listener != null) {
            listener.close();
        }
    }

    private java.net.http.HttpResponse<String> get(String path, String... headers) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + listener.address().getPort() + path)).timeout(WAIT);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.GET().build(), BodyHandlers.ofString());
    }

    private static HttpRoute says(String what) {
        return request -> HttpResponse.text(200, what + " " + request.path());
    }

    @Test
    void anExactPathServesOnlyItselfAPathEndingInSlashEverythingBelowAndTheLongestMatchWins() throws Exception {
        listener = HttpListener.start("test", HttpListenerSettings.loopback(0));
        listener.mount("/metrics", says("metrics"));
        listener.mount("/admin/", says("admin"));
        listener.mount("/admin/registrations/", says("registrations"));

        assertThat(get("/metrics").body()).isEqualTo("metrics /metrics");
        assertThat(get("/metrics/x").statusCode()).as("an exact path serves nothing below it").isEqualTo(404);
        assertThat(get("/metricsx").statusCode()).isEqualTo(404);
        assertThat(get("/admin/count").body()).isEqualTo("admin /admin/count");
        assertThat(get("/admin/registrations/alice").body()).as("the longest match wins")
                .isEqualTo("registrations /admin/registrations/alice");
        assertThat(get("/").statusCode()).as("nothing mounted at /").isEqualTo(404);
        assertThat(listener.paths()).as("longest first").containsExactly("/admin/registrations/", "/metrics", "/admin/");
    }

    @Test
    void aPathIsMountedOnceAndStartsWithASlash() throws Exception {
        listener = HttpListener.start("test", HttpListenerSettings.loopback(0));
        listener.mount("/a", says("a"));
        assertThatThrownBy(() -> listener.mount("/a", says("b"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> listener.mount("a", says("b"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRouteSeesMethodQueryHeadersAndBodyAndItsRefusalsAreAnsweredWithItsBodyAndHeaders() throws Exception {
        listener = HttpListener.start("test", HttpListenerSettings.loopback(0));
        listener.mount("/echo", new HttpRoute() {
            @Override
            public HttpResponse handle(HttpRequest request) throws IOException {
                if (!"POST".equals(request.method())) {
                    throw new HttpRefusal(405, "not POST", "Allow", "POST");
                }
                String body = new String(request.body(), StandardCharsets.UTF_8);
                return new HttpResponse(200, HttpResponse.JSON, (request.query() + "|" + request.header("x-thing")
                        + "|" + body).getBytes(StandardCharsets.UTF_8), Map.of("X-Answer", "yes"));
            }

            @Override
            public HttpResponse refusal(int status) {
                return HttpResponse.of(status, HttpResponse.JSON, "{\"refused\":" + status + "}");
            }
        });
        var posted = client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + listener.address().getPort() + "/echo?a=1&b=%20")).header("X-Thing", "thing")
                .POST(BodyPublishers.ofString("hello")).timeout(WAIT).build(), BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(posted.body()).isEqualTo("a=1&b=%20|thing|hello");
        assertThat(posted.headers().firstValue("x-answer")).hasValue("yes");
        assertThat(posted.headers().firstValue("content-type")).hasValue(HttpResponse.JSON);

        var refused = get("/echo");
        assertThat(refused.statusCode()).isEqualTo(405);
        assertThat(refused.body()).isEqualTo("{\"refused\":405}");
        assertThat(refused.headers().firstValue("allow")).hasValue("POST");

        var tooLarge = client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + listener.address().getPort() + "/echo")).POST(BodyPublishers.ofString("x".repeat(5000)))
                .timeout(WAIT).build(), BodyHandlers.ofString());
        assertThat(tooLarge.statusCode()).as("a body over max-request-bytes is refused unread").isEqualTo(413);
        assertThat(tooLarge.body()).as("with the route's refusal body").isEqualTo("{\"refused\":413}");
    }

    @Test
    void aRouteThatFailsIsAnswered500AndTheListenerServesOn() throws Exception {
        listener = HttpListener.start("test", HttpListenerSettings.loopback(0));
        listener.mount("/broken", request -> {
            throw new IllegalStateException("bug");
        });
        listener.mount("/ok", says("ok"));
        assertThat(get("/broken").statusCode()).isEqualTo(500);
        assertThat(get("/ok").statusCode()).isEqualTo(200);
    }

    @Test
    void aGuardedRouteRunsOnlyForTheRightBearerToken() throws Exception {
        listener = HttpListener.start("test", HttpListenerSettings.loopback(0));
        BearerToken token = BearerToken.of("s3cret-admin-token");
        listener.mount("/admin/", token.guard(says("admin")));

        assertThat(get("/admin/x").statusCode()).as("no Authorization header").isEqualTo(401);
        assertThat(get("/admin/x").headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"push\"");
        assertThat(get("/admin/x", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get("/admin/x", "Authorization", "Bearer s3cret-admin-toke").statusCode())
                .as("a prefix of the token").isEqualTo(401);
        assertThat(get("/admin/x", "Authorization", "Basic s3cret-admin-token").statusCode()).isEqualTo(401);
        assertThat(get("/admin/x", "Authorization", "bearer s3cret-admin-token").statusCode())
                .as("the scheme is case-insensitive (RFC 9110 section 11.1)").isEqualTo(200);
        assertThat(token.toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> BearerToken.of(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSilentClientIsAnswered408AfterTheReadTimeoutWhileOthersAreServed() throws Exception {
        listener = HttpListener.start("test", new HttpListenerSettings("127.0.0.1", 0, 4096, Duration.ofMillis(300),
                Duration.ofSeconds(5), 1));
        listener.mount("/ok", says("ok"));
        try (Socket silent = new Socket()) {
            silent.connect(listener.address(), (int) WAIT.toMillis());
            silent.getOutputStream().write("GET /ok HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            silent.setSoTimeout((int) WAIT.toMillis());
            assertThat(readAll(silent.getInputStream())).as("the only thread is freed by the read timeout")
                    .startsWith("HTTP/1.1 408 ");
        }
        assertThat(get("/ok").statusCode()).isEqualTo(200);
    }

    @Test
    void aTlsClientHelloOrAControlCharacterIsAnswered400AtOnceNotAfterTheTimeouts() throws Exception {
        // RFC 9112 sections 3 and 5: no control character but CR, LF and HTAB belongs in a request head. Timeouts
        // longer than the test's own read wait: an answer that waited for them would not come in time.
        Duration patient = WAIT.multipliedBy(3);
        listener = HttpListener.start("test", new HttpListenerSettings("127.0.0.1", 0, 4096, patient, patient, 1));
        listener.mount("/ok", says("ok"));
        // the start of a TLS 1.2/1.3 ClientHello: a handshake record (0x16), version 3.1, length, ClientHello (1)
        byte[] clientHello = {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03};
        assertThat(answerTo(clientHello)).as("HTTPS sent to the plain listener").startsWith("HTTP/1.1 400 ");
        assertThat(answerTo("GET /ok\u0001 HTTP/1.1".getBytes(StandardCharsets.ISO_8859_1)))
                .as("a control character in the request line, its end not sent").startsWith("HTTP/1.1 400 ");
        byte[] nul = "GET /ok HTTP/1.1\r\nHost: localhost\r\nX: \u0000".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(answerTo(nul)).as("NUL in a header value, its line not ended").startsWith("HTTP/1.1 400 ");
        assertThat(get("/ok").statusCode()).as("and the listener's one thread serves on").isEqualTo(200);
    }

    /** Sends {@code bytes}, keeps the connection open, and reads the answer for {@link #WAIT} at most. */
    private String answerTo(byte[] bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(listener.address(), (int) WAIT.toMillis());
            s.setSoTimeout((int) WAIT.toMillis());
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            return readAll(s.getInputStream());
        }
    }

    @Test
    void aRequestHeadOver8KbIsRefused431() throws Exception {
        listener = HttpListener.start("test", HttpListenerSettings.loopback(0));
        listener.mount("/ok", says("ok"));
        try (Socket s = new Socket()) {
            s.connect(listener.address(), (int) WAIT.toMillis());
            s.setSoTimeout((int) WAIT.toMillis());
            s.getOutputStream().write(("GET /ok HTTP/1.1\r\nX: " + "y".repeat(9000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 431 ");
        }
    }

    @Test
    void connectionsBeyondTheThreadsAndTheirQueueAreAnswered503AtOnce() throws Exception {
        listener = HttpListener.start("test", new HttpListenerSettings("127.0.0.1", 0, 4096, WAIT, WAIT, 1));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        listener.mount("/block", request -> {
            entered.countDown();
            try {
                release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HttpResponse.text(200, "done");
        });
        Socket blocker = connect("GET /block HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        Socket[] queued = new Socket[HttpListenerSettings.QUEUE_PER_THREAD];
        for (int i = 0; i < queued.length; i++) {
            queued[i] = connect("");
        }
        try (Socket refused = connect("")) {
            assertThat(readAll(refused.getInputStream())).as("one thread and its full queue: refused at once")
                    .startsWith("HTTP/1.1 503 ");
        } finally {
            release.countDown();
            blocker.close();
            for (Socket s : queued) {
                s.close();
            }
        }
    }

    @Test
    void refusalsBeforeThePathIsKnownAreAnsweredAsTheRouteAtTheRootAnswersThem() throws Exception {
        listener = HttpListener.start("test", HttpListenerSettings.loopback(0));
        listener.mount("/", new HttpRoute() {
            @Override
            public HttpResponse handle(HttpRequest request) {
                return HttpResponse.text(200, "root");
            }

            @Override
            public HttpResponse refusal(int status) {
                return HttpResponse.of(status, HttpResponse.JSON, "{\"result\":\"failure\"}");
            }
        });
        try (Socket s = connect("GET /x HTTP/1.1\r\nX: " + "y".repeat(9000) + "\r\n\r\n")) {
            assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 431 ")
                    .endsWith("{\"result\":\"failure\"}");
        }
    }

    /** The status line of the answer to {@code request}, sent as it is over a connection of its own. */
    private String statusOf(String request) throws IOException {
        try (Socket s = connect(request)) {
            String answer = readAll(s.getInputStream());
            return answer.substring(0, answer.indexOf("\r\n"));
        }
    }

    @Test
    void theRequestHeadIsHeldToRfc9112() throws Exception {
        listener = HttpListener.start("test", HttpListenerSettings.loopback(0));
        listener.mount("/ok", says("ok"));
        String host = "Host: localhost\r\n";

        assertThat(statusOf("GET /ok HTTP/1.1\r\n" + host + "\r\n")).isEqualTo("HTTP/1.1 200 OK");
        assertThat(statusOf("GET /ok HTTP/1.1\r\n\r\n")).as("RFC 9112 section 3.2: HTTP/1.1 without Host")
                .startsWith("HTTP/1.1 400 ");
        assertThat(statusOf("GET /ok HTTP/1.1\r\n" + host + host + "\r\n")).as("two Host lines, even alike")
                .startsWith("HTTP/1.1 400 ");
        assertThat(statusOf("GET /ok HTTP/1.0\r\n\r\n")).as("HTTP/1.0 needs no Host").startsWith("HTTP/1.1 200 ");
        assertThat(statusOf("GET http://localhost:8080/ok HTTP/1.1\r\n" + host + "\r\n"))
                .as("section 3.2.2: a server must accept the absolute form").startsWith("HTTP/1.1 200 ");
        assertThat(statusOf("GET /ok HTTP/2.0\r\n" + host + "\r\n")).startsWith("HTTP/1.1 505 ");
        assertThat(statusOf("BREW /ok HTTP/1.1\r\n" + host + "\r\n")).as("RFC 9110 section 9.1: an unknown method")
                .startsWith("HTTP/1.1 501 ");
        assertThat(statusOf("GET /ok HTTP/1.1\r\n" + host + "X: a\u0000b\r\n\r\n"))
                .as("RFC 9110 section 5.5: NUL in a value").startsWith("HTTP/1.1 400 ");
        assertThat(statusOf("GET /ok HTTP/1.1\r\n" + host + "X: a\rb\r\n\r\n")).as("a bare CR in a value")
                .startsWith("HTTP/1.1 400 ");
        assertThat(statusOf("GET /ok HTTP/1.1\r\n" + host + "X(y): a\r\n\r\n")).as("a field name is a token")
                .startsWith("HTTP/1.1 400 ");
        assertThat(statusOf("GET /ok HTTP/1.1\r\n" + host + "Content-Length: +0\r\n\r\n"))
                .as("Content-Length is digits only").startsWith("HTTP/1.1 400 ");
        assertThat(statusOf("GET /ok HTTP/1.1\r\n" + host + "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n"
                + "\r\n0\r\n\r\n")).as("RFC 9112 section 6.3: both framings, as a smuggler sends them")
                .startsWith("HTTP/1.1 400 ");
        assertThat(statusOf("GET /ok HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip, chunked\r\n\r\n"))
                .as("section 6.1: a transfer coding not implemented").startsWith("HTTP/1.1 501 ");
    }

    @Test
    void aHeadIsAnsweredAsAGetWithoutTheBody() throws Exception {
        listener = HttpListener.start("test", HttpListenerSettings.loopback(0));
        listener.mount("/ok", request -> {
            if (!"GET".equals(request.method())) {
                throw new HttpRefusal(405, "not GET", "Allow", "GET");
            }
            return HttpResponse.text(200, "ok");
        });

        try (Socket s = connect("HEAD /ok HTTP/1.1\r\nHost: localhost\r\n\r\n")) {
            assertThat(readAll(s.getInputStream())).as("RFC 9110 section 9.3.2: the GET's status and headers, no body")
                    .startsWith("HTTP/1.1 200 ").contains("Content-Length: 2\r\n").endsWith("\r\n\r\n");
        }
        try (Socket s = connect("HEAD /nothing HTTP/1.1\r\nHost: localhost\r\n\r\n")) {
            assertThat(readAll(s.getInputStream())).as("a refusal of a HEAD has no body either")
                    .startsWith("HTTP/1.1 404 ").endsWith("\r\n\r\n");
        }
    }

    @Test
    void aChunkedBodyIsReadWithinTheBodyLimit() throws Exception {
        listener = HttpListener.start("test", new HttpListenerSettings("127.0.0.1", 0, 64, WAIT, WAIT, 1));
        listener.mount("/echo", request -> HttpResponse.text(200, new String(request.body(),
                StandardCharsets.UTF_8)));
        String head = "POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n";

        try (Socket s = connect(head + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: t\r\n\r\n")) {
            assertThat(readAll(s.getInputStream())).as("RFC 9112 section 7.1: a recipient must parse chunked")
                    .startsWith("HTTP/1.1 200 ").endsWith("hello world");
        }
        assertThat(statusOf(head + "28\r\n" + "x".repeat(40) + "\r\n1a\r\n" + "y".repeat(26) + "\r\n0\r\n\r\n"))
                .as("66 bytes in two chunks over a 64-byte limit").startsWith("HTTP/1.1 413 ");
        assertThat(statusOf(head + "zz\r\nhello\r\n0\r\n\r\n")).as("a chunk size is hexadecimal")
                .startsWith("HTTP/1.1 400 ");
        assertThat(statusOf(head + "5\r\nhello!!\r\n0\r\n\r\n")).as("a chunk longer than its size")
                .startsWith("HTTP/1.1 400 ");
    }

    @Test
    void closeReleasesThePort() throws Exception {
        listener = HttpListener.start("test", HttpListenerSettings.loopback(0));
        int port = listener.address().getPort();
        listener.close();
        try (HttpListener again = HttpListener.start("again", HttpListenerSettings.loopback(port))) {
            assertThat(again.address().getPort()).isEqualTo(port);
            assertThat(again.address().getAddress().isLoopbackAddress()).as("loopback by default").isTrue();
        }
    }

    private Socket connect(String request) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", listener.address().getPort()), (int) WAIT.toMillis());
        s.setSoTimeout((int) WAIT.toMillis());
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.US_ASCII);
    }
}
