package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.StoreFactory;
import io.pushcomponent.api.store.StoreSetting;
import java.util.List;
import java.util.Map;

/** Store id {@code memory}: registrations in memory, gone with the process; for tests and trials. No settings. */
public final class MemoryStoreFactory implements StoreFactory {
    /** The id configurations name this factory by. */
    public static final String ID = "memory";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "registrations in memory; nothing survives a restart (tests, trials)";
    }

    @Override
    public List<StoreSetting> settings() {
        return List.of();
    }

    @Override
    public DeviceRegistrationStore openDeviceStore(Map<String, String> settings) {
        resolve(settings);
        return new InMemoryRegistrationStore();
    }

    @Override
    public AccountPushRegistrationStore openAccountStore(Map<String, String> settings) {
        resolve(settings);
        return new InMemoryAccountPushRegistrationStore();
    }
}
