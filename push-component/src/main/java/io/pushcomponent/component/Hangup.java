package io.pushcomponent.component;

import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on SIGHUP instead of the JVM's default (which shuts the JVM down, exit status 129). Java has no
 * supported API for signals; this uses {@code sun.misc.Signal} of the {@code jdk.unsupported} module, which every
 * OpenJDK build has, reached by reflection (so that no build warns about it). Where the signal cannot be handled (Windows, a JVM started with {@code -Xrs}), the component
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
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance(SIGNAL);
            Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            try {
                                action.run();
                            } catch (RuntimeException e) {
                                LOG.error("SIGHUP: reloading failed: {}", e.toString());
                            }
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "SIGHUP handler";
                    });
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("SIGHUP cannot be handled in this JVM ({}); a configuration change needs a restart",
                    e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            return false;
        }
    }
}
