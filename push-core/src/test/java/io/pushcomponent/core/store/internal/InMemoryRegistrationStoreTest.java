package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.testkit.store.DeviceRegistrationStoreContract;

/** The store contract against {@link InMemoryRegistrationStore}. */
class InMemoryRegistrationStoreTest extends DeviceRegistrationStoreContract {
    @Override
    protected DeviceRegistrationStore openStore() {
        return new InMemoryRegistrationStore();
    }
}
