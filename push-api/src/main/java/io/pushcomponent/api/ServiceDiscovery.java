package io.pushcomponent.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the implementations of a service interface through {@link ServiceLoader}: the one discovery routine of the
 * project, used for push providers ({@link ProviderRegistry#discover(ClassLoader)}) and push-core's extensions.
 *
 * <p>An implementation that fails to load is reported and skipped, so one broken jar never hides the others. The
 * log says what was found once: each implementation at INFO with its version and jar, each failure at WARN, the
 * first time this JVM finds it; discovering again (a second registry, a reloaded configuration, a test) logs the
 * same findings at DEBUG only.
 *
 * <p>Thread-safe; the methods are static.
 *
 * @see ServiceLoader
 */
public final class ServiceDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceDiscovery.class);

    /** What was logged at INFO or WARN already: service, implementation and jar, or service and failure. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private ServiceDiscovery() {
    }

    /**
     * What one discovery found.
     *
     * @param services the implementations that loaded, in {@link ServiceLoader}'s order
     * @param failures the messages of the entries that failed to load
     * @param <S>      the service type
     */
    public record Found<S>(List<S> services, List<String> failures) {
        /** Copies both lists. */
        public Found {
            services = List.copyOf(services);
            failures = List.copyOf(failures);
        }
    }

    /**
     * Loads every implementation of {@code service} that {@code loader} sees.
     *
     * @param service  the service interface
     * @param loader   where to look (on the module path, the modules that {@code provides} it are found too)
     * @param describe what the log line calls an implementation, e.g. {@code "push provider 'apns'"}
     * @param <S>      the service type
     * @return the implementations and the failures
     */
    public static <S> Found<S> load(Class<S> service, ClassLoader loader, Function<? super S, String> describe) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(describe, "describe");
        List<S> found = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Iterator<S> it = ServiceLoader.load(service, loader).iterator();
        while (true) {
            S next;
            try {
                if (!it.hasNext()) {
                    break;
                }
                next = it.next();
            } catch (ServiceConfigurationError e) {
                failures.add(e.getMessage());
                if (LOGGED.add(service.getName() + " failed: " + e.getMessage())) {
                    LOG.warn("a {} failed to load and is skipped: {}", service.getSimpleName(), e.getMessage(), e);
                } else {
                    LOG.debug("a {} failed to load and is skipped: {}", service.getSimpleName(), e.getMessage());
                }
                continue;
            }
            found.add(next);
            Class<?> type = next.getClass();
            String source = source(type);
            String line = "{} ({} version {} from {})";
            if (LOGGED.add(service.getName() + " " + type.getName() + " " + source)) {
                LOG.info(line, describe.apply(next), type.getName(), version(type), source);
            } else {
                LOG.debug(line, describe.apply(next), type.getName(), version(type), source);
            }
        }
        return new Found<>(found, failures);
    }

    /** Where {@code type} was loaded from (its jar or classes directory), or {@code "unknown"}. */
    public static String source(Class<?> type) {
        var domain = type.getProtectionDomain();
        var location = domain == null || domain.getCodeSource() == null ? null : domain.getCodeSource().getLocation();
        return location == null ? "unknown" : location.toString();
    }

    private static String version(Class<?> type) {
        String v = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
