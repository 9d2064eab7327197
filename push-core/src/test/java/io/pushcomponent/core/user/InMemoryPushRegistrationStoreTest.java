package io.pushcomponent.core.user;

class InMemoryPushRegistrationStoreTest extends PushRegistrationStoreContract {
    @Override
    PushRegistrationStore createStore() {
        return PushRegistrationStore.inMemory();
    }

    @Override
    PushRegistrationStore reopen() {
        return null;
    }
}
