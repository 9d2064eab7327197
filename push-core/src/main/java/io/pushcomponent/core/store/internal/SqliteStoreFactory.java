package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.StoreFactory;
import io.pushcomponent.api.store.StoreSetting;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Store id {@code sqlite}: an embedded SQLite database {@code registrations.sqlite} in a private directory, for one
 * process. Its page cache is in native memory, so a look-up of a registration not read for a while allocates
 * little on the Java heap. Needs {@code org.xerial:sqlite-jdbc} and {@code com.zaxxer:HikariCP} on the class or
 * module path.
 */
public final class SqliteStoreFactory implements StoreFactory {
    /** The id configurations name this factory by. */
    public static final String ID = "sqlite";
    /** Setting: the directory of the database file; created 0700 when missing. Required. */
    public static final String DATA_DIR = H2StoreFactory.DATA_DIR;
    /** Setting: {@code true} to force every change to the disk before it is acknowledged. */
    public static final String DATA_FSYNC = H2StoreFactory.DATA_FSYNC;
    /** Setting: the prefix of the table names. */
    public static final String TABLE_PREFIX = JdbcRegistrationStore.TABLE_PREFIX_SETTING.key();

    private static final List<StoreSetting> SETTINGS = List.of(
            StoreSetting.required(DATA_DIR, "directory of the database file registrations.sqlite; created 0700 "
                    + "when missing, refused when other users can read it and it holds other files"),
            StoreSetting.optional(DATA_FSYNC, "true: force every commit to the disk before it is acknowledged, so "
                    + "that it survives power loss (SQLite's synchronous=FULL); false: it survives a killed process "
                    + "(synchronous=NORMAL)", "false"),
            JdbcRegistrationStore.TABLE_PREFIX_SETTING);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "embedded SQLite database in a private directory, for a single process; page cache off the Java heap";
    }

    @Override
    public List<StoreSetting> settings() {
        return SETTINGS;
    }

    @Override
    public DeviceRegistrationStore openDeviceStore(Map<String, String> settings) {
        Map<String, String> s = resolve(settings);
        return JdbcRegistrationStore.openSqlite(Path.of(s.get(DATA_DIR)), s.get(TABLE_PREFIX),
                Settings.bool(ID, s, DATA_FSYNC));
    }

    @Override
    public AccountPushRegistrationStore openAccountStore(Map<String, String> settings) {
        Map<String, String> s = resolve(settings);
        return JdbcAccountPushRegistrationStore.openSqlite(Path.of(s.get(DATA_DIR)), s.get(TABLE_PREFIX),
                Settings.bool(ID, s, DATA_FSYNC));
    }
}
