package io.pushcomponent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's smallest example, compiled and run: a route and a route behind a bearer token. */
class ReadmeExampleTest {
    @Test
    void readmeExample() throws Exception {
        String adminToken = "an-admin-token";
        HttpClient client = HttpClient.newHttpClient();
        try (HttpListener listener = HttpListener.start("admin", HttpListenerSettings.loopback(0))) {
            listener.mount("/hello", request -> HttpResponse.text(200, "hello\n"));
            listener.mount("/admin/", BearerToken.of(adminToken).guard(request -> HttpResponse.text(200, "admin\n")));

            String base = "http://127.0.0.1:" + listener.address().getPort();
            var hello = client.send(HttpRequest.newBuilder(URI.create(base + "/hello"))
                    .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("hello\n");
            var admin = client.send(HttpRequest.newBuilder(URI.create(base + "/admin/x"))
                    .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
            assertThat(admin.statusCode()).as("no token").isEqualTo(401);
        }
    }
}
