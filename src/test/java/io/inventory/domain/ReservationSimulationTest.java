package io.inventory.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic simulation of the order and stock tasks, in the manner of FoundationDB's simulator and
 * TigerBeetle's VOPR: the real state machines ({@link OrderSaga}, {@link StockRules}) run over simulated partitions
 * under a seeded scheduler that interleaves deliveries, duplicates client events, redelivers records, drops holds,
 * pauses and crashes tasks and moves the wall clock ({@link Simulation}); an oracle written from the contract
 * checks every step and the settled end ({@link SimulationOracle}).
 *
 * <p>Each run's parameters (exactly-once or at-least-once, partition counts, products, orders, steps, TTL and
 * decision timeout) follow from its seed. A failing seed is shrunk (fewer steps, orders, products, with the same
 * seed) and printed with the command line that replays it alone: {@code -Dsim.seed=N} (with the printed
 * {@code -Dsim.*} overrides). {@code -Dsim.runs=N} sets the number of runs, {@code -Dsim.base=B} the first seed
 * (by default a new one each time, printed).
 */
class ReservationSimulationTest {

    private static final Logger LOG = LoggerFactory.getLogger(ReservationSimulationTest.class);

    @Test
    void shouldKeepStockExactAndDecideEveryOrderOnceUnderReorderingDuplicatesCrashesAndClocks() {
        final Long single = Long.getLong("sim.seed");
        if (single != null) {
            final Simulation.Params params = Simulation.Params.of(single);
            final Throwable failure = attempt(params, true);
            if (failure != null) {
                throw new AssertionError("seed " + single + " fails: " + params.replay(), failure);
            }
            return;
        }
        final int runs = Integer.getInteger("sim.runs", 10_000);
        final long base = Long.getLong("sim.base", System.nanoTime());
        final long start = System.nanoTime();
        final Map<String, Integer> totals = new TreeMap<>();
        final Map<String, Long> firstSeeds = new TreeMap<>();
        long steps = 0;
        long events = 0;
        int exactlyOnce = 0;
        for (int run = 0; run < runs; run++) {
            final long seed = mix(mix(base) + run);
            final Simulation.Params params = Simulation.Params.of(seed);
            final Simulation sim = new Simulation(params, false);
            final Throwable failure = attempt(sim);
            if (failure != null) {
                final double seconds = (System.nanoTime() - start) / 1e9;
                throw new AssertionError(String.format("run %d of %d (base %d, %.1f s) failed: seed %d%n%s", run + 1,
                    runs, base, seconds, seed, shrink(params, failure)), failure);
            }
            sim.counters.forEach((name, count) -> totals.merge(name, count, Integer::sum));
            sim.counters.keySet().stream().filter(name -> name.startsWith("alos-broken"))
                .forEach(name -> firstSeeds.putIfAbsent(name, seed));
            steps += params.steps();
            events += sim.published.size();
            exactlyOnce += params.mode() == Simulation.Mode.EXACTLY_ONCE ? 1 : 0;
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info("Simulation: {} runs ({} exactly-once) in {} s, {} steps, {} published events, base seed {}: {}",
            runs, exactlyOnce, String.format("%.1f", seconds), steps, events, base, totals);
        firstSeeds.forEach((name, seed) -> LOG.info("At-least-once, {}: first seen with -Dsim.seed={}", name, seed));
        assertThat(totals.getOrDefault("abandon", 0)).as("decisions abandoned after DECISION_TIMEOUT").isPositive();
        assertThat(totals.getOrDefault("crash", 0)).as("crashes").isPositive();
    }

    /** SplitMix64's finaliser: neighbouring run numbers give unrelated seeds. */
    private static long mix(final long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static Throwable attempt(final Simulation.Params params, final boolean tracing) {
        final Simulation sim = new Simulation(params, tracing);
        final Throwable failure = attempt(sim);
        if (tracing) {
            final List<String> trace = sim.trace();
            LOG.info("Trace of {} ({} lines):\n{}", params.replay(), trace.size(), String.join("\n", trace));
            LOG.info("Counters of {}: {}", params.replay(), sim.counters);
        }
        return failure;
    }

    private static Throwable attempt(final Simulation sim) {
        try {
            sim.run();
            SimulationOracle.check(sim);
            return null;
        } catch (final AssertionError | RuntimeException e) {
            return new AssertionError("at step " + sim.step() + " of " + sim.params().steps() + ": " + e.getMessage(),
                e);
        }
    }

    /**
     * The smallest case found that still fails, with the same seed: fewer steps (the schedule is the same prefix),
     * then fewer orders and products (another schedule, still from the seed). Printed with its trace.
     */
    private static String shrink(final Simulation.Params failing, final Throwable original) {
        Simulation.Params best = failing;
        Throwable why = original;
        boolean progress = true;
        while (progress) {
            progress = false;
            int low = 0;
            int high = best.steps();
            // The smallest step budget in (low, high] that still fails, by bisection (not monotone: a good guess).
            while (high - low > 1) {
                final int mid = (low + high) / 2;
                final Throwable failure = attempt(best.withSteps(mid), false);
                if (failure != null) {
                    high = mid;
                    why = failure;
                } else {
                    low = mid;
                }
            }
            if (high < best.steps()) {
                best = best.withSteps(high);
                progress = true;
            }
            if (best.orders() > 1) {
                final Throwable failure = attempt(best.withOrders(best.orders() - 1), false);
                if (failure != null) {
                    best = best.withOrders(best.orders() - 1);
                    why = failure;
                    progress = true;
                }
            }
            if (best.products() > 1) {
                final Throwable failure = attempt(best.withProducts(best.products() - 1), false);
                if (failure != null) {
                    best = best.withProducts(best.products() - 1);
                    why = failure;
                    progress = true;
                }
            }
        }
        attempt(best, true);
        return "shrunk to: " + best.replay() + "\n  (replay: mvn -B -q test -Dtest=ReservationSimulationTest "
            + best.replay() + ")\n  failure: " + why.getMessage();
    }
}
