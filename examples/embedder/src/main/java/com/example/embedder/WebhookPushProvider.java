package com.example.embedder;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * POSTs {@code {"token":..,"account":..,"count":..}} to the gateway and maps its status to a delivery result: 2xx
 * delivered, 404 and 410 a dead token (the app server then drops the registration), 429 a quota with its
 * {@code Retry-After}, anything else unavailable. Never blocks: {@link HttpClient#sendAsync}.
 *
 * <p>Thread-safe.
 */
final class WebhookPushProvider implements PushProvider {
    private final URI gateway;
    private final Duration timeout;
    private final HttpClient http;

    WebhookPushProvider(URI gateway, Duration timeout) {
        this.gateway = gateway;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public CompletionStage<DeliveryResult> send(PushRequest request) {
        Integer count = request.summary().messageCount();
        String json = "{\"token\":\"" + escape(request.device().token()) + "\",\"account\":\""
                + escape(request.account()) + "\",\"count\":" + (count == null ? 0 : count) + "}";
        HttpRequest post = HttpRequest.newBuilder(gateway).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.sendAsync(post, HttpResponse.BodyHandlers.discarding()).thenApply(WebhookPushProvider::result);
    }

    private static DeliveryResult result(HttpResponse<Void> response) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            return new DeliveryResult.Delivered(response.headers().firstValue("X-Message-Id").orElse(null));
        }
        return switch (status) {
            case 404, 410 -> DeliveryResult.Rejected.of(RejectionReason.INVALID_TOKEN, "HTTP " + status);
            case 429 -> new DeliveryResult.Rejected(RejectionReason.QUOTA_EXCEEDED, "HTTP 429",
                    response.headers().firstValueAsLong("Retry-After").stream()
                            .mapToObj(Duration::ofSeconds).findFirst().orElse(null));
            default -> DeliveryResult.Rejected.of(RejectionReason.UNAVAILABLE, "HTTP " + status);
        };
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        // HttpClient of Java 17 has nothing to close; its threads end with it
    }
}
