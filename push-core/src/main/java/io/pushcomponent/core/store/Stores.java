package io.pushcomponent.core.store;

import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.RegistrationStoreException;
import io.pushcomponent.core.store.internal.InMemoryAccountPushRegistrationStore;
import io.pushcomponent.core.store.internal.InMemoryRegistrationStore;
import io.pushcomponent.core.store.internal.JdbcAccountPushRegistrationStore;
import io.pushcomponent.core.store.internal.JdbcRegistrationStore;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The registration stores push-core ships, for both sides: the app server's {@link DeviceRegistrationStore} (devices
 * registered through {@code register-device}) and the user's server's {@link AccountPushRegistrationStore} (what an
 * account enabled with {@code <enable/>}). Each comes in memory and in a SQL database (H2 or PostgreSQL); the two
 * sides' tables can share one database and one table prefix. Embedded, a store is H2's ({@link #h2DeviceStore}) or
 * SQLite's ({@link #sqliteDeviceStore}).
 *
 * <p>Hosts that choose a store by configuration look it up by id instead
 * ({@link io.pushcomponent.api.store.StoreFactory#find}: {@code memory}, {@code h2}, {@code sqlite},
 * {@code postgresql}).
 *
 * <p>Stateless and thread-safe; every store it returns is thread-safe and usable until closed.
 */
public final class Stores {
    /** The table prefix used when none is given: tables {@code push_registration}, {@code push_user_registration}. */
    public static final String DEFAULT_TABLE_PREFIX = JdbcRegistrationStore.DEFAULT_TABLE_PREFIX;

    private Stores() {
    }

    /** An app-server store in memory, for tests and hosts that keep registrations elsewhere; nothing survives. */
    public static DeviceRegistrationStore inMemoryDeviceStore() {
        return new InMemoryRegistrationStore();
    }

    /**
     * An app-server store in the database of a {@link DataSource} (H2 or PostgreSQL), creating or upgrading its tables
     * {@code <prefix>registration} and {@code <prefix>schema_version}.
     *
     * @param dataSource  connections, preferably pooled (HikariCP); stays the caller's to close
     * @param tablePrefix a lower-case letter, then up to 29 lower-case letters, digits or {@code _}
     * @throws IllegalArgumentException   when the prefix is not of that form
     * @throws RegistrationStoreException when the database cannot be reached or is newer than this code
     */
    public static DeviceRegistrationStore jdbcDeviceStore(DataSource dataSource, String tablePrefix) {
        return JdbcRegistrationStore.open(dataSource, tablePrefix);
    }

    /**
     * An app-server store in an embedded H2 database {@code registrations.mv.db} in {@code directory} (created
     * 0700 when missing); {@code com.h2database:h2} must be on the class or module path. Every change is in the
     * file when its method returns; with {@code fsync} it is also forced to the disk.
     *
     * @throws RegistrationStoreException when the directory or database cannot be opened (another process has it,
     *                                    the directory is open to others and holds other files, a newer schema)
     */
    public static DeviceRegistrationStore h2DeviceStore(Path directory, String tablePrefix, boolean fsync) {
        return JdbcRegistrationStore.openH2(directory, tablePrefix, fsync);
    }

    /**
     * An app-server store in an embedded SQLite database {@code registrations.sqlite} in {@code directory} (created
     * 0700 when missing; the database's files 0600); {@code org.xerial:sqlite-jdbc} and {@code com.zaxxer:HikariCP}
     * must be on the class or module path. SQLite keeps its page cache in native memory (a few MB), so reading
     * registrations allocates little on the Java heap. Every change is in the database's write-ahead log when its
     * method returns, so it survives a killed process; with {@code fsync} it is also forced to the disk, so that it
     * survives power loss.
     *
     * @throws RegistrationStoreException when the directory or database cannot be opened (the directory is open to
     *                                    others and holds other files, a newer schema)
     */
    public static DeviceRegistrationStore sqliteDeviceStore(Path directory, String tablePrefix, boolean fsync) {
        return JdbcRegistrationStore.openSqlite(directory, tablePrefix, fsync);
    }

    /** A user's-server store in memory: nothing survives the process. */
    public static AccountPushRegistrationStore inMemoryAccountStore() {
        return new InMemoryAccountPushRegistrationStore();
    }

    /**
     * A user's-server store in the database of a {@link DataSource} (H2 or PostgreSQL), creating or upgrading its
     * tables {@code <prefix>user_registration} and {@code <prefix>user_schema_version}.
     *
     * @param dataSource  connections, preferably pooled; stays the caller's to close
     * @param tablePrefix as for {@link #jdbcDeviceStore}
     * @throws IllegalArgumentException   when the prefix is not of that form
     * @throws RegistrationStoreException when the database cannot be reached or is newer than this code
     */
    public static AccountPushRegistrationStore jdbcAccountStore(DataSource dataSource, String tablePrefix) {
        return JdbcAccountPushRegistrationStore.open(dataSource, tablePrefix);
    }
}
