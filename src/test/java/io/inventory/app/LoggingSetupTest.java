package io.inventory.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.inventory.config.LogSettings;
import java.net.URL;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The service's {@code logback.xml} under the validated settings: the format's appender, the service's level. */
class LoggingSetupTest {

    private static final URL SERVICE_CONFIGURATION = LoggingSetupTest.class.getResource("/logback.xml");
    private static final URL TEST_CONFIGURATION = LoggingSetupTest.class.getResource("/logback-test.xml");

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void restoreTheTestLogging() {
        LoggingSetup.apply(context, LogSettings.DEFAULT, TEST_CONFIGURATION);
        System.clearProperty(LoggingSetup.FORMAT_PROPERTY);
        System.clearProperty(LoggingSetup.LEVEL_PROPERTY);
    }

    @Test
    void shouldLogJsonAtTheGivenLevelWhenAsked() {
        // when
        LoggingSetup.apply(context, new LogSettings(LogSettings.Format.JSON, LogSettings.Level.DEBUG),
            SERVICE_CONFIGURATION);

        // then
        final List<Appender<ILoggingEvent>> appenders = rootAppenders();
        assertThat(appenders).hasSize(1);
        assertThat(appenders.get(0).getName()).isEqualTo("json");
        assertThat(((OutputStreamAppender<ILoggingEvent>) appenders.get(0)).getEncoder())
            .isInstanceOf(JsonEncoder.class);
        assertThat(context.getLogger("io.inventory").getLevel()).isEqualTo(Level.DEBUG);
    }

    @Test
    void shouldLogTextAtInfoByDefault() {
        // when
        LoggingSetup.apply(context, LogSettings.DEFAULT, SERVICE_CONFIGURATION);

        // then
        final List<Appender<ILoggingEvent>> appenders = rootAppenders();
        assertThat(appenders).extracting(Appender::getName).containsExactly("text");
        assertThat(((OutputStreamAppender<ILoggingEvent>) appenders.get(0)).getEncoder())
            .isInstanceOf(PatternLayoutEncoder.class);
        assertThat(context.getLogger("io.inventory").getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void shouldGiveEveryFormatAnAppenderInTheServicesConfiguration() {
        for (final LogSettings.Format format : LogSettings.Format.values()) {
            // when
            LoggingSetup.apply(context, new LogSettings(format, LogSettings.Level.WARN), SERVICE_CONFIGURATION);

            // then
            assertThat(rootAppenders()).as(format.name()).extracting(Appender::getName)
                .containsExactly(format.settingValue());
            assertThat(context.getLogger("io.inventory").getLevel()).isEqualTo(Level.WARN);
        }
    }

    @Test
    void shouldInstallTheKnownNoiseFilter() {
        // when
        LoggingSetup.apply(context, LogSettings.DEFAULT, SERVICE_CONFIGURATION);

        // then
        assertThat(context.getTurboFilterList()).hasAtLeastOneElementOfType(KnownNoiseFilter.class);
    }

    private List<Appender<ILoggingEvent>> rootAppenders() {
        final List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        final Iterator<Appender<ILoggingEvent>> it = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        it.forEachRemaining(appenders::add);
        return appenders;
    }
}
