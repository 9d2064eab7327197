package io.pushcomponent.http;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One request as a route sees it: the request line and headers are read; the body is read when asked for.
 *
 * <p>Not thread-safe: used by the one listener thread that serves the request, for as long as the route runs.
 */
public interface HttpRequest {
    /**
     * The request method, e.g. {@code GET}; a {@code HEAD} request is a {@code GET} here, and its answer goes out
     * without its body.
     */
    String method();

    /** The decoded path of the request target, without the query, e.g. {@code /health/ready}. */
    String path();

    /** The raw (still percent-encoded) query of the request target, or {@code null} when there is none. */
    String query();

    /**
     * The value of the header {@code name} (any case), or {@code null}; several lines of one name come as one value,
     * comma-separated (RFC 9110 section 5.3). For a request target in absolute form, {@code Host} is its authority.
     */
    String header(String name);

    /** The client's address. */
    InetSocketAddress remoteAddress();

    /**
     * Reads the body, framed by its {@code Content-Length} or the {@code chunked} transfer coding, at most the
     * listener's {@link HttpListenerSettings#maxRequestBytes()}; read it before answering a request that has one.
     *
     * @throws HttpRefusal 400 for a malformed body, 408 when too slow, 411 with neither {@code Content-Length} nor
     *                     {@code chunked}, 413 when longer than the limit
     * @throws IOException when the connection fails
     */
    byte[] body() throws IOException;
}
