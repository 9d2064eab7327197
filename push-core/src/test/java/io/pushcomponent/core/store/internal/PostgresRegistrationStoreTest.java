package io.pushcomponent.core.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The store contract against PostgreSQL, enabled when {@code PUSH_TEST_POSTGRES_URL} holds a JDBC URL (CI sets it;
 * locally e.g. {@code jdbc:postgresql://127.0.0.1:5432/push_test?user=push&password=push}). Two connection pools
 * stand for two component instances sharing the database.
 */
@EnabledIfEnvironmentVariable(named = PostgresRegistrationStoreTest.URL_VARIABLE, matches = ".+")
class PostgresRegistrationStoreTest extends JdbcRegistrationStoreContract {
    static final String URL_VARIABLE = "PUSH_TEST_POSTGRES_URL";

    private static HikariDataSource instanceA;
    private static HikariDataSource instanceB;

    @BeforeAll
    static void connect() {
        instanceA = pool("push-test-a");
        instanceB = pool("push-test-b");
    }

    private static HikariDataSource pool(String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(System.getenv(URL_VARIABLE));
        config.setPoolName(name);
        config.setMaximumPoolSize(6);
        return new HikariDataSource(config);
    }

    @AfterAll
    static void disconnect() {
        instanceA.close();
        instanceB.close();
    }

    @Override
    JdbcRegistrationStore openStore(String tablePrefix) {
        return JdbcRegistrationStore.open(instanceA, tablePrefix);
    }

    @Override
    JdbcRegistrationStore openOtherInstance(String tablePrefix) {
        return JdbcRegistrationStore.open(instanceB, tablePrefix);
    }

    @Override
    DataSource dataSource() {
        return instanceA;
    }
}
