package io.inventory.bench;

import io.inventory.app.InventoryService;
import io.inventory.topology.Topics;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import jdk.jfr.Recording;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark suite of issue 6: every figure next to the ceiling it is compared with, both measured in the same
 * run on the same broker, because the build machines are shared and an absolute number alone says little.
 * {@code bench/run.sh [--quick] [--profile]} runs it; {@code BenchQuickIT} runs the quick mode in {@code mvn verify}.
 *
 * <p>Scenarios, each on a fresh KRaft broker in this JVM: the service with exactly-once (throughput with a
 * pre-loaded backlog and alongside the producer, the raw pipe, latency at fixed rates with the broker's own
 * latency, queries local and forwarded against the liveness probe, restore of a fresh instance against a raw
 * consume of the changelogs); the same with at-least-once; a commit-interval sweep; and the service as its own
 * process for RSS and disk, bounded RocksDB against RocksDB's defaults, and growth with the number of products.
 */
public final class Bench {

    private static final Logger LOG = LoggerFactory.getLogger(Bench.class);

    /**
     * How big a run is. {@code products} is the product count of the service scenarios (throughput, latency, the
     * first query run); {@code growthLevels} end with the product count of footprint, restore and the second query
     * run. With a non-zero {@code sustained} each throughput run is repeated, sized from the pace of the one before,
     * until it lasts at least that long; the order counts are then those of the first, calibrating run.
     */
    record Sizes(boolean quick, int products, int warmupOrders, int singleLineOrders, int threeLineOrders,
                 Duration sustained, Duration latencyRun,
                 double[] rateFractions, int[] commitIntervals, int sweepOrders, Duration httpRun,
                 int[] growthLevels, int ordersPerStep, double growthRate, Duration growthLatencyRun) {

        static Sizes small() {
            return new Sizes(true, 1_000, 500, 1_500, 500, Duration.ZERO, Duration.ofMillis(1500),
                new double[] {0.1, 0.5, 0.8}, new int[] {20}, 1_000, Duration.ofSeconds(1), new int[] {500, 1_500},
                300, 50, Duration.ofSeconds(1));
        }

        static Sizes large() {
            return new Sizes(false, 1_000, 3_000, 20_000, 5_000, Duration.ofSeconds(60), Duration.ofSeconds(10),
                new double[] {0.1, 0.5, 0.8}, new int[] {20, 300, 1000}, 5_000, Duration.ofSeconds(5),
                new int[] {1_000, 10_000, 100_000, 1_000_000}, 2_000, 100, Duration.ofSeconds(4));
        }

        Sizes withSustained(final Duration duration) {
            return new Sizes(quick, products, warmupOrders, singleLineOrders, threeLineOrders, duration, latencyRun,
                rateFractions, commitIntervals, sweepOrders, httpRun, growthLevels, ordersPerStep, growthRate,
                growthLatencyRun);
        }

        Sizes withGrowthLevels(final int[] levels) {
            return new Sizes(quick, products, warmupOrders, singleLineOrders, threeLineOrders, sustained, latencyRun,
                rateFractions, commitIntervals, sweepOrders, httpRun, levels, ordersPerStep, growthRate,
                growthLatencyRun);
        }

        int largest() {
            return growthLevels[growthLevels.length - 1];
        }
    }

    /**
     * The raw pipe copies at least this many records (else as many as the service wrote for its single-line
     * backlog): a smaller copy measures the clients' start-up more than the broker.
     */
    static final long RAW_PIPE_MIN_RECORDS = 200_000;
    /** The EOS default commit interval of Kafka Streams. */
    static final int EOS_COMMIT_MS = 100;
    private static final String EOS = "exactly_once_v2";
    private static final String ALOS = "at_least_once";

    private final Sizes sizes;
    private final Path work;
    private final Path jar;
    private final Path profile;
    private final Report report;

    private Bench(final Sizes sizes, final Path work, final Path jar, final Path profile, final Report report) {
        this.sizes = sizes;
        this.work = work;
        this.jar = jar;
        this.profile = profile;
        this.report = report;
    }

    public static void main(final String[] args) throws Exception {
        final List<String> options = List.of(args);
        final boolean quick = options.contains("--quick");
        final Path out = Path.of(option(options, "--out", "bench/results"));
        final Path work = Path.of(option(options, "--work", "target/bench-work"));
        final Path jar = Path.of(option(options, "--jar", "target/inventory-service.jar"));
        final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        final Path profile = options.contains("--profile") ? out.resolve(stamp + "-eos.jfr") : null;
        final Result result = run(quick, out, work, jar, profile, stamp);
        System.out.println();
        System.out.println(result.report().table());
        System.out.println("Wrote " + result.json() + " and " + result.plots());
        System.exit(result.report().missing().isEmpty() ? 0 : 1);
    }

    private static String option(final List<String> options, final String name, final String fallback) {
        final int at = options.indexOf(name);
        return at >= 0 && at + 1 < options.size() ? options.get(at + 1) : fallback;
    }

    /** What a run wrote. */
    public record Result(Report report, Path json, Path table, List<Path> plots) {
    }

    public static Result run(final boolean quick, final Path out, final Path work, final Path jar,
                             final Path profile, final String stamp) throws Exception {
        final Report report = new Report(quick ? "quick" : "full", stamp);
        Sizes sizes = quick ? Sizes.small() : Sizes.large();
        final String sustained = System.getProperty("bench.sustained", "");
        if (!sustained.isEmpty()) {
            // -Dbench.sustained=0: the full sizes without sizing runs by time, for shorter experiments.
            sizes = sizes.withSustained(Duration.ofSeconds(Long.parseLong(sustained)));
        }
        final String levels = System.getProperty("bench.levels", "");
        if (!levels.isEmpty()) {
            // -Dbench.levels=100000: other product counts for growth (the last one for footprint and restore).
            sizes = sizes.withGrowthLevels(java.util.Arrays.stream(levels.split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray());
        }
        final Bench bench = new Bench(sizes, work, jar, profile, report);
        bench.all();
        final Path json = out.resolve(stamp + ".json");
        report.writeJson(json);
        final Path table = out.resolve(stamp + ".md");
        Files.writeString(table, "Mode: " + report.mode() + ", " + stamp + ", "
            + Runtime.getRuntime().availableProcessors() + " cores\n\n" + report.table());
        final List<Path> plots = Plots.write(report, out, stamp);
        return new Result(report, json, table, plots);
    }

    private interface Step {
        void run() throws Exception;
    }

    private void section(final String name, final Step step) {
        final long started = System.nanoTime();
        LOG.info("bench: {} ...", name);
        try {
            step.run();
        } catch (final Exception | AssertionError e) {
            LOG.error("bench: {} failed", name, e);
            report.missing(name, "failed: " + e);
        }
        final double secs = (System.nanoTime() - started) / 1e9;
        report.took(name, secs);
        LOG.info("bench: {} took {} s", name, String.format("%.1f", secs));
    }

    private double eosSingle = Double.NaN;
    private double alosSingle = Double.NaN;
    private double eosTriple = Double.NaN;
    private double eosP99AtHalf = Double.NaN;
    private double alosTriple = Double.NaN;
    private int alosSingleCount;
    private int alosTripleCount;

    private void all() {
        final String only = System.getProperty("bench.only", "");
        if (only.equals("footprint")) {
            // -Dbench.only=footprint: footprint, growth, restore and the queries at the largest size only.
            section("footprint, growth, restore and queries at " + sizes.largest() + " products", this::footprint);
            return;
        }
        if (!only.isEmpty()) {
            // -Dbench.only=eos: the exactly-once scenario's throughput and latency only, for profiling and tuning.
            section("exactly_once_v2", this::exactlyOnce);
            return;
        }
        section("exactly_once_v2", this::exactlyOnce);
        section("at_least_once", this::atLeastOnce);
        if (!Double.isNaN(eosSingle) && !Double.isNaN(alosSingle)) {
            report.add("throughput", "EOS/ALOS single-line orders/s", eosSingle, "orders/s", "ALOS", alosSingle,
                ">= 0.80");
            report.add("throughput", "EOS/ALOS three-line orders/s", eosTriple, "orders/s", "ALOS", alosTriple,
                ">= 0.80");
        }
        section("commit-interval sweep", this::commitSweep);
        section("footprint, growth, restore and queries at " + sizes.largest() + " products", this::footprint);
    }

    private static Map<String, String> guarantee(final String guarantee) {
        final Map<String, String> env = new java.util.HashMap<>(extraEnv());
        env.put("PROCESSING_GUARANTEE", guarantee);
        return env;
    }

    /**
     * Settings for every in-JVM instance from {@code -Dbench.env=NAME=VALUE,...}: to try a change (for example
     * {@code STREAMS_MAX_TASK_IDLE_MS=-1}) before making it the service's default.
     */
    static Map<String, String> extraEnv() {
        final Map<String, String> env = new java.util.HashMap<>();
        env.put("LOG_LEVEL", "WARN");
        for (final String pair : System.getProperty("bench.env", "").split(",")) {
            final int at = pair.indexOf('=');
            if (at > 0) {
                env.put(pair.substring(0, at).trim(), pair.substring(at + 1).trim());
            }
        }
        return env;
    }

    private Path sessionDir(final String name) {
        return work.resolve(name);
    }

    private void exactlyOnce() throws Exception {
        try (Session session = Session.start(sessionDir("eos"))) {
            // The group leader's assignor decides whether a new instance counts as caught up: a large acceptable lag
            // lets the second instance of the query benchmark take over partitions at once, not after a probing
            // rebalance (10 min by default). It changes nothing for one instance alone.
            final Map<String, String> env = new java.util.HashMap<>(guarantee(EOS));
            env.put("STREAMS_ACCEPTABLE_RECOVERY_LAG", "100000000");
            final InventoryService service = session.startService("a", env);
            report.add("setup", "products loaded (EOS)", session.loadProducts(sizes.products()), "products/s");
            // Warm-up: JIT, RocksDB and the producers' batches; not reported.
            session.orders(service, sizes.warmupOrders(), 1, false);

            Recording recording = null;
            if (profile != null) {
                recording = new Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                recording.start();
            }
            final Session.Throughput single = sustained(session, service, sizes.singleLineOrders(), 1, true);
            if (recording != null) {
                Files.createDirectories(profile.getParent());
                recording.dump(profile);
                recording.close();
            }
            final Session.Throughput triple = sustained(session, service, sizes.threeLineOrders(), 3, true);
            final Session.Throughput alongside = sustained(session, service, sizes.singleLineOrders() / 2, 1, false);
            eosSingle = single.ordersPerSecond();
            eosTriple = triple.ordersPerSecond();
            alosSingleCount = single.orders();
            alosTripleCount = triple.orders();
            // The raw pipe: records of an order's size, as many as the service wrote for the single-line backlog.
            final int recordBytes = Envelopes.orderCreated("a0", "p-0").length;
            final long rawRecords = Math.max(RAW_PIPE_MIN_RECORDS, (long) single.recordsWritten());
            final double raw = session.rawPipe(rawRecords, recordBytes);
            report.add("throughput", String.format("raw pipe (producer + consumer, %,d records of %d bytes)",
                rawRecords, recordBytes), raw, "records/s");
            throughputRows("EOS", single, triple, alongside, raw);

            latency(session);
            if (!System.getProperty("bench.only", "").isEmpty()) {
                return;
            }
            queries(session, service);
        }
    }

    /**
     * A throughput run of {@code minimum} orders; in a sustained run that first run only calibrates (and warms up
     * this kind of order), and the run is repeated, sized from the last pace, until one lasts at least
     * {@link Sizes#sustained()}: the pace of a short run says little about a long one (JIT, RocksDB flushes).
     */
    private Session.Throughput sustained(final Session session, final InventoryService service, final int minimum,
                                         final int lines, final boolean backlog) {
        Session.Throughput run = session.orders(service, minimum, lines, backlog);
        final double target = sizes.sustained().toMillis() / 1000.0;
        for (int attempt = 0; attempt < 3 && run.seconds() < target; attempt++) {
            final int orders = (int) Math.max(minimum, Math.ceil(run.ordersPerSecond() * target * 1.15));
            run = session.orders(service, orders, lines, backlog);
        }
        if (run.seconds() < target) {
            report.missing("sustained " + lines + "-line " + (backlog ? "backlog" : "alongside"),
                String.format("the longest run lasted %.1f s, not %.0f s", run.seconds(), target));
        }
        return run;
    }

    private void throughputRows(final String mode, final Session.Throughput single, final Session.Throughput triple,
                                final Session.Throughput alongside, final double raw) {
        report.add("throughput", String.format("%s single-line, backlog: %,d orders took", mode, single.orders()),
            single.seconds(), "s");
        report.add("throughput", String.format("%s three-line, backlog: %,d orders took", mode, triple.orders()),
            triple.seconds(), "s");
        if (alongside != null) {
            report.add("throughput", String.format("%s single-line, alongside: %,d orders took", mode,
                alongside.orders()), alongside.seconds(), "s");
        }
        report.add("throughput", mode + " single-line, backlog", single.ordersPerSecond(), "orders/s",
            "raw pipe records/s", raw, mode.equals("EOS") ? ">= 0.20" : "");
        report.add("throughput", mode + " single-line, backlog", single.recordsPerSecond(), "records/s",
            "raw pipe", raw, "");
        report.add("throughput", mode + " three-line, backlog", triple.ordersPerSecond(), "orders/s");
        report.add("throughput", mode + " three-line, backlog", triple.recordsPerSecond(), "records/s",
            "raw pipe", raw, "");
        if (alongside != null) {
            report.add("throughput", mode + " single-line, producer alongside", alongside.ordersPerSecond(),
                "orders/s");
        }
        report.add("throughput", mode + " records written per single-line order",
            single.recordsWritten() / single.orders(), "records");
    }

    private void latency(final Session session) throws Exception {
        final List<Double> rates = new ArrayList<>();
        final List<Double> p50 = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        final List<Double> p999 = new ArrayList<>();
        final List<Double> brokerP99 = new ArrayList<>();
        final int recordBytes = Envelopes.orderCreated("a0", "p-0").length;
        for (final double fraction : sizes.rateFractions()) {
            final double rate = Math.max(5, fraction * eosSingle);
            final Session.Latency service = session.latency(rate, sizes.latencyRun());
            final Session.Latency broker = session.brokerLatency(rate, sizes.latencyRun(), recordBytes);
            final String at = String.format("at %.0f%% of max (%.0f orders/s)", fraction * 100, rate);
            if (service.received() < service.sent()) {
                report.missing("latency " + at, service.received() + " of " + service.sent()
                    + " reserved events within 30 s");
            }
            final double target = 2 * EOS_COMMIT_MS + broker.millis(99);
            report.add("latency", "order->reserved p50 " + at, service.millis(50), "ms", "broker p50",
                broker.millis(50), "");
            report.add("latency", "order->reserved p99 " + at, service.millis(99), "ms",
                "2 x commit + broker p99", target, fraction == 0.5 ? "<= 1.00" : "");
            report.add("latency", "order->reserved p99.9 " + at, service.millis(99.9), "ms", "broker p99.9",
                broker.millis(99.9), "");
            report.add("latency", "order->reserved max " + at, service.millis(100), "ms", "broker max",
                broker.millis(100), "");
            if (fraction == 0.5) {
                eosP99AtHalf = service.millis(99);
            }
            rates.add(rate);
            p50.add(service.millis(50));
            p99.add(service.millis(99));
            p999.add(service.millis(99.9));
            brokerP99.add(broker.millis(99));
        }
        report.series("latency", "p50", rates, p50);
        report.series("latency", "p99", rates, p99);
        report.series("latency", "p99.9", rates, p999);
        report.series("latency", "broker p99", rates, brokerP99);
    }

    private void queries(final Session session, final InventoryService a) throws Exception {
        final String products = String.format("%,d products", session.products());
        final String base = "http://127.0.0.1:" + a.endpoint().port();
        final List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < session.products(); i++) {
            ids.add(i);
        }
        Collections.shuffle(ids, new Random(7));
        final List<URI> local = ids.stream().limit(1000)
            .map(i -> URI.create(base + "/inventory/" + Envelopes.productId(i))).toList();
        final List<URI> live = List.of(URI.create(base + "/health/live"));
        final int threads = 2;
        final HttpBench.Throughput liveRps = HttpBench.closedLoop(live, threads, sizes.httpRun());
        final HttpBench.Throughput localRps = HttpBench.closedLoop(local, threads, sizes.httpRun());
        // Latency of both at one fixed rate, half of what the inventory route answered flat out.
        final double rate = Math.max(50, localRps.perSecond() / 2);
        final HttpBench.Latency liveLatency = HttpBench.fixedRate(live, threads, rate, sizes.httpRun());
        final HttpBench.Latency localLatency = HttpBench.fixedRate(local, threads, rate, sizes.httpRun());
        report.add("queries", products + ": GET /health/live", liveRps.perSecond(), "req/s");
        report.add("queries", products + ": GET /inventory/{id} local", localRps.perSecond(), "req/s", "live",
            liveRps.perSecond(), ">= 0.70");
        queryLatencyRows(products + ": live", liveLatency, null, rate, false);
        queryLatencyRows(products + ": local", localLatency, liveLatency, rate, true);
        if (localRps.errors() > 0 || localLatency.errors() > 0) {
            report.missing("queries local, " + products, (localRps.errors() + localLatency.errors())
                + " failed requests");
        }

        // A second instance takes over some partitions: queries to the first for its products are forwarded.
        final Map<String, String> second = new java.util.HashMap<>(extraEnv());
        second.put("STREAMS_ACCEPTABLE_RECOVERY_LAG", "100000000");
        final InventoryService b = session.startService("b-" + session.products(), second);
        final List<URI> forwarded = new ArrayList<>();
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (forwarded.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            for (final int i : ids.subList(0, Math.min(1000, ids.size()))) {
                final String id = Envelopes.productId(i);
                final KeyQueryMetadata owner = a.streams().queryMetadataForKey(Topics.INVENTORY_STORE, id,
                    Serdes.String().serializer());
                if (owner.activeHost().port() == b.endpoint().port()) {
                    forwarded.add(URI.create(base + "/inventory/" + id));
                }
            }
            if (!forwarded.isEmpty() && !HttpBench.send(java.net.http.HttpClient.newHttpClient(), forwarded.get(0))) {
                forwarded.clear();
            }
        }
        if (forwarded.isEmpty()) {
            report.missing("queries forwarded, " + products, "the second instance owned no product within 60 s");
        } else {
            final HttpBench.Throughput forwardedRps = HttpBench.closedLoop(forwarded, threads, sizes.httpRun());
            final HttpBench.Latency forwardedLatency = HttpBench.fixedRate(forwarded, threads,
                Math.min(rate, forwardedRps.perSecond() / 2), sizes.httpRun());
            report.add("queries", products + ": GET /inventory/{id} forwarded to 2nd instance",
                forwardedRps.perSecond(), "req/s", "live", liveRps.perSecond(), "");
            queryLatencyRows(products + ": forwarded", forwardedLatency, liveLatency,
                Math.min(rate, forwardedRps.perSecond() / 2), false);
            if (forwardedRps.errors() > 0) {
                report.missing("queries forwarded, " + products, forwardedRps.errors() + " failed requests");
            }
        }
        session.stopService(b);
    }

    private void queryLatencyRows(final String name, final HttpBench.Latency latency, final HttpBench.Latency live,
                                  final double rate, final boolean target) {
        final String at = String.format(" at %.0f req/s", rate);
        if (live == null) {
            report.add("queries", name + " p50" + at, latency.millis(50), "ms");
            report.add("queries", name + " p99" + at, latency.millis(99), "ms");
        } else {
            report.add("queries", name + " p50" + at, latency.millis(50), "ms", "live p50", live.millis(50), "");
            report.add("queries", name + " p99" + at, latency.millis(99), "ms", "5 ms", 5.0,
                target ? "<= 1.00" : "");
        }
    }

    /**
     * A fresh instance (empty state directory) restores every store from its changelog; timed until a sample of
     * products across all partitions is answered, against a raw consume of the same changelogs. Returns the
     * instance, still running, for the queries at this size.
     */
    private InventoryService restore(final Session session, final int openOrders) throws Exception {
        final int products = session.products();
        session.closeServices();
        final List<String> changelogs = List.of(Session.APPLICATION_ID + "-" + Topics.INVENTORY_STORE + "-changelog",
            Session.APPLICATION_ID + "-" + Topics.ORDERS_STORE + "-changelog",
            Session.APPLICATION_ID + "-" + Topics.COMMAND_IDS_STORE + "-changelog",
            Session.APPLICATION_ID + "-" + Topics.ALLOCATIONS_STORE + "-changelog");
        final double[] raw = session.consumeAll(changelogs);
        final Map<String, String> env = new java.util.HashMap<>(extraEnv());
        env.put("STREAMS_ACCEPTABLE_RECOVERY_LAG", "100000000");
        final long started = System.nanoTime();
        final InventoryService fresh = session.startService("fresh", env);
        final double running = (System.nanoTime() - started) / 1e9;
        final String base = "http://127.0.0.1:" + fresh.endpoint().port() + "/inventory/";
        final java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        // Products spread over the partitions: every inventory task must have restored for all to answer.
        final List<URI> sample = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sample.add(URI.create(base + Envelopes.productId((int) ((long) i * products / 12))));
        }
        double first = Double.NaN;
        final boolean[] answered = new boolean[sample.size()];
        int left = sample.size();
        final long deadline = started + Duration.ofMinutes(5).toNanos();
        while (left > 0 && System.nanoTime() < deadline) {
            for (int i = 0; i < sample.size(); i++) {
                if (!answered[i] && HttpBench.send(client, sample.get(i))) {
                    answered[i] = true;
                    left--;
                    if (Double.isNaN(first)) {
                        first = (System.nanoTime() - started) / 1e9;
                    }
                }
            }
            Thread.sleep(10);
        }
        final double restored = (System.nanoTime() - started) / 1e9;
        if (left > 0) {
            report.missing("restore", left + " of " + sample.size() + " sample products unanswered after 5 min");
        }
        final double rawRate = raw[0] / raw[1];
        report.add("restore", String.format(
            "changelog records (%,d products, %,d open orders, their pairs, command ids)", products, openOrders),
            raw[0], "records");
        report.add("restore", "raw consume of the changelogs", rawRate, "records/s/restore");
        report.add("restore", "fresh instance: records/s to every sample answered", raw[0] / restored,
            "records/s/restore", "raw consume", rawRate, ">= 0.50");
        report.add("restore", "fresh instance: start to RUNNING", running, "s");
        report.add("restore", "fresh instance: start to first query answered", first, "s");
        report.add("restore", "fresh instance: start to every sample answered", restored, "s", "raw consume s",
            raw[1], "");
        return fresh;
    }

    private void atLeastOnce() throws Exception {
        try (Session session = Session.start(sessionDir("alos"))) {
            final InventoryService service = session.startService("a", guarantee(ALOS));
            session.loadProducts(sizes.products());
            session.orders(service, sizes.warmupOrders(), 1, false);
            // The same orders as the exactly-once runs: the ratio compares the same work.
            final Session.Throughput single = session.orders(service,
                alosSingleCount > 0 ? alosSingleCount : sizes.singleLineOrders(), 1, true);
            final Session.Throughput triple = session.orders(service,
                alosTripleCount > 0 ? alosTripleCount : sizes.threeLineOrders(), 3, true);
            alosSingle = single.ordersPerSecond();
            alosTriple = triple.ordersPerSecond();
            final int recordBytes = Envelopes.orderCreated("a0", "p-0").length;
            final double raw = session.rawPipe(Math.max(RAW_PIPE_MIN_RECORDS, (long) single.recordsWritten()),
                recordBytes);
            throughputRows("ALOS", single, triple, null, raw);
        }
    }

    private void commitSweep() throws Exception {
        final List<Double> intervals = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        final List<Double> throughput = new ArrayList<>();
        final double rate = Math.max(5, 0.5 * (Double.isNaN(eosSingle) ? 200 : eosSingle));
        final List<Integer> sweep = new ArrayList<>();
        for (final int ms : sizes.commitIntervals()) {
            sweep.add(ms);
        }
        if (!Double.isNaN(eosP99AtHalf)) {
            // The default interval was measured by the exactly-once scenario, at this same rate.
            intervals.add((double) EOS_COMMIT_MS);
            p99.add(eosP99AtHalf);
            throughput.add(eosSingle);
        }
        for (final int ms : sweep) {
            try (Session session = Session.start(sessionDir("commit-" + ms))) {
                final Map<String, String> env = new java.util.HashMap<>(extraEnv());
                env.put("STREAMS_COMMIT_INTERVAL_MS", Integer.toString(ms));
                final InventoryService service = session.startService("a", env);
                session.loadProducts(sizes.products());
                session.orders(service, sizes.warmupOrders(), 1, false);
                final Session.Throughput max = session.orders(service, sizes.sweepOrders(), 1, true);
                final Session.Latency latency = session.latency(rate, sizes.latencyRun());
                intervals.add((double) ms);
                p99.add(latency.millis(99));
                throughput.add(max.ordersPerSecond());
                report.add("commit interval", String.format("%d ms: p99 at %.0f orders/s", ms, rate),
                    latency.millis(99), "ms");
                report.add("commit interval", ms + " ms: single-line backlog", max.ordersPerSecond(), "orders/s");
            }
        }
        sortByX(intervals, p99, throughput);
        report.series("commit-interval", "p99 ms at " + Math.round(rate) + " orders/s", intervals, p99);
        report.series("commit-interval", "max orders/s" + Plots.RIGHT_AXIS, intervals, throughput);
    }

    /** Sorts parallel lists by the first. */
    private static void sortByX(final List<Double> x, final List<Double> a, final List<Double> b) {
        final List<Integer> order = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            order.add(i);
        }
        order.sort((i, j) -> Double.compare(x.get(i), x.get(j)));
        final List<Double> x2 = order.stream().map(x::get).toList();
        final List<Double> a2 = order.stream().map(a::get).toList();
        final List<Double> b2 = order.stream().map(b::get).toList();
        x.clear();
        x.addAll(x2);
        a.clear();
        a.addAll(a2);
        b.clear();
        b.addAll(b2);
    }

    private void footprint() throws Exception {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: run mvn package first");
        }
        final int[] levels = sizes.growthLevels();
        final Footprint.Run bounded;
        try (Session session = Session.start(sessionDir("footprint-bounded"))) {
            bounded = Footprint.run(session, jar, "bounded", true, levels, sizes.ordersPerStep(),
                sizes.growthRate(), sizes.growthLatencyRun());
            // The instance has stopped; its changelogs hold the largest size: restore them, then query them.
            section("restore at " + session.products() + " products", () -> {
                final InventoryService fresh = restore(session, bounded.openOrders());
                queries(session, fresh);
            });
        }
        final Footprint.Run defaults;
        try (Session session = Session.start(sessionDir("footprint-defaults"))) {
            defaults = Footprint.run(session, jar, "defaults", false, new int[] {levels[levels.length - 1]},
                sizes.ordersPerStep(), sizes.growthRate(), sizes.growthLatencyRun());
        }
        final int products = levels[levels.length - 1];
        final String held = String.format("%d products, %d open orders", products, bounded.openOrders());
        report.add("footprint", "RSS bounded RocksDB, " + held, bounded.finalRssMiB(), "MiB", "768 MiB", 768,
            "<= 1.00");
        report.add("footprint", "peak RSS bounded RocksDB while loading", bounded.peakRssMiB(), "MiB",
            "defaults peak", defaults.peakRssMiB(), "");
        report.add("footprint", "RSS RocksDB defaults, " + held, defaults.finalRssMiB(), "MiB");
        report.add("footprint", "disk (state dir) bounded", bounded.diskMiB(), "MiB");
        report.add("footprint", "disk (state dir) defaults", defaults.diskMiB(), "MiB");
        report.series("rss", "bounded RocksDB (64 MiB cache)", bounded.seconds(), bounded.rssMiB());
        report.series("rss", "RocksDB defaults", defaults.seconds(), defaults.rssMiB());

        final List<Double> x = new ArrayList<>();
        final List<Double> rss = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        final List<Double> rate = new ArrayList<>();
        final Footprint.Step first = bounded.steps().get(0);
        for (final Footprint.Step step : bounded.steps()) {
            x.add((double) step.products());
            rss.add(step.rssMiB());
            p99.add(step.p99Millis());
            rate.add(step.ordersPerSecond());
            report.add("growth", step.products() + " products: orders/s (alongside)", step.ordersPerSecond(),
                "orders/s", "at " + first.products(), first.ordersPerSecond(), "");
            report.add("growth", step.products() + " products: p99 at " + Math.round(sizes.growthRate())
                + " orders/s", step.p99Millis(), "ms", "at " + first.products(), first.p99Millis(), "");
            report.add("growth", step.products() + " products: RSS", step.rssMiB(), "MiB");
            report.add("growth", step.products() + " products: load rate", step.loadPerSecond(), "products/s");
        }
        if (bounded.steps().size() > 1) {
            final Footprint.Step last = bounded.steps().get(bounded.steps().size() - 1);
            report.add("growth", "RSS per added product", (last.rssMiB() - first.rssMiB()) * 1024 * 1024
                / (last.products() - first.products()), "bytes");
        }
        report.series("growth", "RSS MiB", x, rss);
        report.series("growth", "p99 ms", x, p99);
        report.series("growth", "orders/s" + Plots.RIGHT_AXIS, x, rate);
    }
}
