package io.pushcomponent.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * What a route answers: a status, a content type, a body and extra headers. The listener adds
 * {@code Content-Length} and {@code Connection: close}.
 *
 * @param status      the HTTP status
 * @param contentType the {@code Content-Type} of the body
 * @param body        the body (not copied: do not change it after handing it over)
 * @param headers     extra response headers by name; names must not be {@code Content-Type},
 *                    {@code Content-Length} or {@code Connection}
 */
public record HttpResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    /** {@code application/json}. */
    public static final String JSON = "application/json";
    /** {@code text/plain; charset=utf-8}. */
    public static final String TEXT = "text/plain; charset=utf-8";

    public HttpResponse {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200..599, got " + status);
        }
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
        for (String name : headers.keySet()) {
            if (name.isBlank() || name.chars().anyMatch(c -> c <= ' ' || c == ':' || c > '~')
                    || name.equalsIgnoreCase("content-type") || name.equalsIgnoreCase("content-length")
                    || name.equalsIgnoreCase("connection")) {
                throw new IllegalArgumentException("header name not allowed: " + name);
            }
        }
        for (String value : headers.values()) {
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a header value must be one line");
            }
        }
    }

    /** {@code status} with {@code body} in UTF-8 and no extra headers. */
    public static HttpResponse of(int status, String contentType, String body) {
        return new HttpResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** {@code status} with a plain-text {@code body}. */
    public static HttpResponse text(int status, String body) {
        return of(status, TEXT, body);
    }
}
