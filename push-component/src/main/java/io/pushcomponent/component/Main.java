package io.pushcomponent.component;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.component.config.ConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line: {@code java -jar push-component.jar --config FILE [--check-config]}, {@code --version},
 * {@code --help}.
 *
 * <p>Exit status: 0 on success, 1 when the component fails to start, 2 for a bad command line or configuration. A
 * running component stops on SIGTERM, through a shutdown hook that closes it gracefully.
 */
public final class Main {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            Usage: java -jar push-component.jar --config FILE [--check-config]
                   java -jar push-component.jar --version | --help

            Runs the XEP-0357 push component as an external component (XEP-0114) of an XMPP server.

              --config FILE     the configuration file (Tigase DSL syntax; see README.md for every key)
              --check-config    check the configuration file and the providers it configures, then exit:
                                status 0 when it is usable, 2 with one line per problem otherwise
              --version         print the version
              --help            print this help
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
        if (config == null) {
            err.println("--config FILE is required");
            err.print(USAGE_TEXT);
            return USAGE;
        }
        ProviderRegistry registry = PushComponent.providerRegistry(Main.class.getClassLoader());
        ComponentConfig cfg;
        try {
            cfg = ComponentConfig.load(config, registry);
            if (check) {
                PushComponent.checkProviders(cfg, registry);
            }
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            return USAGE;
        }
        if (check) {
            out.println(config + ": OK (" + cfg.componentJid() + " -> " + cfg.remoteHost() + ":" + cfg.remotePort()
                    + ", providers " + cfg.providers().keySet() + ")");
            return OK;
        }
        return serve(cfg, registry);
    }

    private static int serve(ComponentConfig cfg, ProviderRegistry registry) {
        Logger log = LoggerFactory.getLogger(Main.class);
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

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
