package io.pushcomponent.api.store;

import java.util.Set;

/**
 * Hears of registrations changed in a store that several processes share (another component instance, an operator's
 * SQL), so that a process that caches registrations by node stops using what another one removed or changed. Given
 * to {@link DeviceRegistrationStore#watchChanges}.
 *
 * <p><b>Threads:</b> called on a thread the store owns, one call at a time. Implementations return quickly and never
 * block (they drop cache entries); they must not call the store.
 */
public interface RegistrationChangeListener {

    /**
     * The registrations of these nodes were removed, or changed in what a delivery uses (token, second token, app,
     * sandbox flag, secret, owner). Changes made through this process are reported too.
     *
     * @param nodes the nodes; never empty
     */
    void changed(Set<String> nodes);

    /**
     * Registrations changed that the store cannot name: a change of too many at once, or changes made while the
     * watch was down ({@link #watchLost()}), reported once it is back. Whatever was read from the store before may
     * be stale.
     */
    void changedUnknown();

    /**
     * The watch is down (e.g. the database restarted): changes go unreported until it is back, which
     * {@link #changedUnknown()} reports. Until then a cache must not rely on being told of changes.
     */
    void watchLost();
}
