package io.pushcomponent.testkit;

import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushProviderFactory;
import java.util.Set;
import java.util.UUID;

/**
 * Creates {@link FakePushProvider}s under provider id {@code fake}. Setting {@code name} makes the instance
 * reachable through {@link FakePushProvider#named(String)}; setting {@code record} ({@code true} by default)
 * set to {@code false} creates a provider that only counts sends, as {@link FakePushProvider#counting()} does.
 *
 * <p>Stateless and thread-safe; discovered through {@link java.util.ServiceLoader}.
 */
public final class FakePushProviderFactory implements PushProviderFactory {
    /** The provider id. */
    public static final String ID = "fake";
    /** Setting: the name under which {@link FakePushProvider#named(String)} finds the created instance. */
    public static final String NAME = "name";
    /** Setting: {@code false} to count sends without recording them (for load tests); default {@code true}. */
    public static final String RECORD = "record";

    /** For {@link java.util.ServiceLoader}. */
    public FakePushProviderFactory() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of(NAME, RECORD);
    }

    @Override
    public PushProvider create(ProviderSettings settings) {
        settings.requireKnownKeys(settingKeys());
        return FakePushProvider.register(settings.string(NAME).orElse(UUID.randomUUID().toString()),
                settings.bool(RECORD, true));
    }
}
