package io.pushcomponent.component;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.component.config.ConfigException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@code --check-config} checks after the file itself: every provider is created (which reads its credential
 * files: FCM's service account, APNs' keys and certificates) and closed again; the registration store is opened
 * and its {@link DeviceRegistrationStore#probe() probe} writes and removes a registration (so an unreachable database, wrong database credentials or
 * an unwritable {@code data-dir} show); with {@code --online}, every provider also reaches its service
 * ({@link PushProvider#checkOnline()}). Each failure is one line naming what failed and why, never a secret.
 *
 * <p>Not thread-safe; one check per instance.
 */
final class ConfigCheck {
    /** How long one provider's online check may take. */
    static final Duration ONLINE_TIMEOUT = Duration.ofSeconds(30);

    private final ComponentConfig config;
    private final ProviderRegistry registry;
    private final List<String> configProblems = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> checked = new ArrayList<>();

    ConfigCheck(ComponentConfig config, ProviderRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    /** Runs every check; {@code online} adds the providers' online checks. */
    ConfigCheck run(boolean online) {
        Map<String, PushProvider> providers = Map.of();
        try {
            providers = PushComponent.createProviders(config, registry);
            checked.add("providers " + providers.keySet());
        } catch (ConfigException e) {
            e.problems().forEach(p -> configProblems.add(p.toString()));
        }
        try {
            checkStore();
            if (online) {
                providers.forEach(this::checkOnline);
            }
        } finally {
            providers.values().forEach(PushProvider::close);
        }
        return this;
    }

    /** Problems of the file: a provider refused its settings or could not read a credential file. */
    List<String> configProblems() {
        return List.copyOf(configProblems);
    }

    /** What could not be reached or used: the store, a provider's service. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** What was checked and found working, for the OK line. */
    List<String> checked() {
        return List.copyOf(checked);
    }

    private void checkStore() {
        String store = describeStore(config);
        DeviceRegistrationStore opened;
        try {
            opened = PushComponent.openStore(config);
        } catch (RuntimeException e) {
            failures.add("store: cannot open " + store + ": " + reason(e));
            return;
        }
        try (DeviceRegistrationStore s = opened) {
            s.probe();
            checked.add("store " + store + " (probe written and removed)");
        } catch (RuntimeException e) {
            failures.add("store: " + store + " cannot be written: " + reason(e));
        }
    }

    private void checkOnline(String id, PushProvider provider) {
        String where = "provider '" + id + "' (" + config.file() + ":" + lineOf(id) + ")";
        try {
            checked.add(provider.checkOnline().toCompletableFuture()
                    .get(ONLINE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | CompletionException e) {
            failures.add(where + ": " + reason(e.getCause() == null ? e : e.getCause()));
        } catch (TimeoutException e) {
            failures.add(where + ": no answer from its service within " + ONLINE_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(where + ": interrupted");
        }
    }

    private int lineOf(String canonicalId) {
        for (Map.Entry<String, Integer> e : config.providerLines().entrySet()) {
            if (registry.factory(e.getKey()).id().equals(canonicalId)) {
                return e.getValue();
            }
        }
        return 0;
    }

    /** Where the store is, without credentials: the H2 directory, or the JDBC URL without user and password. */
    static String describeStore(ComponentConfig config) {
        return config.storeUri() == null ? "the embedded H2 database in data-dir " + config.dataDir()
                : "the database " + JdbcUrls.withoutCredentials(config.storeUri());
    }

    /**
     * Why {@code e} happened, in one line: the database driver's own words when it said something (e.g. "Connection
     * to 127.0.0.1:5432 refused"), otherwise the message and its innermost cause; anything that looks like the
     * store's password is masked.
     */
    private String reason(Throwable e) {
        Throwable sql = null;
        Throwable innermost = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null) {
                sql = t;
            }
            innermost = t;
        }
        String text;
        if (sql != null) {
            text = firstLine(sql.getMessage());
        } else {
            text = e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage());
            if (innermost != e) {
                text += " (" + innermost.getClass().getSimpleName()
                        + (innermost.getMessage() == null ? "" : ": " + firstLine(innermost.getMessage())) + ")";
            }
        }
        return config.storeUri() == null ? text : JdbcUrls.maskPassword(text, config.storeUri());
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
