package io.pushcomponent.core.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.RegistrationStoreException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database holds device tokens and accounts, so no other local user may read it. Its
 * directory is 0700 and its files 0600; a directory open to others is made private when it holds only the
 * database, and refused when it holds other files too.
 */
class PrivateDirectoryTest {
    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "file permissions are POSIX permissions");
    }

    @Test
    void aNewDirectoryIs0700AndTheDatabaseFiles0600() throws IOException {
        Path data = dir.resolve("etc-push").resolve("data");
        try (JdbcRegistrationStore store = JdbcRegistrationStore.openH2(data)) {
            store.register(registration());
            assertPrivate(data);
        }
        assertPrivate(data);
    }

    @Test
    void aDirectoryOfAnEarlierVersionOpenToOthersIsMadePrivate() throws IOException {
        Path data = dir.resolve("data");
        JdbcRegistrationStore.openH2(data).close();
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("registrations.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));

        JdbcRegistrationStore.openH2(data).close();

        assertPrivate(data);
    }

    @Test
    void aDirectoryOpenToOthersThatHoldsOtherFilesIsRefusedAndLeftAsItIs() throws IOException {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.writeString(shared.resolve("push.tdsl"), "'component-jid' = 'push.example.com'");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-x---"));

        assertThatThrownBy(() -> JdbcRegistrationStore.openH2(shared))
                .as("changing a shared directory's permissions could break what else uses it")
                .isInstanceOf(RegistrationStoreException.class)
                .hasMessageContaining("open to other users (rwxr-x---)")
                .hasMessageContaining("push.tdsl")
                .hasMessageContaining("chmod 700");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rwxr-x---");
        assertThat(shared.resolve("registrations.mv.db")).as("no database was created").doesNotExist();
    }

    private static void assertPrivate(Path data) throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).as("the directory")
                .isEqualTo("rwx------");
        List<Path> files;
        try (Stream<Path> entries = Files.list(data)) {
            files = entries.toList();
        }
        assertThat(files).as("the database file is there").contains(data.resolve("registrations.mv.db"));
        for (Path file : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as("%s", file)
                    .isEqualTo("rw-------");
        }
    }

    private static DeviceRegistration registration() {
        return new DeviceRegistration("node-1", Device.of("fcm-http-v1", "token-1"), "alice@example.com", "s",
                Instant.now());
    }
}
