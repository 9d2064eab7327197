package io.pushcomponent.core.store;

import io.pushcomponent.api.RegistrationStore;

/** The store contract against {@link InMemoryRegistrationStore}. */
class InMemoryRegistrationStoreTest extends RegistrationStoreContract {
    @Override
    RegistrationStore openStore() {
        return new InMemoryRegistrationStore();
    }
}
