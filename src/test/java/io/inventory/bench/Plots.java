package io.inventory.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG plots of a run, drawn by XChart: bars for the throughput and query rows, lines for the series. A series
 * whose name ends with {@link #RIGHT_AXIS} is drawn against a second y axis.
 */
final class Plots {

    static final String RIGHT_AXIS = " (right axis)";
    private static final int WIDTH = 800;
    private static final int HEIGHT = 450;

    /** Chart name to its title and axis titles. */
    private static final Map<String, String[]> XY = new LinkedHashMap<>();

    static {
        XY.put("latency", new String[] {"Order to reserved latency (CO-corrected) vs offered rate",
            "offered orders/s", "ms"});
        XY.put("commit-interval", new String[] {"Commit interval: p99 latency and max throughput",
            "commit.interval.ms", "p99 ms", "orders/s"});
        XY.put("rss", new String[] {"RSS of one instance while loading products", "s", "MiB"});
        XY.put("growth", new String[] {"Growth with the number of products", "products", "MiB / ms",
            "orders/s"});
    }

    private Plots() {
    }

    /**
     * Redraws the plots of a run from its JSON, without running it again:
     * {@code java -cp ... io.inventory.bench.Plots bench/results/<stamp>.json}.
     */
    public static void main(final String[] args) throws IOException {
        final Path json = Path.of(args[0]);
        final com.fasterxml.jackson.databind.JsonNode root = io.inventory.serde.Json.MAPPER.readTree(json.toFile());
        final Report report = new Report(root.path("mode").asText(), root.path("started").asText());
        for (final com.fasterxml.jackson.databind.JsonNode row : root.path("rows")) {
            report.add(row.path("benchmark").asText(), row.path("figure").asText(), row.path("value").asDouble(),
                row.path("unit").asText(), row.path("ceiling").asText(""),
                row.path("ceilingValue").asDouble(Double.NaN), row.path("target").asText(""));
        }
        for (final com.fasterxml.jackson.databind.JsonNode line : root.path("series")) {
            final List<Double> x = new ArrayList<>();
            final List<Double> y = new ArrayList<>();
            line.path("x").forEach(v -> x.add(v.asDouble()));
            line.path("y").forEach(v -> y.add(v.asDouble()));
            report.series(line.path("chart").asText(), line.path("name").asText(), x, y);
        }
        final String stamp = json.getFileName().toString().replaceFirst("\\.json$", "");
        System.out.println(write(report, json.toAbsolutePath().getParent(), stamp));
    }

    /** Writes every plot that has data and returns the files written. */
    static List<Path> write(final Report report, final Path dir, final String prefix) throws IOException {
        final List<Path> written = new ArrayList<>();
        bars(report, "records/s", "Pipeline throughput: records/s on the broker", dir.resolve(prefix
            + "-throughput.png"), written);
        bars(report, "req/s", "Interactive queries: requests/s (closed loop)", dir.resolve(prefix
            + "-queries.png"), written);
        for (final Map.Entry<String, String[]> chart : XY.entrySet()) {
            final List<Report.Series> lines = report.series().stream()
                .filter(s -> s.chart().equals(chart.getKey()) && !s.x().isEmpty()).toList();
            if (lines.isEmpty()) {
                continue;
            }
            final String[] titles = chart.getValue();
            final XYChart xy = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(titles[0])
                .xAxisTitle(titles[1]).yAxisTitle(titles[2]).build();
            xy.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            xy.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            xy.getStyler().setXAxisDecimalPattern("#,##0.##");
            for (final Report.Series line : lines) {
                final XYSeries drawn = xy.addSeries(line.name(), line.x(), line.y());
                if (line.name().endsWith(RIGHT_AXIS)) {
                    drawn.setYAxisGroup(1);
                    xy.setYAxisGroupTitle(1, titles.length > 3 ? titles[3] : "");
                    xy.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
                }
                if (line.x().size() > 30) {
                    // Dense samples (RSS every 200 ms): a line without markers.
                    drawn.setMarker(SeriesMarkers.NONE);
                }
            }
            if (chart.getKey().equals("commit-interval") || chart.getKey().equals("growth")) {
                xy.getStyler().setXAxisLogarithmic(true);
            }
            final Path file = dir.resolve(prefix + "-" + chart.getKey() + ".png");
            BitmapEncoder.saveBitmap(xy, file.toString(), BitmapEncoder.BitmapFormat.PNG);
            written.add(file);
        }
        return written;
    }

    private static void bars(final Report report, final String unit, final String title, final Path file,
                             final List<Path> written) throws IOException {
        final List<Report.Row> rows = report.rows().stream().filter(r -> r.unit().equals(unit)).toList();
        if (rows.isEmpty()) {
            return;
        }
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .yAxisTitle(unit).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.addSeries(unit, rows.stream().map(row -> label(row.figure())).toList(),
            rows.stream().map(Report.Row::value).toList());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        written.add(file);
    }

    /** A bar's label: the table's figure, shortened so that rotated labels fit under their bars. */
    static String label(final String figure) {
        return figure.replaceAll(" \\(.*\\)$", "")
            .replace("1,000,000 products", "1M products").replace("1,000 products", "1k products")
            .replace("GET /inventory/{id} ", "").replace("GET ", "").replace(" to 2nd instance", "");
    }
}
