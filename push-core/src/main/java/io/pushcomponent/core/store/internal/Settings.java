package io.pushcomponent.core.store.internal;

import java.util.Map;

/** Reading the store factories' string settings. */
final class Settings {
    private Settings() {
    }

    static boolean bool(String store, Map<String, String> settings, String key) {
        String value = settings.get(key);
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("store '" + store + "': setting '" + key + "' must be true or false, not '"
                + value + "'");
    }

    static int integer(String store, Map<String, String> settings, String key, int min, int max) {
        String value = settings.get(key);
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("store '" + store + "': setting '" + key + "' must be a whole number from "
                + min + " to " + max + ", not '" + value + "'");
    }
}
