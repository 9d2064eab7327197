package io.pushcomponent.component;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.component.config.ConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line: {@code java -jar push-component.jar --config FILE [--check-config]}, {@code --version},
 * {@code --help}.
 *
 * <p>Exit status: {@value #OK} on success, {@value #FAILED} when the component fails to start or
 * {@code --check-config} finds the store or a provider's service unusable, {@value #USAGE} for a bad command line or
 * configuration. A running component stops on SIGTERM, through a shutdown hook that closes it gracefully, and
 * re-reads its configuration file on SIGHUP ({@link PushComponent#reload}).
 */
public final class Main {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** The system property choosing the log lines' format, {@code text} (the default) or {@code json}. */
    static final String LOG_FORMAT_PROPERTY = "push.log.format";
    /** The environment variable doing the same when the system property is not set. */
    static final String LOG_FORMAT_VARIABLE = "PUSH_LOG_FORMAT";

    private static final String USAGE_TEXT = """
            Usage: java -jar push-component.jar --config FILE [--check-config [--online]]
                   java -jar push-component.jar --version | --help

            Runs the XEP-0357 push component as an external component (XEP-0114) of an XMPP server.

              --config FILE     the configuration file (Tigase DSL syntax; see README.md for every key)
              --check-config    check the configuration, then exit: read the file, create every provider (reading
                                its credential files), open the registration store and write and remove a probe
                                registration
              --online          with --check-config: also let every provider reach its service (FCM fetches an
                                access token, APNs opens a connection per app)
              --version         print the version
              --help            print this help

            Exit status: 0 usable (and for --version, --help); 1 the component failed to start, or --check-config
            found the store or a provider's service unusable; 2 a bad command line or configuration file. Every
            problem is one line on standard error.
            """;

    private Main() {
    }

    /** Runs the command line and exits the JVM with its status. */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != OK) {
            System.exit(status);
        }
    }

    /**
     * Runs the command line; returns the exit status. A run with {@code --config} and without
     * {@code --check-config} returns only after the JVM is asked to shut down.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path config = null;
        boolean check = false;
        boolean online = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.print(USAGE_TEXT);
                    return OK;
                }
                case "--version" -> {
                    out.println("push-component " + version());
                    return OK;
                }
                case "--check-config" -> check = true;
                case "--online" -> online = true;
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        err.println("--config needs a file name");
                        return USAGE;
                    }
                    config = Path.of(args[++i]);
                }
                default -> {
                    err.println("unknown option '" + args[i] + "'");
                    err.print(USAGE_TEXT);
                    return USAGE;
                }
            }
        }
        if (online && !check) {
            err.println("--online is an option of --check-config");
            return USAGE;
        }
        if (config == null) {
            err.println("--config FILE is required");
            err.print(USAGE_TEXT);
            return USAGE;
        }
        String logFormat = System.getProperty(LOG_FORMAT_PROPERTY, System.getenv(LOG_FORMAT_VARIABLE));
        if (logFormat != null && !List.of("text", "json").contains(logFormat)) {
            err.println(LOG_FORMAT_PROPERTY + " (" + LOG_FORMAT_VARIABLE + ") must be 'text' or 'json', not '"
                    + logFormat + "'");
            return USAGE;
        }
        ProviderRegistry registry = PushComponent.providerRegistry(Main.class.getClassLoader());
        ComponentConfig cfg;
        try {
            cfg = ComponentConfig.load(config, registry);
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            return USAGE;
        }
        if (check) {
            return check(config, cfg, registry, online, out, err);
        }
        return serve(config, cfg, registry);
    }

    private static int check(Path file, ComponentConfig cfg, ProviderRegistry registry, boolean online,
                             PrintStream out, PrintStream err) {
        ConfigCheck result = new ConfigCheck(cfg, registry).run(online);
        result.configProblems().forEach(err::println);
        result.failures().forEach(err::println);
        if (!result.configProblems().isEmpty()) {
            return USAGE;
        }
        if (!result.failures().isEmpty()) {
            return FAILED;
        }
        out.println(file + ": OK (" + cfg.componentJid() + " -> " + cfg.remoteHost() + ":" + cfg.remotePort()
                + "; " + String.join("; ", result.checked()) + ")");
        return OK;
    }

    private static int serve(Path file, ComponentConfig cfg, ProviderRegistry registry) {
        Logger log = LoggerFactory.getLogger(Main.class);
        // Installed before starting: a SIGHUP while the component starts (a service manager's reload right after
        // its start) would otherwise end the JVM. One that comes before the component runs is applied once it does.
        Reloads reloads = new Reloads(file, registry, log);
        Hangup.onHangup(reloads::hangup);
        PushComponent component;
        try {
            component = PushComponent.start(cfg, registry);
        } catch (ConfigException e) {
            e.problems().forEach(p -> log.error("{}", p));
            return USAGE;
        } catch (RuntimeException e) {
            log.error("push-component failed to start: {}", e.toString());
            return FAILED;
        }
        reloads.started(component);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            component.close();
            stopped.countDown();
        }, "push-component-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }

    /** On SIGHUP: reads the file again and applies what can be applied; a file with problems changes nothing. */
    /** SIGHUPs: each reloads the running component; one during start-up is applied once it has started. */
    private static final class Reloads {
        private final Path file;
        private final ProviderRegistry registry;
        private final Logger log;
        private PushComponent component;
        private boolean pending;

        Reloads(Path file, ProviderRegistry registry, Logger log) {
            this.file = file;
            this.registry = registry;
            this.log = log;
        }

        /** On the signal thread: reloads now, or once the component has started. */
        synchronized void hangup() {
            if (component == null) {
                pending = true;
                log.info("SIGHUP while starting: {} is read again once the component has started", file);
            } else {
                reload(file, component, registry, log);
            }
        }

        /** The component runs: a SIGHUP that came while it started is applied now. */
        synchronized void started(PushComponent running) {
            component = running;
            if (pending) {
                pending = false;
                reload(file, component, registry, log);
            }
        }
    }

    static void reload(Path file, PushComponent component, ProviderRegistry registry, Logger log) {
        log.info("SIGHUP: reading {} again", file);
        ComponentConfig next;
        try {
            next = ComponentConfig.load(file, registry);
        } catch (ConfigException e) {
            e.problems().forEach(p -> log.error("SIGHUP: {}", p));
            log.error("SIGHUP: {} has problems; nothing was applied, the component runs on as before", file);
            return;
        }
        component.reload(next);
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
