package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.testkit.store.AccountPushRegistrationStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The user's-server store contract against {@link JdbcAccountPushRegistrationStore#openSqlite}. */
class SqliteAccountPushRegistrationStoreTest extends AccountPushRegistrationStoreContract {
    @TempDir
    Path dir;

    @Override
    protected AccountPushRegistrationStore createStore() {
        return JdbcAccountPushRegistrationStore.openSqlite(dir, "test_", false);
    }

    @Override
    protected AccountPushRegistrationStore reopen() {
        return JdbcAccountPushRegistrationStore.openSqlite(dir, "test_", false);
    }
}
