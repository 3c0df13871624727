package io.inventory.config;

/** An invalid setting; its message is one line naming the setting, fit to print as the reason for not starting. */
public final class ConfigException extends RuntimeException {

    public ConfigException(final String message) {
        super(message, null, false, false);
    }
}
