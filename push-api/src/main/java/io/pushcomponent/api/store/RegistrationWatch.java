package io.pushcomponent.api.store;

/**
 * A running {@link DeviceRegistrationStore#watchChanges watch} of a store's changes.
 *
 * <p><b>Thread-safety:</b> thread-safe. <b>Lifecycle:</b> runs from {@link DeviceRegistrationStore#watchChanges}
 * until {@link #close()} or until the store is closed; after that its listener is called no more.
 */
public interface RegistrationWatch extends AutoCloseable {

    /**
     * {@code true} while changes are being reported; {@code false} between
     * {@link RegistrationChangeListener#watchLost()} and the {@link RegistrationChangeListener#changedUnknown()} that
     * ends it, and after {@link #close()}. For health checks; never blocks.
     */
    boolean live();

    /** Stops the watch and releases what it holds (a database connection, a thread). Idempotent. */
    @Override
    void close();
}
