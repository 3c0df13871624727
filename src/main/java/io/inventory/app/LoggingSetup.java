package io.inventory.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import io.inventory.config.LogSettings;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * Applies the validated {@link LogSettings} to logback. Logback configures itself before the service reads its
 * configuration, from the environment alone, so {@code LOG_FORMAT} and {@code LOG_LEVEL} given in
 * {@code CONFIG_FILE} would be ignored: once the settings are known, they are set as system properties (which
 * logback's {@code ${...}} substitution consults before the environment) and the same configuration file is read
 * again. Not context properties: the JSON encoder would print them in every line.
 */
public final class LoggingSetup {

    static final String FORMAT_PROPERTY = "LOG_FORMAT";
    static final String LEVEL_PROPERTY = "LOG_LEVEL";
    private static final String SERVICE_CONFIGURATION = "/logback.xml";

    private LoggingSetup() {
    }

    /** Re-reads the file logback was configured from (the jar's {@code logback.xml} unless overridden). */
    public static void apply(final LogSettings settings) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            final URL current = ConfigurationWatchListUtil.getMainWatchURL(context);
            apply(context, settings, current != null ? current
                : LoggingSetup.class.getResource(SERVICE_CONFIGURATION));
        }
    }

    static void apply(final LoggerContext context, final LogSettings settings, final URL configuration) {
        System.setProperty(FORMAT_PROPERTY, settings.format().settingValue());
        System.setProperty(LEVEL_PROPERTY, settings.level().name());
        context.reset();
        final JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(configuration);
        } catch (final JoranException e) {
            throw new IllegalStateException("cannot configure logging from " + configuration + ": " + e.getMessage(),
                e);
        }
    }
}
