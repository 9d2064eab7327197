package io.pushcomponent.component;

import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.http.BearerToken;
import io.pushcomponent.http.HttpListener;
import io.pushcomponent.http.HttpListenerSettings;
import io.pushcomponent.http.HttpRoute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component's HTTP listeners ({@value ComponentConfig#HTTP} bean) and the routes mounted on them: the admin
 * listener (metrics, health, admin routes behind a bearer token; loopback by default) and the public listener
 * (routes meant for the internet). Each is off unless configured; a route for a listener that is off is not mounted.
 *
 * <p>Every listener is push-http's {@link HttpListener}: bounded threads, request caps, timeouts. A module adds a
 * route in {@code PushComponent.start} with {@link #mount} or {@link #mountAdmin}.
 *
 * <p><b>Lifecycle:</b> started with the component, closed with it. <b>Thread-safety:</b> thread-safe.
 */
public final class ComponentHttp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ComponentHttp.class);

    /** Which listener a route is for. */
    public enum Exposure {
        /** The admin listener: operators and monitoring (metrics, health, admin routes); loopback by default. */
        ADMIN,
        /** The public listener: routes clients on the internet reach (through a reverse proxy). */
        PUBLIC
    }

    private final Map<Exposure, HttpListener> listeners;
    private final BearerToken adminToken;
    private final BearerToken metricsToken;

    private ComponentHttp(Map<Exposure, HttpListener> listeners, BearerToken adminToken, BearerToken metricsToken) {
        this.listeners = listeners;
        this.adminToken = adminToken;
        this.metricsToken = metricsToken;
    }

    /**
     * Binds the configured listeners.
     *
     * @throws UncheckedIOException when one cannot be bound (any already bound is closed again)
     */
    static ComponentHttp start(ComponentConfig.Http config) {
        Map<Exposure, HttpListener> listeners = new EnumMap<>(Exposure.class);
        try {
            bind(listeners, Exposure.ADMIN, config.admin());
            bind(listeners, Exposure.PUBLIC, config.external());
        } catch (IOException e) {
            listeners.values().forEach(HttpListener::close);
            throw new UncheckedIOException(e);
        }
        return new ComponentHttp(listeners,
                config.adminToken() == null ? null : BearerToken.of(config.adminToken()),
                config.metricsToken() == null ? null : BearerToken.of(config.metricsToken()));
    }

    private static void bind(Map<Exposure, HttpListener> listeners, Exposure exposure, HttpListenerSettings settings)
            throws IOException {
        if (settings == null) {
            return;
        }
        String name = exposure == Exposure.ADMIN ? ComponentConfig.HTTP_ADMIN : ComponentConfig.HTTP_PUBLIC;
        try {
            listeners.put(exposure, HttpListener.start(name, settings));
        } catch (IOException e) {
            throw new IOException("cannot listen for HTTP on " + settings.bindAddress() + ":" + settings.port()
                    + " ('" + ComponentConfig.HTTP + "' bean, '" + name + "')", e);
        }
    }

    /**
     * Serves {@code path} on the {@code exposure} listener with {@code route}, to anyone who reaches it (see
     * {@link HttpListener#mount} for how paths match).
     *
     * @return {@code false} when that listener is off (nothing mounted)
     * @throws IllegalStateException when something is mounted at that path already
     */
    public boolean mount(Exposure exposure, String path, HttpRoute route) {
        HttpListener listener = listeners.get(exposure);
        if (listener == null) {
            return false;
        }
        listener.mount(path, route);
        return true;
    }

    /**
     * Serves {@code path} on the admin listener with {@code route}, only to requests carrying the admin token
     * ({@code Authorization: Bearer <token>}; others get 401).
     *
     * @return {@code false} when the admin listener is off or has no {@value ComponentConfig#HTTP_TOKEN} (nothing
     *         mounted: admin routes are never served without a token)
     */
    public boolean mountAdmin(String path, HttpRoute route) {
        if (!listeners.containsKey(Exposure.ADMIN)) {
            return false;
        }
        if (adminToken == null) {
            LOG.info("admin route {} not served: the '{}' listener has no '{}'", path, ComponentConfig.HTTP_ADMIN,
                    ComponentConfig.HTTP_TOKEN);
            return false;
        }
        return mount(Exposure.ADMIN, path, adminToken.guard(route));
    }

    /**
     * Serves the metrics at {@code path} on the admin listener with {@code route}: only to requests carrying the
     * {@value ComponentConfig#HTTP_METRICS_TOKEN} when one is configured (others get 401), else to anyone who
     * reaches the listener (loopback by default).
     *
     * @return {@code false} when the admin listener is off (nothing mounted)
     */
    public boolean mountMetrics(String path, HttpRoute route) {
        return mount(Exposure.ADMIN, path, metricsToken == null ? route : metricsToken.guard(route));
    }

    /** Where the {@code exposure} listener listens; empty when it is off. */
    public Optional<InetSocketAddress> address(Exposure exposure) {
        return Optional.ofNullable(listeners.get(exposure)).map(HttpListener::address);
    }

    /** Closes every listener. Idempotent. */
    @Override
    public void close() {
        listeners.values().forEach(HttpListener::close);
    }
}
