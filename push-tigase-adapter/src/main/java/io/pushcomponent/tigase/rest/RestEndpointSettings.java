package io.pushcomponent.tigase.rest;

import java.util.Objects;

/**
 * Where the REST endpoint listens and how much it reads. The endpoint is off unless a host starts it.
 *
 * <p>Configuration keys (in the component's {@code rest () { ... }} block): {@value #BIND_ADDRESS} (default
 * {@value #DEFAULT_BIND_ADDRESS}, loopback: put a TLS-terminating proxy in front to expose it), {@value #PORT}
 * (required; 0 picks a free port), {@value #MAX_REQUEST_BYTES} (default {@value #DEFAULT_MAX_REQUEST_BYTES}).
 *
 * @param bindAddress     the address to bind to
 * @param port            the TCP port; 0 for any free port
 * @param maxRequestBytes the largest request body read; larger requests are refused with 413
 */
public record RestEndpointSettings(String bindAddress, int port, int maxRequestBytes) {
    /** Key: the address to bind to. */
    public static final String BIND_ADDRESS = "bind-address";
    /** Key: the TCP port. */
    public static final String PORT = "port";
    /** Key: the largest request body in bytes. */
    public static final String MAX_REQUEST_BYTES = "max-request-bytes";
    /** Loopback: nothing outside the machine reaches the endpoint unless the operator says so. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    /** Room for the three JSON fields with the longest tokens and JIDs. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 4096;

    public RestEndpointSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("rest port must be 0..65535, got " + port);
        }
        if (maxRequestBytes < 64) {
            throw new IllegalArgumentException("rest max-request-bytes must be at least 64, got " + maxRequestBytes);
        }
    }

    /** Loopback on {@code port} with the default request limit. */
    public static RestEndpointSettings loopback(int port) {
        return new RestEndpointSettings(DEFAULT_BIND_ADDRESS, port, DEFAULT_MAX_REQUEST_BYTES);
    }
}
