package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.testkit.store.AccountPushRegistrationStoreContract;

class InMemoryAccountPushRegistrationStoreTest extends AccountPushRegistrationStoreContract {
    @Override
    protected AccountPushRegistrationStore createStore() {
        return new InMemoryAccountPushRegistrationStore();
    }

    @Override
    protected AccountPushRegistrationStore reopen() {
        return null;
    }
}
