package io.pushcomponent.core.dialect;

import io.pushcomponent.api.ServiceDiscovery;
import io.pushcomponent.core.user.PushExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Service-provider interface: one dialect of push, such as the one a family of clients and XMPP servers speaks, with
 * an app-server half and a user's-server half. Everything a dialect knows (its namespaces, provider ids, option
 * syntax) stays in its own module; push-core only calls these methods.
 *
 * <p>Implementations have a public no-argument constructor and are registered both in {@code module-info}
 * ({@code provides io.pushcomponent.core.dialect.Dialect with ...}) and in
 * {@code META-INF/services/io.pushcomponent.core.dialect.Dialect}; {@link #discover(ClassLoader)} finds them. Hosts
 * may also construct a dialect themselves (with options of its own) and hand it to
 * {@code PushAppServer.Builder#dialect} and {@code PushEnablementService.Builder#dialect}.
 *
 * <p><b>Thread-safety:</b> implementations and the halves they return are immutable and thread-safe.
 * <b>Lifecycle:</b> a dialect holds no resources; each call of {@link #appServer()} and {@link #userServer()} may
 * return the same objects.
 *
 * @see AppServerDialect
 * @see PushExtension
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
public interface Dialect {

    /** A short unique id, e.g. the name of the software family that speaks it; two dialects with one id are an error. */
    String id();

    /** The app-server half; {@link AppServerDialect#NONE} when the dialect has none. */
    default AppServerDialect appServer() {
        return AppServerDialect.NONE;
    }

    /**
     * The user's-server half: one extension per feature, in the order they are applied to a notification (filters
     * before the extensions that add to it). Empty when the dialect has none.
     */
    default List<PushExtension> userServer() {
        return List.of();
    }

    /**
     * Every dialect {@link ServiceLoader} finds through {@code loader} ({@link ServiceDiscovery}), in the loader's
     * order. A dialect that fails to load is logged and skipped; the others still load.
     *
     * @throws IllegalStateException when two dialects have the same id
     */
    static List<Dialect> discover(ClassLoader loader) {
        Map<String, Dialect> found = new LinkedHashMap<>();
        for (Dialect dialect : ServiceDiscovery.load(Dialect.class, loader, d -> "push dialect '" + d.id() + "'")
                .services()) {
            Dialect previous = found.putIfAbsent(dialect.id(), dialect);
            if (previous != null) {
                throw new IllegalStateException("two push dialects have the id '" + dialect.id() + "': "
                        + previous.getClass().getName() + " and " + dialect.getClass().getName());
            }
        }
        return List.copyOf(found.values());
    }
}
