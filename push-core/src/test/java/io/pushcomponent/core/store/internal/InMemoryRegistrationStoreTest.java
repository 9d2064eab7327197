package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.DeviceRegistrationStore;

/** The store contract against {@link InMemoryRegistrationStore}. */
class InMemoryRegistrationStoreTest extends RegistrationStoreContract {
    @Override
    DeviceRegistrationStore openStore() {
        return new InMemoryRegistrationStore();
    }
}
