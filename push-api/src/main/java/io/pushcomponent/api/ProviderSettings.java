package io.pushcomponent.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of one configured provider: string keys to values (strings, numbers, booleans, lists) as the
 * configuration file gave them, plus the directory relative paths are resolved against.
 *
 * <p>Immutable and thread-safe. {@code toString()} lists keys only, never values, because values include keys,
 * passwords and service-account JSON.
 *
 * @param providerId the id the provider was configured under
 * @param values     key to value; values are {@link String}, {@link Number}, {@link Boolean}, {@link List}, or
 *                   {@link Map} for a nested block of settings (such as APNs' per-app blocks)
 * @param baseDir    the directory relative paths resolve against (the configuration file's directory)
 */
public record ProviderSettings(String providerId, Map<String, Object> values, Path baseDir) {
    public ProviderSettings {
        Objects.requireNonNull(providerId, "providerId");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
        baseDir = baseDir == null ? Path.of("").toAbsolutePath() : baseDir;
    }

    /** Settings without values, relative to the working directory. */
    public static ProviderSettings empty(String providerId) {
        return new ProviderSettings(providerId, Map.of(), null);
    }

    /** Settings from a map, relative to the working directory. */
    public static ProviderSettings of(String providerId, Map<String, ?> values) {
        return new ProviderSettings(providerId, new LinkedHashMap<>(values), null);
    }

    /**
     * Fails when a key is not one of {@code allowed}.
     *
     * @throws IllegalArgumentException naming the unknown key and the allowed ones
     */
    public void requireKnownKeys(Set<String> allowed) {
        for (String key : values.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("provider '" + providerId + "': unknown setting '" + key
                        + "'; known settings: " + new TreeSet<>(allowed));
            }
        }
    }

    /** {@code true} when the key is set. */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** A string setting, if set. Numbers and booleans are given as their text. */
    public Optional<String> string(String key) {
        Object v = values.get(key);
        return v == null ? Optional.empty() : Optional.of(String.valueOf(v));
    }

    /**
     * A required string setting.
     *
     * @throws IllegalArgumentException when it is missing or blank
     */
    public String requireString(String key) {
        return string(key).filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalArgumentException(
                "provider '" + providerId + "': setting '" + key + "' is required"));
    }

    /** An integer setting, or {@code defaultValue} when unset. */
    public int integer(String key, int defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("provider '" + providerId + "': setting '" + key
                    + "' must be a whole number, was '" + v + "'");
        }
    }

    /** A boolean setting, or {@code defaultValue} when unset. */
    public boolean bool(String key, boolean defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("provider '" + providerId + "': setting '" + key
                + "' must be true or false, was '" + v + "'");
    }

    /**
     * A duration setting, or {@code defaultValue} when unset. Accepts a number of milliseconds or an ISO-8601
     * duration ({@code PT30S}).
     */
    public Duration duration(String key, Duration defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n) {
            return Duration.ofMillis(n.longValue());
        }
        String s = String.valueOf(v).trim();
        try {
            return s.startsWith("P") || s.startsWith("p") ? Duration.parse(s) : Duration.ofMillis(Long.parseLong(s));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("provider '" + providerId + "': setting '" + key
                    + "' must be milliseconds or an ISO-8601 duration such as PT30S, was '" + v + "'");
        }
    }

    /** A {@link #duration} setting that must be above zero (a timeout, a delay). */
    public Duration positiveDuration(String key, Duration defaultValue) {
        Duration d = duration(key, defaultValue);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("provider '" + providerId + "': '" + key
                    + "' must be positive, was " + d);
        }
        return d;
    }

    /** A {@link #duration} setting of whole seconds, zero or more (a time to live sent to a push service). */
    public Duration wholeSeconds(String key, Duration defaultValue) {
        Duration d = duration(key, defaultValue);
        if (d.isNegative() || d.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException("provider '" + providerId + "': '" + key
                    + "' must be a whole number of seconds, zero or more, was " + d);
        }
        return d;
    }

    /** A path setting resolved against {@link #baseDir()}, if set. */
    public Optional<Path> path(String key) {
        return string(key).map(s -> baseDir.resolve(s).normalize());
    }

    /** A list setting; a single value becomes a one-element list; empty when unset. */
    public List<String> list(String key) {
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(v));
    }

    @Override
    public String toString() {
        return "ProviderSettings[providerId=" + providerId + ", keys=" + values.keySet() + "]";
    }
}
