package io.pushcomponent.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.StoreFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of the "Registration stores" section of push-core's README, compiled and run. */
class StoreReadmeExampleTest {
    @TempDir
    Path dataDirectory;

    @Test
    void readmeExampleRuns() {
        // README example start
        try (DeviceRegistrationStore store = Stores.h2DeviceStore(dataDirectory, Stores.DEFAULT_TABLE_PREFIX, false)) {
            DeviceRegistration stored = store.register(new DeviceRegistration("node-7f3a9c",
                    Device.of("fcm-http-v1", "fcm-token"), "alice@example.com", "s3cret", Instant.now()));
            store.findByNode(stored.node()).ifPresent(r -> System.out.println(r.device()));
        }
        // README example end
        // the same database, opened as a host that chooses its store by configuration does
        StoreFactory h2 = StoreFactory.find("h2", getClass().getClassLoader()).orElseThrow();
        try (DeviceRegistrationStore reopened = h2.openDeviceStore(Map.of("data-dir", dataDirectory.toString()))) {
            assertThat(reopened.findByNode("node-7f3a9c")).as("the README example stores a registration durably")
                    .isPresent();
        }
    }
}
