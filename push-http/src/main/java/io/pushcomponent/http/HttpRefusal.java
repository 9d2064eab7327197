package io.pushcomponent.http;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request answered with {@link #status()} and no work done for it: thrown by the listener while it reads a request
 * (400, 408, 411, 413, 431) and by routes (401, 404, 405, ...). The listener answers it with the route's
 * {@link HttpRoute#refusal} body and these headers, then closes the connection.
 *
 * <p>The message says why, for the debug log; it must never carry a secret or a token of the request.
 */
public final class HttpRefusal extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String[] headers;

    /**
     * @param status  the HTTP status to answer
     * @param reason  why, for the debug log (never the request's secrets)
     * @param headers extra response header name/value pairs, e.g. {@code "Allow", "POST"}
     */
    public HttpRefusal(int status, String reason, String... headers) {
        super(reason);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a refusal has a 4xx or 5xx status, got " + status);
        }
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name/value pairs");
        }
        this.status = status;
        this.headers = headers.clone();
    }

    /** The HTTP status to answer. */
    public int status() {
        return status;
    }

    /** The extra response headers, by name, in the order given. */
    public Map<String, String> headers() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return map;
    }
}
