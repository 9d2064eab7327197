package io.pushcomponent.component.internal;

import java.lang.reflect.Method;
import java.util.Optional;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Sets the level of every logger at run time ({@code 'log-level'}, at start and on SIGHUP). SLF4J has no API for
 * it, so this talks to the logging backend: Logback's root logger, reached by reflection so that the component
 * itself does not depend on Logback (the runnable jar brings it). Another backend keeps its own levels.
 *
 * <p>Stateless and thread-safe.
 */
public final class LogLevel {
    private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";
    private static final String LOGBACK_LEVEL = "ch.qos.logback.classic.Level";

    private LogLevel() {
    }

    /**
     * Sets the root logger's level, which every logger without a level of its own follows.
     *
     * @param level {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN} or {@code ERROR}
     * @return empty when it is set; otherwise why not, for the log
     */
    public static Optional<String> set(String level) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!factory.getClass().getName().equals(LOGBACK_CONTEXT)) {
            return Optional.of("the logging backend " + factory.getClass().getName() + " is not Logback; set its"
                    + " level in its own configuration");
        }
        try {
            Object root = factory.getClass().getMethod("getLogger", String.class)
                    .invoke(factory, org.slf4j.Logger.ROOT_LOGGER_NAME);
            Class<?> levelClass = Class.forName(LOGBACK_LEVEL, true, factory.getClass().getClassLoader());
            Object value = levelClass.getMethod("toLevel", String.class).invoke(null, level);
            Method setLevel = root.getClass().getMethod("setLevel", levelClass);
            setLevel.invoke(root, value);
            return Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.of("Logback refused the level: " + e);
        }
    }
}
