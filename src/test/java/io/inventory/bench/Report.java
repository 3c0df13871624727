package io.inventory.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inventory.serde.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one run measured: rows of the table (each figure next to the ceiling it is compared with, measured in the
 * same run), series for the plots, and the benchmarks that could not run, with the reason.
 */
final class Report {

    /** One figure; {@code ceiling} is NaN when the figure has no ceiling to be compared with. */
    record Row(String benchmark, String figure, double value, String unit, String ceilingName, double ceiling,
               String target) {

        double ratio() {
            return Double.isNaN(ceiling) || ceiling == 0 ? Double.NaN : value / ceiling;
        }
    }

    /** One plotted line: x and y values and the chart it belongs to. */
    record Series(String chart, String name, List<Double> x, List<Double> y) {
    }

    private final String mode;
    private final String started;
    private final List<Row> rows = new ArrayList<>();
    private final List<Series> series = new ArrayList<>();
    private final Map<String, String> missing = new LinkedHashMap<>();
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    Report(final String mode, final String started) {
        this.mode = mode;
        this.started = started;
    }

    String mode() {
        return mode;
    }

    synchronized void add(final String benchmark, final String figure, final double value, final String unit) {
        rows.add(new Row(benchmark, figure, value, unit, "", Double.NaN, ""));
    }

    synchronized void add(final String benchmark, final String figure, final double value, final String unit,
                          final String ceilingName, final double ceiling, final String target) {
        rows.add(new Row(benchmark, figure, value, unit, ceilingName, ceiling, target));
    }

    synchronized void series(final String chart, final String name, final List<Double> x, final List<Double> y) {
        series.add(new Series(chart, name, List.copyOf(x), List.copyOf(y)));
    }

    synchronized void missing(final String benchmark, final String why) {
        missing.put(benchmark, why);
    }

    synchronized void took(final String benchmark, final double secs) {
        seconds.put(benchmark, secs);
    }

    synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    synchronized List<Series> series() {
        return List.copyOf(series);
    }

    synchronized Map<String, String> missing() {
        return Map.copyOf(missing);
    }

    /** The table as Markdown: the README shows it as printed. */
    synchronized String table() {
        final StringBuilder out = new StringBuilder();
        out.append("| benchmark | figure | value | ceiling (same run) | ratio | target |\n");
        out.append("| --- | --- | ---: | --- | ---: | --- |\n");
        for (final Row row : rows) {
            out.append("| ").append(row.benchmark()).append(" | ").append(row.figure()).append(" | ")
                .append(number(row.value())).append(' ').append(row.unit()).append(" | ")
                .append(row.ceilingName().isEmpty() ? "" : row.ceilingName() + " " + number(row.ceiling()))
                .append(" | ").append(Double.isNaN(row.ratio()) ? "" : String.format(Locale.ROOT, "%.2f", row.ratio()))
                .append(" | ").append(row.target()).append(" |\n");
        }
        missing.forEach((benchmark, why) -> out.append("| ").append(benchmark).append(" | not measured | | | | ")
            .append(why.replace('|', '/').replace('\n', ' ')).append(" |\n"));
        return out.toString();
    }

    static String number(final double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    synchronized void writeJson(final Path file) throws IOException {
        final ObjectNode root = Json.MAPPER.createObjectNode().put("mode", mode).put("started", started)
            .put("cores", Runtime.getRuntime().availableProcessors())
            .put("java", System.getProperty("java.version"));
        final ArrayNode table = root.putArray("rows");
        for (final Row row : rows) {
            final ObjectNode node = table.addObject().put("benchmark", row.benchmark()).put("figure", row.figure())
                .put("value", row.value()).put("unit", row.unit());
            if (!row.ceilingName().isEmpty()) {
                node.put("ceiling", row.ceilingName()).put("ceilingValue", row.ceiling()).put("ratio", row.ratio());
            }
            if (!row.target().isEmpty()) {
                node.put("target", row.target());
            }
        }
        final ArrayNode plotted = root.putArray("series");
        for (final Series s : series) {
            final ObjectNode node = plotted.addObject().put("chart", s.chart()).put("name", s.name());
            s.x().forEach(node.putArray("x")::add);
            s.y().forEach(node.putArray("y")::add);
        }
        final ObjectNode notMeasured = root.putObject("missing");
        missing.forEach(notMeasured::put);
        final ObjectNode took = root.putObject("seconds");
        seconds.forEach(took::put);
        Files.createDirectories(file.getParent());
        Files.writeString(file, Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT)
            .writeValueAsString(root.deepCopy()).replace("NaN", "null"));
    }
}
