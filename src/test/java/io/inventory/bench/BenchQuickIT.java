package io.inventory.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.serde.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs the benchmark suite in its quick mode ({@code bench/run.sh --quick}) inside {@code mvn verify}, so the
 * benchmarks cannot rot: every benchmark must run, produce sane figures, and write its JSON, table and plots.
 * It asserts no performance target: the build machines are shared and noisy, and the targets are judged on the
 * committed full run. Takes about 2 to 3 minutes on 2 cores.
 */
class BenchQuickIT {

    private static final Set<String> BENCHMARKS = Set.of("throughput", "latency", "queries", "restore",
        "commit interval", "footprint", "growth");

    @Test
    void shouldRunEveryBenchmarkInQuickModeAndWriteTheResults() throws Exception {
        // given
        final Path target = Path.of(System.getProperty("java.io.tmpdir"));
        final Path jar = Path.of(System.getProperty("service.jar", "target/inventory-service.jar"));

        // when
        final Bench.Result result = Bench.run(true, target.resolve("bench-it"), target.resolve("bench-it-work"),
            jar, null, "quick-it");

        // then
        final Report report = result.report();
        assertThat(report.missing()).as("benchmarks that failed or were incomplete").isEmpty();
        assertThat(report.rows().stream().map(Report.Row::benchmark).collect(Collectors.toSet()))
            .containsAll(BENCHMARKS);
        assertThat(report.rows()).allSatisfy(row -> assertThat(row.value()).as(row.figure()).isNotNaN());
        final List<Report.Row> rates = report.rows().stream()
            .filter(row -> row.unit().endsWith("/s")).toList();
        assertThat(rates).hasSizeGreaterThan(10)
            .allSatisfy(row -> assertThat(row.value()).as(row.benchmark() + ": " + row.figure()).isPositive());
        assertThat(report.rows()).filteredOn(row -> row.unit().equals("MiB") && row.figure().startsWith("RSS"))
            .isNotEmpty()
            .allSatisfy(row -> assertThat(row.value()).as(row.figure()).isBetween(50.0, 4096.0));

        final JsonNode json = Json.MAPPER.readTree(result.json().toFile());
        assertThat(json.get("mode").asText()).isEqualTo("quick");
        assertThat(json.get("rows")).hasSize(report.rows().size());
        assertThat(Files.readString(result.table())).contains("| throughput | EOS single-line, backlog |");
        assertThat(result.plots()).hasSize(6).allSatisfy(plot -> assertThat(Files.size(plot)).isPositive());
    }
}
