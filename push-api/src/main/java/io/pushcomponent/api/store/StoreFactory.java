package io.pushcomponent.api.store;

import io.pushcomponent.api.ServiceDiscovery;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Opens the registration stores of one kind, chosen by its {@link #id()} in a host's configuration (service-provider
 * interface), found with {@link ServiceDiscovery}. push-core provides {@code memory}, {@code h2} (an embedded database in a directory) and
 * {@code postgresql}; a third-party store is a module that implements this interface and lists it with
 * {@code provides io.pushcomponent.api.store.StoreFactory with ...} (and in
 * {@code META-INF/services/io.pushcomponent.api.store.StoreFactory} for class-path users).
 *
 * <p>A factory opens both sides' stores: the app server's {@link DeviceRegistrationStore} and the user's server's
 * {@link AccountPushRegistrationStore}. Settings are strings keyed as {@link #settings()} states; {@link #resolve}
 * checks them and fills in defaults. Each store opened is the caller's to close, and closes whatever the factory
 * opened for it (a connection pool, an embedded database).
 *
 * <p><b>Thread-safety:</b> implementations are stateless and thread-safe. <b>Blocking:</b> opening a store may
 * block on I/O (creating tables, connecting to a database).
 */
public interface StoreFactory {

    /** The id a configuration names this factory by: lower-case letters, digits and {@code -}, e.g. {@code h2}. */
    String id();

    /** One sentence for operators: what kind of store this is and when to choose it. */
    String description();

    /** Every setting this factory understands; its stores are opened with these keys only. */
    List<StoreSetting> settings();

    /**
     * Opens the app server's store.
     *
     * @param settings the settings, keyed as {@link #settings()} states; absent optional ones take their defaults
     * @return an open store
     * @throws IllegalArgumentException   when a setting is unknown, missing or malformed (the message names it and
     *                                    never shows a {@link StoreSetting#secret() secret} value)
     * @throws RegistrationStoreException when the storage cannot be opened
     */
    DeviceRegistrationStore openDeviceStore(Map<String, String> settings);

    /**
     * Opens the user's server's store.
     *
     * @param settings as for {@link #openDeviceStore}
     * @return an open store
     * @throws IllegalArgumentException   when a setting is unknown, missing or malformed
     * @throws RegistrationStoreException when the storage cannot be opened
     */
    AccountPushRegistrationStore openAccountStore(Map<String, String> settings);

    /**
     * Checks settings against {@link #settings()} and fills in the defaults.
     *
     * @return every stated setting with its value, in the stated order
     * @throws IllegalArgumentException naming every unknown key and every missing required one
     */
    default Map<String, String> resolve(Map<String, String> settings) {
        Map<String, StoreSetting> known = settings().stream()
                .collect(Collectors.toMap(StoreSetting::key, s -> s, (a, b) -> a, LinkedHashMap::new));
        List<String> unknown = settings.keySet().stream().filter(k -> !known.containsKey(k)).sorted().toList();
        List<String> missing = known.values().stream()
                .filter(s -> s.isRequired() && settings.get(s.key()) == null).map(StoreSetting::key).toList();
        if (!unknown.isEmpty() || !missing.isEmpty()) {
            StringBuilder message = new StringBuilder("store '" + id() + "':");
            if (!unknown.isEmpty()) {
                message.append(" unknown setting(s) ").append(unknown).append(";");
            }
            if (!missing.isEmpty()) {
                message.append(" missing setting(s) ").append(missing).append(";");
            }
            message.append(" known settings: ").append(known.keySet());
            throw new IllegalArgumentException(message.toString());
        }
        Map<String, String> resolved = new LinkedHashMap<>();
        known.values().forEach(s -> resolved.put(s.key(), settings.getOrDefault(s.key(), s.defaultValue())));
        return resolved;
    }

    /**
     * Every factory visible to a class loader (and, on the module path, every module providing one), by id in
     * alphabetical order; an entry that fails to load is left out (and logged once).
     *
     * @throws IllegalStateException when two factories claim the same id
     */
    static Map<String, StoreFactory> available(ClassLoader classLoader) {
        Map<String, StoreFactory> byId = new TreeMap<>();
        for (StoreFactory factory : ServiceDiscovery.load(StoreFactory.class, classLoader,
                f -> "registration store '" + f.id() + "'").services()) {
            StoreFactory previous = byId.putIfAbsent(factory.id(), factory);
            if (previous != null && previous.getClass() != factory.getClass()) {
                throw new IllegalStateException("two store factories claim the id '" + factory.id() + "': "
                        + previous.getClass().getName() + " and " + factory.getClass().getName());
            }
        }
        return Collections.unmodifiableMap(byId);
    }

    /** The factory of an id among {@link #available(ClassLoader)}, if there is one. */
    static Optional<StoreFactory> find(String id, ClassLoader classLoader) {
        return Optional.ofNullable(available(classLoader).get(id));
    }
}
