package io.inventory.faults;

import java.util.concurrent.TimeUnit;

/** Runs a {@link Workload} at a steady rate on its own thread until closed. */
final class Driver implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;

    Driver(final Workload workload, final int stepsPerSecond) {
        thread = new Thread(() -> {
            final long periodNanos = 1_000_000_000L / stepsPerSecond;
            long next = System.nanoTime();
            while (running) {
                workload.step();
                next += periodNanos;
                final long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    } catch (final InterruptedException e) {
                        return;
                    }
                }
            }
        }, "faults-workload");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }
}
