package io.inventory.command;

import java.time.Duration;
import java.util.Optional;

/** Sends item commands to {@code inventory.commands} and reports their outcomes; {@link KafkaCommands} in production. */
public interface Commands {

    /**
     * Sends {@code command} and waits at most {@code wait} for its outcome: {@link CommandOutcome.Pending} when none
     * came in time. A command whose id already has a known outcome is not sent again: its outcome is returned.
     *
     * @throws CommandsUnavailableException when the command could not be written to Kafka
     */
    CommandOutcome send(PreparedCommand command, Duration wait) throws InterruptedException;

    /** The outcome of a command, when this instance has seen it (since it started, within a bounded memory). */
    Optional<CommandOutcome> outcome(String commandId);

    /** Refuses every command: for an API serving reads only. */
    Commands UNAVAILABLE = new Commands() {
        @Override
        public CommandOutcome send(final PreparedCommand command, final Duration wait) {
            throw new CommandsUnavailableException("this instance does not accept commands");
        }

        @Override
        public Optional<CommandOutcome> outcome(final String commandId) {
            return Optional.empty();
        }
    };
}
