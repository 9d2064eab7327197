package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.testkit.store.AccountPushRegistrationStoreContract;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.postgresql.ds.PGSimpleDataSource;

/** Runs when {@code PUSH_TEST_POSTGRES_URL} is set; its tables carry a prefix unique to this run. */
@EnabledIfEnvironmentVariable(named = "PUSH_TEST_POSTGRES_URL", matches = ".+")
class PostgresAccountPushRegistrationStoreTest extends AccountPushRegistrationStoreContract {
    private static final String PREFIX = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "_";

    static PGSimpleDataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(System.getenv("PUSH_TEST_POSTGRES_URL"));
        return ds;
    }

    @Override
    protected AccountPushRegistrationStore createStore() throws Exception {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + PREFIX + "user_registration");
            s.execute("DROP TABLE IF EXISTS " + PREFIX + "user_schema_version");
        }
        return JdbcAccountPushRegistrationStore.open(dataSource(), PREFIX);
    }

    @Override
    protected AccountPushRegistrationStore reopen() {
        return JdbcAccountPushRegistrationStore.open(dataSource(), PREFIX);
    }

    @AfterAll
    static void dropTables() throws Exception {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + PREFIX + "user_registration");
            s.execute("DROP TABLE IF EXISTS " + PREFIX + "user_schema_version");
        }
    }
}
