package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.store.RegistrationStoreException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded database away from other local users: its directory is {@code rwx------} (0700) and the
 * database's files {@code rw-------} (0600). The database holds device tokens and accounts, which no other user of
 * the machine should read.
 *
 * <p>A new directory is created 0700. An existing directory that group or others may enter is made 0700 (with a
 * warning) when it holds nothing but this database's files, as a directory created by an earlier version does;
 * otherwise the store refuses to open, since changing the permissions of a directory shared with other files could
 * break whatever else uses it. On file systems without POSIX permissions nothing is checked.
 */
final class PrivateDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateDirectory.class);
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateDirectory() {
    }

    /**
     * Creates the directory 0700, or checks (and where safe, repairs) an existing one, before the database opens.
     *
     * @param databaseName the database's file name prefix ({@code registrations}): files named
     *                     {@code registrations.*} are the database's
     * @throws RegistrationStoreException when the directory cannot be created, or is open to other users and
     *                                    cannot safely be made private
     */
    static void prepare(Path directory, String databaseName) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            if (Files.notExists(directory)) {
                Path parent = directory.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                if (!posix) {
                    Files.createDirectory(directory);
                    return;
                }
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
                // the process's umask may have removed bits from the mode asked for; set exactly 0700
                Files.setPosixFilePermissions(directory, DIRECTORY);
                return;
            }
        } catch (IOException e) {
            throw new RegistrationStoreException("cannot create the embedded registration store directory "
                    + directory, e);
        }
        if (!Files.isDirectory(directory)) {
            throw new RegistrationStoreException("the embedded registration store directory " + directory
                    + " exists and is not a directory");
        }
        if (!posix) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
            if (permissions.stream().noneMatch(GROUP_OR_OTHERS::contains)) {
                return;
            }
            List<String> otherFiles;
            try (Stream<Path> entries = Files.list(directory)) {
                otherFiles = entries.map(p -> p.getFileName().toString())
                        .filter(name -> !name.startsWith(databaseName + ".")).sorted().limit(3).toList();
            }
            if (!otherFiles.isEmpty()) {
                throw new RegistrationStoreException("the embedded registration store directory " + directory
                        + " is open to other users (" + PosixFilePermissions.toString(permissions) + ") and holds"
                        + " other files too (" + String.join(", ", otherFiles) + "): the database holds device"
                        + " tokens and accounts, so give it a directory of its own or make this one private"
                        + " (chmod 700)");
            }
            Files.setPosixFilePermissions(directory, DIRECTORY);
            LOG.warn("the embedded registration store directory {} was open to other users ({}); it is now"
                    + " rwx------", directory, PosixFilePermissions.toString(permissions));
        } catch (IOException e) {
            throw new RegistrationStoreException("the embedded registration store directory " + directory
                    + " is open to other users and its permissions cannot be changed (" + e.getMessage() + "): make it"
                    + " private (chmod 700) or owned by the user the component runs as", e);
        }
    }

    /**
     * Makes the database's files 0600: called once the database has created them and again when it is closed.
     * Files H2 creates in between (a trace file of errors) get the process's umask until then, but sit in the 0700
     * directory.
     */
    static void restrictFiles(Path directory, String databaseName) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path file : entries.filter(p -> p.getFileName().toString().startsWith(databaseName + "."))
                    .filter(Files::isRegularFile).toList()) {
                if (Files.getPosixFilePermissions(file).stream().anyMatch(GROUP_OR_OTHERS::contains)) {
                    Files.setPosixFilePermissions(file, FILE);
                }
            }
        } catch (IOException e) {
            throw new RegistrationStoreException("cannot make the embedded registration store's files in " + directory
                    + " private (chmod 600)", e);
        }
    }
}
