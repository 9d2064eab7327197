package io.pushcomponent.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Where an {@link HttpListener} listens and how much it takes from each client.
 *
 * <p>Configuration keys (push-component's listener blocks use them): {@value #BIND_ADDRESS} (default
 * {@value #DEFAULT_BIND_ADDRESS}, loopback), {@value #PORT} (required; 0 picks a free port),
 * {@value #MAX_REQUEST_BYTES} (default {@value #DEFAULT_MAX_REQUEST_BYTES}), {@value #READ_TIMEOUT} (default 5 s),
 * {@value #REQUEST_TIMEOUT} (default 10 s), {@value #THREADS} (default {@value #DEFAULT_THREADS}).
 *
 * @param bindAddress     the address to bind to
 * @param port            the TCP port; 0 for any free port
 * @param maxRequestBytes the largest request body read; larger requests are refused with 413 unread
 * @param readTimeout     the longest a client may stay silent while sending its request
 * @param requestTimeout  the longest a client may take to send its whole request (request line, headers, body):
 *                        a client trickling bytes is cut off after it however often it sends
 * @param threads         how many requests are served at once; further connections wait in a queue as long
 *                        as {@value #QUEUE_PER_THREAD} per thread, beyond which they are answered 503 at once
 */
public record HttpListenerSettings(String bindAddress, int port, int maxRequestBytes, Duration readTimeout,
                                   Duration requestTimeout, int threads) {
    /** Key: the address to bind to. */
    public static final String BIND_ADDRESS = "bind-address";
    /** Key: the TCP port. */
    public static final String PORT = "port";
    /** Key: the largest request body in bytes. */
    public static final String MAX_REQUEST_BYTES = "max-request-bytes";
    /** Key: the longest silence while a request arrives, an ISO-8601 duration. */
    public static final String READ_TIMEOUT = "read-timeout";
    /** Key: the longest time a whole request may take to arrive, an ISO-8601 duration. */
    public static final String REQUEST_TIMEOUT = "request-timeout";
    /** Key: how many requests are served at once. */
    public static final String THREADS = "threads";
    /** Loopback: nothing outside the machine reaches a listener unless the operator says so. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    /** Room for small JSON requests with the longest tokens and JIDs. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 4096;
    /** A client on a slow mobile link sends a 4 KB request well within it. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);
    /** Twice the read timeout: a request that keeps trickling is cut off soon after a silent one. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Requests served at once by default. */
    public static final int DEFAULT_THREADS = 4;
    /** Connections allowed to wait per serving thread. */
    public static final int QUEUE_PER_THREAD = 16;
    /** The largest {@link #maxRequestBytes()} allowed. */
    public static final int MAX_MAX_REQUEST_BYTES = 1024 * 1024;

    public HttpListenerSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (maxRequestBytes < 64 || maxRequestBytes > MAX_MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("max-request-bytes must be 64.." + MAX_MAX_REQUEST_BYTES + ", got "
                    + maxRequestBytes);
        }
        if (readTimeout.isNegative() || readTimeout.isZero() || requestTimeout.isNegative()
                || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads must be 1..64, got " + threads);
        }
    }

    /** Loopback on {@code port} with the default limits, timeouts and threads. */
    public static HttpListenerSettings loopback(int port) {
        return new HttpListenerSettings(DEFAULT_BIND_ADDRESS, port, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_READ_TIMEOUT,
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_THREADS);
    }

    /** These settings with other timeouts. */
    public HttpListenerSettings withTimeouts(Duration readTimeout, Duration requestTimeout) {
        return new HttpListenerSettings(bindAddress, port, maxRequestBytes, readTimeout, requestTimeout, threads);
    }

    /** These settings with another number of serving threads. */
    public HttpListenerSettings withThreads(int threads) {
        return new HttpListenerSettings(bindAddress, port, maxRequestBytes, readTimeout, requestTimeout, threads);
    }
}
