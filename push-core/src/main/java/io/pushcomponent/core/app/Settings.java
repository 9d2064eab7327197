package io.pushcomponent.core.app;

import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.dialect.DialectCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * What {@link PushAppServer.Builder} collected, shared by the handlers. Immutable.
 *
 * @param admins the administrators' bare JIDs, normalised ({@link io.pushcomponent.api.Jid})
 */
record Settings(String jid, DeviceRegistrationStore store, Providers providers, boolean requireSecret,
                Set<String> allowedDomains, Duration providerTimeout, Executor executor,
                List<AppServerDialect> dialects, Map<String, DialectCommand> dialectCommands,
                Duration sessionTimeout, Quotas quotas, PushMetricsListener metrics, Set<String> admins) {
}
