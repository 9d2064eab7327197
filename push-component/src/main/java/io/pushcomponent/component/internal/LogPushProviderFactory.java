package io.pushcomponent.component.internal;

import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushProviderFactory;
import java.util.Optional;
import java.util.Set;

/**
 * Creates {@link LogPushProvider}s under provider id {@value #ID}: pushes are written to the log instead of being
 * sent, so the component can be tried without FCM or APNs credentials. It is never used unless a configuration
 * names it ({@code push () { 'log' () { } }}); it has no settings.
 *
 * <p>Stateless and thread-safe; discovered through {@link java.util.ServiceLoader}.
 */
public final class LogPushProviderFactory implements PushProviderFactory {
    /** The provider id. */
    public static final String ID = "log";

    /** For {@link java.util.ServiceLoader}. */
    public LogPushProviderFactory() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<String> artifact() {
        return Optional.of("io.pushcomponent:push-component");
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of();
    }

    @Override
    public PushProvider create(ProviderSettings settings) {
        settings.requireKnownKeys(settingKeys());
        return new LogPushProvider();
    }
}
