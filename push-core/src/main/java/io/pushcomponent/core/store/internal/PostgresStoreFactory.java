package io.pushcomponent.core.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.StoreFactory;
import io.pushcomponent.api.store.StoreSetting;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Store id {@code postgresql}: a PostgreSQL database shared by several processes, through a HikariCP pool that the
 * store closes with itself. Needs {@code com.zaxxer:HikariCP} and the PostgreSQL JDBC driver on the class or module
 * path.
 */
public final class PostgresStoreFactory implements StoreFactory {
    /** The id configurations name this factory by. */
    public static final String ID = "postgresql";
    /** Setting: the JDBC URL, {@code jdbc:postgresql://...}; may hold the password. Required. */
    public static final String URI = "uri";
    /** Setting: the most connections the pool opens. */
    public static final String POOL_SIZE = "pool-size";
    /** Setting: the prefix of the table names. */
    public static final String TABLE_PREFIX = JdbcRegistrationStore.TABLE_PREFIX_SETTING.key();

    private static final List<StoreSetting> SETTINGS = List.of(
            new StoreSetting(URI, "JDBC URL, e.g. jdbc:postgresql://db.example.com/push?user=push&password=...",
                    null, true),
            StoreSetting.optional(POOL_SIZE, "the most connections the pool opens (1 to 1000)", "10"),
            JdbcRegistrationStore.TABLE_PREFIX_SETTING);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "PostgreSQL, shared by several component instances";
    }

    @Override
    public List<StoreSetting> settings() {
        return SETTINGS;
    }

    @Override
    public DeviceRegistrationStore openDeviceStore(Map<String, String> settings) {
        Map<String, String> s = resolve(settings);
        return open(s, "push-store", pool -> new ClosingDeviceStore(
                JdbcRegistrationStore.open(pool, s.get(TABLE_PREFIX)), pool));
    }

    @Override
    public AccountPushRegistrationStore openAccountStore(Map<String, String> settings) {
        Map<String, String> s = resolve(settings);
        return open(s, "push-user-store", pool -> JdbcAccountPushRegistrationStore.open(pool, s.get(TABLE_PREFIX),
                pool::close));
    }

    private static <T> T open(Map<String, String> settings, String poolName, Function<HikariDataSource, T> store) {
        String uri = settings.get(URI);
        if (!uri.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("store '" + ID + "': setting '" + URI
                    + "' must be a PostgreSQL JDBC URL starting with 'jdbc:postgresql:'");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(uri);
        // One more connection than configured: the app server's store holds one for LISTEN (PostgresChangeWatch).
        config.setMaximumPoolSize(Settings.integer(ID, settings, POOL_SIZE, 1, 1000) + 1);
        config.setPoolName(poolName);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            return store.apply(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }
}
