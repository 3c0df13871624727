package io.inventory.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.eclipse.jetty.io.EofException;
import org.junit.jupiter.api.Test;

/** Which errors Jetty raises around the API are the service's fault, and which the connection's. */
class JsonErrorsTest {

    @Test
    void shouldAnswerA503WhenTheConnectionBrokeWhileAnswering() {
        assertThat(JsonErrors.status(500, new EofException("reset"))).isEqualTo(503);
        assertThat(JsonErrors.status(500, new IllegalStateException(new UncheckedIOException(new IOException()))))
            .isEqualTo(503);
    }

    @Test
    void shouldKeepEveryOtherStatus() {
        assertThat(JsonErrors.status(500, new IllegalStateException("bug"))).isEqualTo(500);
        assertThat(JsonErrors.status(500, null)).isEqualTo(500);
        assertThat(JsonErrors.status(400, new EofException("early EOF"))).isEqualTo(400);
        assertThat(JsonErrors.status(431, null)).isEqualTo(431);
    }
}
