package io.pushcomponent.tigase.rest;

import io.pushcomponent.api.Redaction;
import io.pushcomponent.http.HttpListenerSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the REST endpoint listens, whom it serves and how long and how much it reads. The endpoint is off unless a
 * host starts it.
 *
 * <p>Configuration keys (in the component's {@code rest () { ... }} block): {@value #BIND_ADDRESS} (default
 * {@value #DEFAULT_BIND_ADDRESS}, loopback: put a TLS-terminating proxy in front to expose it), {@value #PORT}
 * (required; 0 picks a free port), {@value #MAX_REQUEST_BYTES} (default {@value #DEFAULT_MAX_REQUEST_BYTES}),
 * {@value #SECRET} (optional shared secret; write {@code env('NAME')} to keep it out of the file),
 * {@value #READ_TIMEOUT} (default 5 s), {@value #REQUEST_TIMEOUT} (default 10 s), {@value #THREADS} (default
 * {@value #DEFAULT_THREADS}).
 *
 * @param bindAddress     the address to bind to
 * @param port            the TCP port; 0 for any free port
 * @param maxRequestBytes the largest request body read; larger requests are refused with 413
 * @param secret          when not {@code null}, every request must carry {@code Authorization: Bearer <secret>};
 *                        others are refused with 401. Never shown by {@link #toString()}
 * @param readTimeout     the longest a client may stay silent while sending its request
 * @param requestTimeout  the longest a client may take to send its whole request (request line, headers, body):
 *                        a client trickling bytes is cut off after it however often it sends
 * @param threads         how many requests are served at once; further connections wait in a queue as long
 *                        as {@value #QUEUE_PER_THREAD} per thread, beyond which they are answered 503 at once
 */
public record RestEndpointSettings(String bindAddress, int port, int maxRequestBytes, String secret,
                                   Duration readTimeout, Duration requestTimeout, int threads) {
    /** Key: the address to bind to. */
    public static final String BIND_ADDRESS = "bind-address";
    /** Key: the TCP port. */
    public static final String PORT = "port";
    /** Key: the largest request body in bytes. */
    public static final String MAX_REQUEST_BYTES = "max-request-bytes";
    /** Key: the shared secret clients send as {@code Authorization: Bearer <secret>}. */
    public static final String SECRET = "secret";
    /** Key: the longest silence while a request arrives, an ISO-8601 duration. */
    public static final String READ_TIMEOUT = "read-timeout";
    /** Key: the longest time a whole request may take to arrive, an ISO-8601 duration. */
    public static final String REQUEST_TIMEOUT = "request-timeout";
    /** Key: how many requests are served at once. */
    public static final String THREADS = "threads";
    /** Loopback: nothing outside the machine reaches the endpoint unless the operator says so. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    /** Room for the three JSON fields with the longest tokens and JIDs. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 4096;
    /** A client on a slow mobile link sends a 4 KB request well within it. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);
    /** Twice the read timeout: a request that keeps trickling is cut off soon after a silent one. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Requests served at once by default. */
    public static final int DEFAULT_THREADS = 4;
    /** Connections allowed to wait per serving thread. */
    public static final int QUEUE_PER_THREAD = HttpListenerSettings.QUEUE_PER_THREAD;

    public RestEndpointSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("rest port must be 0..65535, got " + port);
        }
        if (maxRequestBytes < 64) {
            throw new IllegalArgumentException("rest max-request-bytes must be at least 64, got " + maxRequestBytes);
        }
        if (secret != null && secret.isBlank()) {
            throw new IllegalArgumentException("rest secret must not be blank");
        }
        if (readTimeout.isNegative() || readTimeout.isZero() || requestTimeout.isNegative()
                || requestTimeout.isZero()) {
            throw new IllegalArgumentException("rest timeouts must be positive");
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("rest threads must be 1..64, got " + threads);
        }
    }

    /** No secret, the default timeouts and threads. */
    public RestEndpointSettings(String bindAddress, int port, int maxRequestBytes) {
        this(bindAddress, port, maxRequestBytes, null, DEFAULT_READ_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_THREADS);
    }

    /** Loopback on {@code port} with the default request limit, no secret, the default timeouts and threads. */
    public static RestEndpointSettings loopback(int port) {
        return new RestEndpointSettings(DEFAULT_BIND_ADDRESS, port, DEFAULT_MAX_REQUEST_BYTES);
    }

    /** The listener's part of these settings: all but the secret. */
    public HttpListenerSettings listenerSettings() {
        return new HttpListenerSettings(bindAddress, port, maxRequestBytes, readTimeout, requestTimeout, threads);
    }

    /** These settings with {@code secret} required of every request ({@code null}: none). */
    public RestEndpointSettings withSecret(String secret) {
        return new RestEndpointSettings(bindAddress, port, maxRequestBytes, secret, readTimeout, requestTimeout,
                threads);
    }

    /** These settings with other timeouts. */
    public RestEndpointSettings withTimeouts(Duration readTimeout, Duration requestTimeout) {
        return new RestEndpointSettings(bindAddress, port, maxRequestBytes, secret, readTimeout, requestTimeout,
                threads);
    }

    /** These settings with another number of serving threads. */
    public RestEndpointSettings withThreads(int threads) {
        return new RestEndpointSettings(bindAddress, port, maxRequestBytes, secret, readTimeout, requestTimeout,
                threads);
    }

    @Override
    public String toString() {
        return "RestEndpointSettings[bindAddress=" + bindAddress + ", port=" + port + ", maxRequestBytes="
                + maxRequestBytes + ", secret=" + Redaction.secret(secret) + ", readTimeout=" + readTimeout
                + ", requestTimeout=" + requestTimeout + ", threads=" + threads + "]";
    }
}
