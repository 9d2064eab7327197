package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.StoreFactory;
import io.pushcomponent.api.store.StoreSetting;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Store id {@code h2}: an embedded H2 database {@code registrations.mv.db} in a private directory, for one process.
 * Needs {@code com.h2database:h2} on the class or module path.
 */
public final class H2StoreFactory implements StoreFactory {
    /** The id configurations name this factory by. */
    public static final String ID = "h2";
    /** Setting: the directory of the database file; created 0700 when missing. Required. */
    public static final String DATA_DIR = "data-dir";
    /** Setting: {@code true} to force every change to the disk before it is acknowledged. */
    public static final String DATA_FSYNC = "data-fsync";
    /** Setting: the prefix of the table names. */
    public static final String TABLE_PREFIX = JdbcRegistrationStore.TABLE_PREFIX_SETTING.key();

    private static final List<StoreSetting> SETTINGS = List.of(
            StoreSetting.required(DATA_DIR, "directory of the database file registrations.mv.db; created 0700 "
                    + "when missing, refused when other users can read it and it holds other files"),
            StoreSetting.optional(DATA_FSYNC, "true: force every change to the disk before it is acknowledged, so "
                    + "that it survives power loss (one fsync per change); false: it survives a killed process",
                    "false"),
            JdbcRegistrationStore.TABLE_PREFIX_SETTING);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "embedded H2 database in a private directory, for a single process";
    }

    @Override
    public List<StoreSetting> settings() {
        return SETTINGS;
    }

    @Override
    public DeviceRegistrationStore openDeviceStore(Map<String, String> settings) {
        Map<String, String> s = resolve(settings);
        return JdbcRegistrationStore.openH2(Path.of(s.get(DATA_DIR)), s.get(TABLE_PREFIX),
                Settings.bool(ID, s, DATA_FSYNC));
    }

    @Override
    public AccountPushRegistrationStore openAccountStore(Map<String, String> settings) {
        Map<String, String> s = resolve(settings);
        return JdbcAccountPushRegistrationStore.openH2(Path.of(s.get(DATA_DIR)), s.get(TABLE_PREFIX),
                Settings.bool(ID, s, DATA_FSYNC));
    }
}
