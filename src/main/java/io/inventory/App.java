package io.inventory;

import ch.qos.logback.classic.LoggerContext;
import io.inventory.app.InventoryService;
import io.inventory.app.LoggingSetup;
import io.inventory.cli.Cli;
import io.inventory.config.ConfigException;
import io.inventory.config.ServiceConfig;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point. Without arguments it runs the service, configured from the environment (see
 * {@link ServiceConfig}); with {@code cli ...} it runs the command-line client ({@link Cli}).
 *
 * <p>Exit codes: 0 after a clean stop (SIGTERM, Ctrl-C), 1 when Kafka Streams failed, 2 for invalid configuration.
 */
public final class App {

    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private App() {
    }

    public static void main(final String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("cli")) {
            Runtime.getRuntime().halt(Cli.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        final ServiceConfig config;
        try {
            config = ServiceConfig.fromEnvironment();
        } catch (final ConfigException e) {
            System.err.println("inventory-service: invalid configuration: " + e.getMessage());
            Runtime.getRuntime().halt(2);
            return;
        }
        LoggingSetup.apply(config.logging());
        final InventoryService service;
        try {
            service = InventoryService.start(config);
        } catch (final RuntimeException e) {
            LOG.error("Cannot start: {}", e.getMessage());
            stopLogging();
            Runtime.getRuntime().halt(1);
            return;
        }
        final Thread shutdown = new Thread(() -> {
            LOG.info("Shutting down");
            service.close();
            stopLogging();
            // A JVM stopped by a signal exits with 128+signal; a clean stop is a success.
            Runtime.getRuntime().halt(0);
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        if (service.awaitTermination()) {
            LOG.error("Kafka Streams stopped in ERROR; exiting");
            service.close();
            stopLogging();
            Runtime.getRuntime().halt(1);
        }
    }

    private static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
