package io.inventory.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inventory.serde.Json;
import io.inventory.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Latency against offered load, measured as issue 14 asks: the broker in a JVM of its own ({@link BrokerProcess}),
 * one service instance as its own JVM ({@link ServiceJvm}), single-line orders at fixed rates from this JVM, each
 * timed from its intended send time to its {@code inventory.reserved} read {@code read_committed} (coordinated
 * omission corrected). Each commit setting gets a fresh broker; the first run after readiness (the warm-up, at
 * {@code --warmup-rate}) is reported as the cold start (broker and service both cold); then the instance is
 * stopped and started again (state kept) and met by the same load against the now warm broker, the restart; then
 * every rate of {@code --rates} in turn.
 *
 * <pre>
 * bench/run.sh --latency [--rates 500,1000,2000,4000,6000] [--run PT20S] [--warmup PT20S] [--drain PT60S]
 *                        [--settings interval-100,interval-20,default]
 * </pre>
 *
 * A setting is {@code interval-N} ({@code commit.interval.ms=N}) or {@code default} (the build's defaults),
 * followed by any {@code +NAME=VALUE} settings of the instance (for example {@code default+STREAMS_POLL_MS=20}).
 * A rate whose orders are not all reserved within {@code --drain} (default 60 s) of the last send is reported as
 * falling behind, and higher rates are not run.
 */
public final class LatencyCurve {

    private static final Logger LOG = LoggerFactory.getLogger(LatencyCurve.class);
    private static final int PRODUCTS = 1_000;

    /** One fixed-rate run. */
    record Point(double rate, int sent, long received, double p50, double p99, double p999, double max) {
        boolean complete() {
            return received == sent;
        }
    }

    /** Everything one setting saw: the cold start, the restart and the curve. */
    record Curve(String setting, Point cold, Point restart, List<Point> points) {
    }

    private LatencyCurve() {
    }

    public static void main(final String[] args) throws Exception {
        final Map<String, String> options = Session.options(args);
        final double[] rates = Arrays.stream(options.getOrDefault("rates", "500,1000,2000,4000,6000").split(","))
            .mapToDouble(Double::parseDouble).toArray();
        final Duration run = Duration.parse(options.getOrDefault("run", "PT20S"));
        final Duration warmup = Duration.parse(options.getOrDefault("warmup", "PT20S"));
        final double warmupRate = Double.parseDouble(options.getOrDefault("warmup-rate", "2000"));
        // How long a run waits for its last orders before it counts as falling behind; the next run starts after.
        final Duration drain = Duration.parse(options.getOrDefault("drain", "PT60S"));
        final List<String> settings = List.of(options.getOrDefault("settings", "interval-100,interval-20,default")
            .split(","));
        final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        final Path work = Path.of("target/bench-work/latency-" + stamp);
        final Path jar = Path.of("target/inventory-service.jar");

        final List<Curve> curves = new ArrayList<>();
        for (final String setting : settings) {
            curves.add(curve(jar, work.resolve(setting), setting, rates, run, warmup, warmupRate, drain));
        }
        final Path results = Path.of("bench/results");
        Files.createDirectories(results);
        final String name = stamp + "-latency";
        Files.writeString(results.resolve(name + ".json"), json(curves, run, warmup, warmupRate));
        final String table = table(curves, run, warmup, warmupRate);
        Files.writeString(results.resolve(name + ".md"), table);
        plot(curves, results.resolve(name + ".png"));
        System.out.println(table);
        System.out.println("Wrote bench/results/" + name + ".{json,md,png}");
    }

    private static Curve curve(final Path jar, final Path dir, final String setting, final double[] rates,
                               final Duration run, final Duration warmup, final double warmupRate,
                               final Duration drain) throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(dir.resolve("broker"));
             ServiceJvm service = new ServiceJvm(jar, dir, "latency", broker.bootstrapServers(), env(setting));
             KafkaProducer<String, byte[]> producer = Session.producer(broker.bootstrapServers(), 0)) {
            service.start();
            service.awaitReady(Duration.ofSeconds(120));
            try (Watcher watcher = new Watcher(broker.bootstrapServers())) {
                for (int i = 0; i < PRODUCTS; i++) {
                    final String id = Envelopes.productId(i);
                    producer.send(new ProducerRecord<>(Topics.INVENTORY_COMMANDS.name(), id, Envelopes.createItem(id)));
                }
                producer.flush();
                if (!Watcher.await(() -> watcher.count(Topics.INVENTORY_CREATED.name()), PRODUCTS,
                    Duration.ofSeconds(60))) {
                    throw new IllegalStateException(setting + ": products not created, see " + service.log());
                }
                final Runner runner = new Runner(producer, watcher, drain);
                final Point cold;
                try (MetricsTrace trace = MetricsTrace.start(service, dir.resolve("metrics-cold.txt"))) {
                    cold = runner.run(warmupRate, warmup);
                }
                LOG.info("latency {}: first {} after ready at {}/s: p50 {} ms, p99 {} ms", setting, warmup,
                    warmupRate, cold.p50(), cold.p99());
                // A restart against a broker that has been working (as in production): SIGTERM, state kept, a new
                // JVM, and the same load from its first moment of readiness.
                service.close();
                service.start();
                service.awaitReady(Duration.ofSeconds(120));
                final Point restart;
                try (MetricsTrace trace = MetricsTrace.start(service, dir.resolve("metrics-restart.txt"))) {
                    restart = runner.run(warmupRate, warmup);
                }
                LOG.info("latency {}: first {} after a restart at {}/s: p50 {} ms, p99 {} ms", setting, warmup,
                    warmupRate, restart.p50(), restart.p99());
                final List<Point> points = new ArrayList<>();
                for (final double rate : rates) {
                    final Point point = runner.run(rate, run);
                    points.add(point);
                    LOG.info("latency {}: {}/s p50 {} ms p99 {} ms ({} of {})", setting, rate, point.p50(),
                        point.p99(), point.received(), point.sent());
                    if (!point.complete()) {
                        break;
                    }
                }
                if (watcher.failures() > 0) {
                    throw new IllegalStateException(setting + ": " + watcher.failures() + " failure events");
                }
                return new Curve(setting, cold, restart, points);
            }
        }
    }

    /** A setting, then any {@code +NAME=VALUE} settings of the instance's environment. */
    private static Map<String, String> env(final String spec) {
        final String[] parts = spec.split("\\+");
        final Map<String, String> env = new java.util.HashMap<>(pacing(parts[0]));
        for (int i = 1; i < parts.length; i++) {
            final String[] pair = parts[i].split("=", 2);
            env.put(pair[0], pair[1]);
        }
        return env;
    }

    private static Map<String, String> pacing(final String setting) {
        if (setting.startsWith("interval-")) {
            return Map.of("STREAMS_COMMIT_INTERVAL_MS", setting.substring("interval-".length()));
        }
        if (setting.equals("default")) {
            return Map.of();
        }
        throw new IllegalArgumentException("unknown setting " + setting);
    }

    /**
     * The instance's {@code /metrics} (Kafka Streams' and its clients' own metrics among them) once a second into a
     * file, each sample headed by its second since the start: what the instance did while a start was slow.
     */
    private static final class MetricsTrace implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;

        private MetricsTrace(final ServiceJvm service, final Path file) {
            thread = new Thread(() -> {
                final long start = System.nanoTime();
                try (var out = Files.newBufferedWriter(file)) {
                    while (running) {
                        final var response = service.get("/metrics");
                        out.write("### " + (System.nanoTime() - start) / 1_000_000L + " ms\n");
                        out.write(response.body() == null ? "" : response.body());
                        Thread.sleep(1_000);
                    }
                } catch (final java.io.IOException e) {
                    LOG.warn("metrics trace stopped: {}", e.toString());
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-metrics-trace");
            thread.setDaemon(true);
            thread.start();
        }

        static MetricsTrace start(final ServiceJvm service, final Path file) {
            return new MetricsTrace(service, file);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }

    /** Sends single-line orders at a fixed rate and reads their latency off the watcher. */
    private static final class Runner {
        private final KafkaProducer<String, byte[]> producer;
        private final Watcher watcher;
        private final Duration drain;
        private final SplittableRandom random = new SplittableRandom(14);
        private char prefix = 'a';

        Runner(final KafkaProducer<String, byte[]> producer, final Watcher watcher, final Duration drain) {
            this.producer = producer;
            this.watcher = watcher;
            this.drain = drain;
        }

        Point run(final double perSecond, final Duration duration) {
            final int count = Math.max(10, (int) (perSecond * duration.toNanos() / 1e9));
            final Watcher.Probe probe = Watcher.Probe.of(prefix, count);
            prefix = prefix == 'z' ? 'A' : (char) (prefix + 1);
            watcher.probe(probe);
            Session.sendOrders(producer, probe, perSecond,
                orderId -> Envelopes.orderCreated(orderId, Envelopes.productId(random.nextInt(PRODUCTS))));
            Watcher.await(() -> probe.received().get(), count, drain);
            watcher.probe(null);
            LOG.info("timeline at {}/s (second of the intended send: orders, p50 / max ms; reserved that second):\n{}",
                perSecond, timeline(probe));
            final var histogram = probe.histogram();
            return new Point(perSecond, count, probe.received().get(), millis(histogram, 50), millis(histogram, 99),
                millis(histogram, 99.9), histogram.getMaxValue() / 1e6);
        }

        /**
         * Per second of the run, counted from the first intended send: how many orders were meant to be sent in it,
         * their median and largest latency, and how many reservations arrived in it; shows a stall and its end.
         */
        private static String timeline(final Watcher.Probe probe) {
            final long start = probe.intendedNanos()[0];
            final int count = probe.intendedNanos().length;
            long end = start;
            for (final long received : probe.receivedNanos()) {
                end = Math.max(end, received);
            }
            final int seconds = (int) ((end - start) / 1_000_000_000L) + 1;
            final List<List<Long>> bySend = new ArrayList<>();
            final int[] arrived = new int[seconds];
            for (int s = 0; s < seconds; s++) {
                bySend.add(new ArrayList<>());
            }
            for (int i = 0; i < count; i++) {
                final long received = probe.receivedNanos()[i];
                if (received == 0) {
                    continue;
                }
                bySend.get((int) ((probe.intendedNanos()[i] - start) / 1_000_000_000L))
                    .add((received - probe.intendedNanos()[i]) / 1_000_000L);
                arrived[(int) ((received - start) / 1_000_000_000L)]++;
            }
            final StringBuilder out = new StringBuilder();
            for (int s = 0; s < seconds; s++) {
                final List<Long> latencies = bySend.get(s);
                latencies.sort(null);
                out.append(String.format(Locale.ROOT, "  %3d s: %5d sent, p50 %6d / max %6d ms; %5d reserved%n", s,
                    latencies.size(), latencies.isEmpty() ? 0 : latencies.get(latencies.size() / 2),
                    latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1), arrived[s]));
            }
            return out.toString();
        }

        private static double millis(final org.HdrHistogram.Histogram histogram, final double percentile) {
            return histogram.getValueAtPercentile(percentile) / 1e6;
        }
    }

    private static String json(final List<Curve> curves, final Duration run, final Duration warmup,
                               final double warmupRate) {
        final ObjectNode root = Json.MAPPER.createObjectNode().put("run", run.toString())
            .put("warmup", warmup.toString()).put("warmupRate", warmupRate)
            .put("cores", Runtime.getRuntime().availableProcessors());
        final ArrayNode list = root.putArray("curves");
        for (final Curve curve : curves) {
            final ObjectNode node = list.addObject().put("setting", curve.setting());
            point(node.putObject("cold"), curve.cold());
            point(node.putObject("restart"), curve.restart());
            final ArrayNode points = node.putArray("points");
            curve.points().forEach(point -> point(points.addObject(), point));
        }
        return root.toPrettyString();
    }

    private static void point(final ObjectNode node, final Point point) {
        node.put("rate", point.rate()).put("sent", point.sent()).put("received", point.received())
            .put("p50", point.p50()).put("p99", point.p99()).put("p999", point.p999()).put("max", point.max());
    }

    private static String table(final List<Curve> curves, final Duration run, final Duration warmup,
                                final double warmupRate) {
        final StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
            "Latency, order.created to inventory.reserved (ms, coordinated omission corrected): broker and service "
                + "in JVMs of their own, single-line orders, %s per rate after a %s run at %.0f/s, %d cores%n%n",
            run, warmup, warmupRate, Runtime.getRuntime().availableProcessors()));
        out.append("| setting | first ").append(warmup).append(" after ready p50 / p99 | first ").append(warmup)
            .append(" after a restart p50 / p99 |");
        final List<Double> rates = curves.stream().flatMap(c -> c.points().stream()).map(Point::rate).distinct()
            .sorted().toList();
        rates.forEach(rate -> out.append(String.format(Locale.ROOT, " %,.0f/s p50 / p99 |", rate)));
        out.append("\n| --- | ---: | ---: |");
        rates.forEach(rate -> out.append(" ---: |"));
        out.append('\n');
        for (final Curve curve : curves) {
            out.append("| ").append(curve.setting()).append(" | ").append(cell(curve.cold())).append(" | ")
                .append(cell(curve.restart())).append(" |");
            for (final double rate : rates) {
                out.append(' ').append(curve.points().stream().filter(p -> p.rate() == rate).findFirst()
                    .map(LatencyCurve::cell).orElse("not run")).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String cell(final Point point) {
        final String figures = String.format(Locale.ROOT, "%.0f / %.0f", point.p50(), point.p99());
        return point.complete() ? figures
            : figures + String.format(Locale.ROOT, " (falls behind: %,d of %,d)", point.received(), point.sent());
    }

    private static void plot(final List<Curve> curves, final Path file) throws java.io.IOException {
        final XYChart chart = new XYChartBuilder().width(900).height(500)
            .title("Order to reservation latency against offered load (broker and service in their own JVMs)")
            .xAxisTitle("offered orders/s").yAxisTitle("ms (log)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        for (final Curve curve : curves) {
            final List<Point> complete = curve.points().stream().filter(Point::complete).toList();
            if (complete.isEmpty()) {
                continue;
            }
            final List<Double> x = complete.stream().map(Point::rate).toList();
            chart.addSeries(curve.setting() + " p50", x, complete.stream().map(Point::p50).toList())
                .setMarker(SeriesMarkers.CIRCLE);
            chart.addSeries(curve.setting() + " p99", x, complete.stream().map(Point::p99).toList())
                .setMarker(SeriesMarkers.DIAMOND);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
