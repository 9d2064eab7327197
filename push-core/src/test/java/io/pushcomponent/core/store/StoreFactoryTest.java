package io.pushcomponent.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.AccountPushRegistration;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.StoreFactory;
import io.pushcomponent.api.store.StoreSetting;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hosts choose a store by id; each factory states its settings and refuses others. */
class StoreFactoryTest {
    private static final ClassLoader LOADER = StoreFactoryTest.class.getClassLoader();
    private static final Instant T0 = Instant.parse("2026-12-05T16:00:00Z");

    @TempDir
    Path dir;

    private static StoreFactory factory(String id) {
        return StoreFactory.find(id, LOADER).orElseThrow();
    }

    @Test
    void theShippedStoresAreFoundByTheirIds() {
        assertThat(StoreFactory.available(LOADER)).containsKeys("memory", "h2", "sqlite", "postgresql");
        assertThat(StoreFactory.find("mongodb", LOADER)).isEmpty();
    }

    @Test
    void eachFactoryStatesItsSettingsAndWhichAreRequired() {
        assertThat(factory("memory").settings()).isEmpty();
        for (String embedded : List.of("h2", "sqlite")) {
            assertThat(factory(embedded).settings()).as(embedded).extracting(StoreSetting::key)
                    .containsExactly("data-dir", "data-fsync", "table-prefix");
            assertThat(factory(embedded).settings()).as(embedded).filteredOn(StoreSetting::isRequired)
                    .extracting(StoreSetting::key).containsExactly("data-dir");
        }
        assertThat(factory("postgresql").settings()).filteredOn(StoreSetting::secret).extracting(StoreSetting::key)
                .as("the JDBC URL may hold the password").containsExactly("uri");
    }

    @Test
    void unknownAndMissingSettingsAreRefusedByName() {
        assertThatThrownBy(() -> factory("h2").openDeviceStore(Map.of("colour", "blue")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting(s) [colour]").hasMessageContaining("missing setting(s) [data-dir]");
        assertThatThrownBy(() -> factory("memory").openAccountStore(Map.of("data-dir", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown setting(s) [data-dir]");
        assertThatThrownBy(() -> factory("h2").openDeviceStore(Map.of("data-dir", dir.toString(),
                "data-fsync", "yes"))).hasMessageContaining("'data-fsync' must be true or false");
    }

    @Test
    void aPostgresqlUrlIsRequiredAndNeverRepeatedInTheMessage() {
        assertThatThrownBy(() -> factory("postgresql").openDeviceStore(Map.of("uri",
                "jdbc:mysql://db/push?password=hunter2"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql:").message().doesNotContain("hunter2");
    }

    /** Both sides' tables live in the one embedded database and survive closing it. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "sqlite"})
    void anEmbeddedStoreKeepsBothSidesInOneDatabaseAcrossRestarts(String id) {
        Map<String, String> settings = Map.of("data-dir", dir.resolve("data").toString());
        try (DeviceRegistrationStore devices = factory(id).openDeviceStore(settings);
             AccountPushRegistrationStore accounts = factory(id).openAccountStore(settings)) {
            devices.register(new DeviceRegistration("node-1", Device.of("fcm-http-v1", "token-1"),
                    "juliet@capulet.lit", null, T0));
            accounts.put(AccountPushRegistration.of("juliet@capulet.lit", "push.example.net", "node-1", T0), 5);
            devices.probe();
            accounts.probe();
        }
        try (DeviceRegistrationStore devices = factory(id).openDeviceStore(settings);
             AccountPushRegistrationStore accounts = factory(id).openAccountStore(settings)) {
            assertThat(devices.findByNode("node-1")).isPresent();
            assertThat(devices.count()).as("the probes left nothing behind").isEqualTo(1);
            assertThat(accounts.list("juliet@capulet.lit")).extracting(AccountPushRegistration::node)
                    .containsExactly("node-1");
        }
    }

    @Test
    void theMemoryStoreKeepsNothingAcrossInstances() {
        try (DeviceRegistrationStore devices = factory("memory").openDeviceStore(Map.of())) {
            devices.register(new DeviceRegistration("node-1", Device.of("fcm-http-v1", "token-1"),
                    "juliet@capulet.lit", null, T0));
        }
        try (DeviceRegistrationStore devices = factory("memory").openDeviceStore(Map.of())) {
            assertThat(devices.count()).isZero();
        }
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "PUSH_TEST_POSTGRES_URL", matches = ".+")
    void thePostgresqlStoreOpensBothSidesAndClosesItsPools() throws Exception {
        String url = System.getenv("PUSH_TEST_POSTGRES_URL");
        String prefix = "f" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL) + "_";
        Map<String, String> settings = Map.of("uri", url, "pool-size", "2", "table-prefix", prefix);
        try {
            try (DeviceRegistrationStore devices = factory("postgresql").openDeviceStore(settings);
                 AccountPushRegistrationStore accounts = factory("postgresql").openAccountStore(settings)) {
                devices.register(new DeviceRegistration("node-1", Device.of("fcm-http-v1", "token-1"),
                        "juliet@capulet.lit", null, T0));
                accounts.put(AccountPushRegistration.of("juliet@capulet.lit", "push.example.net", "node-1", T0), 5);
                devices.probe();
                accounts.probe();
            }
            try (DeviceRegistrationStore devices = factory("postgresql").openDeviceStore(settings)) {
                assertThat(devices.count()).isEqualTo(1);
            }
        } finally {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                for (String table : new String[] {"delivery_stats", "registration", "schema_version", "user_registration",
                        "user_schema_version"}) {
                    s.execute("DROP TABLE IF EXISTS " + prefix + table);
                }
            }
        }
    }
}
