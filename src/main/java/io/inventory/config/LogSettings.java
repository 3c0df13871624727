package io.inventory.config;

import java.util.Locale;

/**
 * How the service logs: {@code LOG_FORMAT} picks the console appender of {@code logback.xml}, {@code LOG_LEVEL}
 * the level of the service's own loggers ({@code io.inventory}). Both are validated like every other setting, so a
 * typo fails the start instead of sending the logs nowhere (an unknown appender) or to DEBUG (logback's fallback
 * for an unknown level).
 */
public record LogSettings(Format format, Level level) {

    public static final LogSettings DEFAULT = new LogSettings(Format.TEXT, Level.INFO);

    /** The appenders of {@code logback.xml}, by the name {@code LOG_FORMAT} gives them. */
    public enum Format {
        TEXT, JSON;

        /** The value of {@code LOG_FORMAT}, which is also the appender's name in {@code logback.xml}. */
        public String settingValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The levels logback knows, by the names it accepts. */
    public enum Level {
        TRACE, DEBUG, INFO, WARN, ERROR, OFF
    }
}
