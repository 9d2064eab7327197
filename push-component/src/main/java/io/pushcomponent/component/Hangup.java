package io.pushcomponent.component;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs an action on SIGHUP instead of the JVM's default (which shuts the JVM down, exit status 129). Java has no
 * supported API for signals; this uses {@code sun.misc.Signal} of the {@code jdk.unsupported} module, which every
 * OpenJDK build has. Where the signal cannot be handled (Windows, a JVM started with {@code -Xrs}), the component
 * says so once and reloading needs a restart.
 *
 * <p>The action runs on the JVM's signal-dispatch thread, one signal at a time.
 */
final class Hangup {
    private static final Logger LOG = LoggerFactory.getLogger(Hangup.class);
    static final String SIGNAL = "HUP";

    private Hangup() {
    }

    /**
     * Makes SIGHUP run {@code action}.
     *
     * @return {@code true} when the handler is installed
     */
    static boolean onHangup(Runnable action) {
        try {
            Signal.handle(new Signal(SIGNAL), signal -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.error("SIGHUP: reloading failed: {}", e.toString());
                }
            });
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("SIGHUP cannot be handled in this JVM ({}); a configuration change needs a restart",
                    e.getMessage());
            return false;
        }
    }
}
