package io.pushcomponent.monal;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the stateless mode serves publishes: the apps ("push modules") a publish may name with its
 * {@code pushModule} publish-option, and fpush's safeguards.
 *
 * <p>Immutable and thread-safe.
 *
 * @param modules           the push modules by the name clients send as {@code pushModule} (Monal's are
 *                          {@code monalProdiOS}, {@code monalProdCatalyst}, {@code quicksyProdiOS},
 *                          {@code quicksyProdCatalyst}, {@code monalAlpha}, each also with the suffix
 *                          {@code -sandbox}); at least one
 * @param defaultModule     the module serving a publish without {@code pushModule} whose node looks like a device
 *                          token; {@code null} for none (such publishes are left to the registered devices)
 * @param rateLimit         the least time between two pushes to one token of one module: a publish within it is
 *                          sent when the time is over, further ones are dropped; {@link Duration#ZERO} turns the limit
 *                          off
 * @param deadTokenBlock    how long a token the provider said is dead is refused without asking the provider again
 * @param allowedPublishers the domains of the servers that may publish; empty for any
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#publishing">XEP-0357 §7 Publishing Notifications</a>
 */
public record StatelessSettings(Map<String, PushModule> modules, String defaultModule, Duration rateLimit,
                                Duration deadTokenBlock, Set<String> allowedPublishers) {

    /** fpush's default least time between two pushes to one token. */
    public static final Duration DEFAULT_RATE_LIMIT = Duration.ofSeconds(20);
    /** fpush's default time a dead token is refused. */
    public static final Duration DEFAULT_DEAD_TOKEN_BLOCK = Duration.ofHours(24);

    /**
     * @throws IllegalArgumentException when there is no module, the default module is not one of them, or a duration
     *                                  is negative
     */
    public StatelessSettings {
        Objects.requireNonNull(modules, "modules");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(deadTokenBlock, "deadTokenBlock");
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
        allowedPublishers = Set.copyOf(allowedPublishers);
        if (modules.isEmpty()) {
            throw new IllegalArgumentException("the stateless mode needs at least one push module");
        }
        if (defaultModule != null && !modules.containsKey(defaultModule)) {
            throw new IllegalArgumentException("the default push module '" + defaultModule + "' is not configured;"
                    + " configured: " + modules.keySet());
        }
        if (rateLimit.isNegative() || deadTokenBlock.isNegative()) {
            throw new IllegalArgumentException("the rate limit and the dead-token block must not be negative");
        }
    }

    /** Settings with fpush's defaults: 20 s between pushes to a token, dead tokens refused for 24 h, any publisher. */
    public static StatelessSettings of(Map<String, PushModule> modules, String defaultModule) {
        return new StatelessSettings(modules, defaultModule, DEFAULT_RATE_LIMIT, DEFAULT_DEAD_TOKEN_BLOCK, Set.of());
    }

    /** The same settings with another rate limit. */
    public StatelessSettings withRateLimit(Duration limit) {
        return new StatelessSettings(modules, defaultModule, limit, deadTokenBlock, allowedPublishers);
    }

    /** The same settings with another dead-token block. */
    public StatelessSettings withDeadTokenBlock(Duration block) {
        return new StatelessSettings(modules, defaultModule, rateLimit, block, allowedPublishers);
    }

    /** The same settings, accepting publishes only from servers of these domains. */
    public StatelessSettings withAllowedPublishers(List<String> domains) {
        return new StatelessSettings(modules, defaultModule, rateLimit, deadTokenBlock, Set.copyOf(domains));
    }

    /**
     * One app a publish may name.
     *
     * @param provider the provider id or alias it is delivered through, e.g. {@code apns} or {@code fcm-http-v1}
     * @param app      the app id the provider knows it by (the APNs bundle id of one of the provider's apps);
     *                 {@code null} for the provider's default app
     * @param sandbox  {@code true} to send through the provider's sandbox (APNs development) environment
     */
    public record PushModule(String provider, String app, boolean sandbox) {
        public PushModule {
            Objects.requireNonNull(provider, "provider");
            if (provider.isBlank()) {
                throw new IllegalArgumentException("a push module needs a provider");
            }
            if (app != null && app.isBlank()) {
                app = null;
            }
        }
    }
}
