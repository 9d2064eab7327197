package com.example.embedder;

import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushProviderFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * A push provider of our own, found through the SPI: each push becomes an HTTP POST of a small JSON document to a
 * gateway we run. Registered in {@code META-INF/services/io.pushcomponent.api.PushProviderFactory}, so
 * {@code ProviderRegistry.discover()} finds it next to FCM and APNs.
 *
 * <p>Settings: {@code url} (required, http or https) and {@code timeout} (default 10 s). Stateless and thread-safe.
 */
public final class WebhookProviderFactory implements PushProviderFactory {
    /** The provider id devices register with. */
    public static final String ID = "example-webhook";
    /** Setting: the gateway's URL. */
    public static final String URL = "url";
    /** Setting: how long one POST may take. */
    public static final String TIMEOUT = "timeout";

    /** For {@link java.util.ServiceLoader}. */
    public WebhookProviderFactory() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of(URL, TIMEOUT);
    }

    @Override
    public PushProvider create(ProviderSettings settings) {
        settings.requireKnownKeys(settingKeys());
        URI gateway = URI.create(settings.requireString(URL));
        if (!"http".equals(gateway.getScheme()) && !"https".equals(gateway.getScheme())) {
            throw new IllegalArgumentException("'" + URL + "' must be an http or https URL");
        }
        return new WebhookPushProvider(gateway, settings.duration(TIMEOUT, Duration.ofSeconds(10)));
    }
}
