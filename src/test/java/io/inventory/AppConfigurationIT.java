package io.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service jar as an operator starts it: an invalid logging setting stops it with exit code 2 and one line on
 * stderr, and the logging settings of {@code CONFIG_FILE} are honoured. No broker is needed for either.
 */
class AppConfigurationIT {

    private static final Path JAR = Path.of(System.getProperty("service.jar", "target/inventory-service.jar"));

    @TempDir
    Path dir;

    private ProcessBuilder service(final Map<String, String> env) {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
            "-Djava.io.tmpdir=" + dir, "-jar", JAR.toString());
        for (final String inherited : List.of("CONFIG_FILE", "LOG_FORMAT", "LOG_LEVEL", "KAFKA_BROKERS")) {
            builder.environment().remove(inherited);
        }
        builder.environment().putAll(env);
        return builder;
    }

    @Test
    void shouldExitWithCodeTwoAndOneLineOnStderrForAnUnknownLogFormat() throws Exception {
        // given
        final Path out = dir.resolve("out.txt");
        final Path err = dir.resolve("err.txt");

        // when
        final Process process = service(Map.of("LOG_FORMAT", "bogus", "HTTP_PORT", "0"))
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();

        // then
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(out)).isEmpty();
        assertThat(Files.readAllLines(err)).containsExactly(
            "inventory-service: invalid configuration: LOG_FORMAT: must be one of text, json, got 'bogus'");
    }

    @Test
    void shouldExitWithCodeTwoForAnUnknownLogLevelInTheConfigFile() throws Exception {
        // given
        final Path file = Files.writeString(dir.resolve("service.properties"), "LOG_LEVEL=loud\n");
        final Path err = dir.resolve("err.txt");

        // when
        final Process process = service(Map.of("CONFIG_FILE", file.toString(), "HTTP_PORT", "0"))
            .redirectError(err.toFile()).start();

        // then
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readAllLines(err)).hasSize(1).first().asString()
            .startsWith("inventory-service: invalid configuration: LOG_LEVEL");
    }

    @Test
    void shouldLogJsonWhenTheConfigFileAsksForIt() throws Exception {
        // given: a broker that does not exist, so the admin client logs its connection failures at once
        final Path file = Files.writeString(dir.resolve("service.properties"),
            "LOG_FORMAT=json\nKAFKA_BROKERS=127.0.0.1:1\nHTTP_PORT=0\n");

        // when
        final Process process = service(Map.of("CONFIG_FILE", file.toString()))
            .redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
            final String first = lines.readLine();

            // then
            assertThat(first).isNotNull().startsWith("{").endsWith("}").contains("\"level\":\"WARN\"");
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
