package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.AccountPushRegistrationStore;

class InMemoryAccountPushRegistrationStoreTest extends AccountPushRegistrationStoreContract {
    @Override
    AccountPushRegistrationStore createStore() {
        return new InMemoryAccountPushRegistrationStore();
    }

    @Override
    AccountPushRegistrationStore reopen() {
        return null;
    }
}
