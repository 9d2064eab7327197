package io.pushcomponent.core.app;

import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.xml.forms.DataForm;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;

/** What {@link PushAppServer.Builder} collected, shared by the handlers. Immutable. */
record Settings(String jid, DeviceRegistrationStore store, Providers providers, boolean requireSecret,
                Set<String> allowedDomains, Duration providerTimeout, Executor executor,
                NotificationMapper notificationMapper, List<String> extraFeatures,
                Function<DeviceRegistration, List<DataForm.Field>> extraResultFields, Duration sessionTimeout,
                Quotas quotas) {
}
