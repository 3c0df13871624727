package io.inventory.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inventory.app.InventoryService;
import io.inventory.serde.Json;
import io.inventory.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle's steady state (issue 13): orders are created, then fulfilled, cancelled or left to expire, in a
 * loop, at a paced rate, with a short {@code RETENTION}; every few seconds the exact record count of every store
 * (read through interactive queries) and the disk size of the state directory are sampled. Once the retention
 * has passed, the counts must stay flat: settled orders are purged on the wall clock, shares and due entries go
 * with their order; after the last order, everything drains.
 *
 * <pre>
 * bench/run.sh --steady-state [--orders 1000000] [--rate 3000] [--retention PT30S] [--ttl PT20S]
 * </pre>
 *
 * Writes {@code bench/results/<stamp>-steady-state.json}, {@code .md} and {@code -steady-state.png}.
 */
public final class SteadyState {

    private static final Logger LOG = LoggerFactory.getLogger(SteadyState.class);
    private static final List<String> STORES = List.of(Topics.ORDERS_STORE, Topics.ORDER_DUE_STORE,
        Topics.ALLOCATIONS_STORE, Topics.INVENTORY_STORE, Topics.COMMAND_IDS_STORE);
    private static final int PRODUCTS = 1_000;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);

    /** One sample: seconds since the start, orders created so far, records per store, state directory size. */
    record Sample(double seconds, long ordersCreated, long closed, Map<String, Long> records, double diskMiB) {
    }

    private SteadyState() {
    }

    public static void main(final String[] args) throws Exception {
        final List<String> options = List.of(args);
        final long orders = Long.parseLong(option(options, "--orders", "1000000"));
        final double rate = Double.parseDouble(option(options, "--rate", "3000"));
        final Duration retention = Duration.parse(option(options, "--retention", "PT30S"));
        final Duration ttl = Duration.parse(option(options, "--ttl", "PT20S"));
        final Path out = Path.of(option(options, "--out", "bench/results"));
        final Path work = Path.of(option(options, "--work", "target/bench-work")).resolve("steady-state");
        final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));

        final List<Sample> samples;
        try (Session session = Session.start(work)) {
            final Map<String, String> env = new LinkedHashMap<>(Bench.extraEnv());
            env.put("RETENTION", retention.toString());
            env.put("RESERVATION_TTL", ttl.toString());
            final InventoryService service = session.startService("steady", env);
            session.loadProducts(PRODUCTS);
            samples = run(session, service, orders, rate, retention.plus(ttl));
        }
        Files.createDirectories(out);
        final Path json = out.resolve(stamp + "-steady-state.json");
        Files.writeString(json, json(samples, orders, rate, retention, ttl));
        final Path table = out.resolve(stamp + "-steady-state.md");
        Files.writeString(table, table(samples, orders, rate, retention, ttl));
        final Path plot = out.resolve(stamp + "-steady-state.png");
        plot(samples, plot, retention);
        System.out.println(Files.readString(table));
        System.out.println("Wrote " + json + ", " + table + " and " + plot);
    }

    private static String option(final List<String> options, final String name, final String fallback) {
        final int at = options.indexOf(name);
        return at >= 0 && at + 1 < options.size() ? options.get(at + 1) : fallback;
    }

    /**
     * Sends {@code orders} one-line orders at {@code rate}; each is closed once its {@code inventory.reserved} has
     * been read (as a real order service would; the order topics are separate topics, so a cancel sent before the
     * create is decided may be applied first) and at least {@code closeAfter} orders later: 55 % fulfilled, 35 %
     * cancelled, 10 % left to expire. Then waits for everything to expire and be purged, sampling all along.
     */
    private static List<Sample> run(final Session session, final InventoryService service, final long orders,
                                    final double rate, final Duration settle) {
        final KafkaProducer<String, byte[]> producer = Session.producer(session.bootstrapServers(), 5);
        final SplittableRandom random = new SplittableRandom(7);
        final AtomicLongArray reserved = new AtomicLongArray((int) (orders / 64 + 1));
        final Map<String, java.util.concurrent.atomic.AtomicLong> refusals = new java.util.concurrent.ConcurrentHashMap<>();
        session.watcher().tap(record -> {
            if (record.topic().equals(Topics.INVENTORY_FULFILMENT_FAILED.name())) {
                final String text = new String(record.value(), java.nio.charset.StandardCharsets.UTF_8);
                final int at = text.indexOf("\"reason\":\"");
                final String reason = at < 0 ? "?" : text.substring(at + 10, text.indexOf('"', at + 10));
                refusals.computeIfAbsent(reason, r -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
            }
            if (record.topic().equals(Topics.INVENTORY_RESERVED.name())) {
                final long seq = Envelopes.orderSequence(record.value(), 's');
                if (seq >= 0 && seq < orders) {
                    reserved.getAndUpdate((int) (seq / 64), bits -> bits | 1L << (seq % 64));
                }
            }
        });
        final long closeAfter = (long) (rate / 2);
        final List<Sample> samples = new ArrayList<>();
        final long started = System.nanoTime();
        long nextSample = started;
        long nextToClose = 0;
        long closed = 0;
        long skipped = 0;
        final double nanosPerOrder = 1e9 / rate;
        for (long i = 0; nextToClose < orders; i++) {
            final long due = started + (long) (i * nanosPerOrder);
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(Math.min(due - System.nanoTime(), 1_000_000));
            }
            final long created = Math.min(i + 1, orders);
            if (i < orders) {
                final String orderId = "s" + i;
                producer.send(new ProducerRecord<>(Topics.ORDER_CREATED.name(), orderId,
                    Envelopes.orderCreated(orderId, Envelopes.productId(random.nextInt(PRODUCTS)))));
            }
            // At most two closes per create, so the closing events never come in bursts.
            for (int c = 0; c < 2 && nextToClose < created && (created - nextToClose > closeAfter || i >= orders)
                && nextToClose < orders; c++) {
                final long seq = nextToClose;
                final boolean isReserved = (reserved.get((int) (seq / 64)) & 1L << (seq % 64)) != 0;
                if (!isReserved && created - seq < rate * 30) {
                    break;
                }
                nextToClose++;
                if (!isReserved) {
                    skipped++;
                    continue;
                }
                final String orderId = "s" + seq;
                final int dice = (int) (seq * 2_654_435_761L % 100 + 100) % 100;
                if (dice < 55) {
                    producer.send(new ProducerRecord<>(Topics.ORDER_FULFILLED.name(), orderId,
                        Envelopes.orderFulfilled(orderId)));
                } else if (dice < 90) {
                    producer.send(new ProducerRecord<>(Topics.ORDER_CANCELLED.name(), orderId,
                        Envelopes.orderCancelled(orderId)));
                }
                closed++;
            }
            if (System.nanoTime() >= nextSample) {
                samples.add(sample(session, service, started, created, closed));
                nextSample = System.nanoTime() + SAMPLE_EVERY.toNanos();
            }
        }
        producer.flush();
        producer.close();
        final long settleUntil = System.nanoTime() + settle.plusSeconds(20).toNanos();
        while (System.nanoTime() < settleUntil) {
            LockSupport.parkNanos(SAMPLE_EVERY.toNanos());
            samples.add(sample(session, service, started, orders, closed));
        }
        LOG.info("steady state: {} orders, closed {}, never reserved within 30 s {}; reserved {}, fulfilled {}, "
                + "released {}, fulfilment failed {} {}, reservation failed {}", orders, closed, skipped,
            session.watcher().count(Topics.INVENTORY_RESERVED.name()), session.watcher().count(Topics.INVENTORY_FULFILLED.name()),
            session.watcher().count(Topics.INVENTORY_RELEASED.name()),
            session.watcher().count(Topics.INVENTORY_FULFILMENT_FAILED.name()), refusals,
            session.watcher().count(Topics.INVENTORY_RESERVATION_FAILED.name()));
        return samples;
    }

    private static Sample sample(final Session session, final InventoryService service, final long started,
                                 final long created, final long closed) {
        final Map<String, Long> records = new LinkedHashMap<>();
        for (final String store : STORES) {
            records.put(store, count(service.streams(), store));
        }
        double disk;
        try {
            disk = Footprint.diskMiB(session.dir().resolve("state-steady"));
        } catch (final java.io.IOException e) {
            disk = Double.NaN;
        }
        final Sample sample = new Sample((System.nanoTime() - started) / 1e9, created, closed, records, disk);
        LOG.info("steady state: t={} s created={} closed={} reserved={} fulfilled={} released={} records={} "
                + "disk={} MiB", String.format(Locale.ROOT, "%.0f", sample.seconds()), created, closed,
            session.watcher().count(Topics.INVENTORY_RESERVED.name()),
            session.watcher().count(Topics.INVENTORY_FULFILLED.name()),
            session.watcher().count(Topics.INVENTORY_RELEASED.name()), records,
            String.format(Locale.ROOT, "%.1f", disk));
        return sample;
    }

    /** The exact number of records in a store, over every local task (one instance holds them all). */
    private static long count(final KafkaStreams streams, final String store) {
        final ReadOnlyKeyValueStore<Object, Object> view = streams.store(StoreQueryParameters
            .fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
        long count = 0;
        try (KeyValueIterator<Object, Object> all = view.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }

    private static String json(final List<Sample> samples, final long orders, final double rate,
                               final Duration retention, final Duration ttl) {
        final ObjectNode root = Json.MAPPER.createObjectNode().put("orders", orders).put("rate", rate)
            .put("retention", retention.toString()).put("ttl", ttl.toString())
            .put("cores", Runtime.getRuntime().availableProcessors());
        final ArrayNode list = root.putArray("samples");
        for (final Sample sample : samples) {
            final ObjectNode node = list.addObject().put("seconds", sample.seconds())
                .put("ordersCreated", sample.ordersCreated()).put("closed", sample.closed())
                .put("diskMiB", sample.diskMiB());
            sample.records().forEach(node::put);
        }
        return root.toPrettyString();
    }

    /** The table: every sample's counts, and the peak of each store after the first retention against before. */
    private static String table(final List<Sample> samples, final long orders, final double rate,
                                final Duration retention, final Duration ttl) {
        final StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
            "Steady state: %,d one-line orders at %.0f orders/s (55%% fulfilled, 35%% cancelled, 10%% left to "
                + "expire), RETENTION %s, RESERVATION_TTL %s, %d cores%n%n", orders, rate, retention, ttl,
            Runtime.getRuntime().availableProcessors()));
        out.append("| t (s) | orders created | ");
        STORES.forEach(store -> out.append(store).append(" | "));
        out.append("state dir (MiB) |\n| ---: | ---: | ");
        STORES.forEach(store -> out.append("---: | "));
        out.append("---: |\n");
        for (final Sample sample : samples) {
            out.append(String.format(Locale.ROOT, "| %.0f | %,d | ", sample.seconds(), sample.ordersCreated()));
            sample.records().values().forEach(count -> out.append(String.format(Locale.ROOT, "%,d | ", count)));
            out.append(String.format(Locale.ROOT, "%.1f |%n", sample.diskMiB()));
        }
        return out.toString();
    }

    private static void plot(final List<Sample> samples, final Path file, final Duration retention)
        throws java.io.IOException {
        final XYChart chart = new XYChartBuilder().width(900).height(500)
            .title("Steady state: store records and state directory size (RETENTION " + retention + ")")
            .xAxisTitle("seconds (orders sent at a fixed rate, then a settling wait)").yAxisTitle("records").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        final List<Double> x = samples.stream().map(Sample::seconds).toList();
        for (final String store : STORES) {
            final XYSeries series = chart.addSeries(store, x,
                samples.stream().map(s -> (double) s.records().get(store)).toList());
            series.setMarker(SeriesMarkers.NONE);
        }
        final XYSeries disk = chart.addSeries("state dir MiB" + Plots.RIGHT_AXIS, x,
            samples.stream().map(Sample::diskMiB).toList());
        disk.setYAxisGroup(1);
        disk.setMarker(SeriesMarkers.NONE);
        chart.setYAxisGroupTitle(1, "MiB");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
