package io.inventory.http;

import io.inventory.command.CommandOutcome;
import io.inventory.command.Commands;
import io.inventory.command.PreparedCommand;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Commands whose every send waits, as a write does on a slow topology, until {@link #release()}; then pending. */
final class BlockingCommands implements Commands {

    private final CountDownLatch released = new CountDownLatch(1);
    private final Semaphore entered = new Semaphore(0);

    @Override
    public CommandOutcome send(final PreparedCommand command, final Duration wait) throws InterruptedException {
        entered.release();
        released.await(30, TimeUnit.SECONDS);
        return new CommandOutcome.Pending(command.commandId());
    }

    @Override
    public Optional<CommandOutcome> outcome(final String commandId) {
        return Optional.empty();
    }

    /** True once {@code sends} sends are waiting (or have waited), within {@code seconds}. */
    boolean awaitWaiting(final int sends, final long seconds) throws InterruptedException {
        return entered.tryAcquire(sends, seconds, TimeUnit.SECONDS);
    }

    /** Lets every send, waiting or to come, return. */
    void release() {
        released.countDown();
    }
}
