package io.inventory.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * HTTP load for the query benchmarks, two ways: a closed loop for the most requests/s the server answers, and a
 * fixed rate for latency. The fixed rate times each request from when its schedule said to send it, so a slow answer
 * delays, and is charged to, every request queued behind it (the coordinated-omission correction of wrk2).
 */
final class HttpBench {

    /** Requests per second answered, and the non-2xx answers or I/O errors among them. */
    record Throughput(double perSecond, long errors) {
    }

    /** Latencies (nanoseconds) at a fixed rate, and the failed requests. */
    record Latency(Histogram histogram, long errors) {
        double millis(final double percentile) {
            return histogram.getValueAtPercentile(percentile) / 1e6;
        }
    }

    private HttpBench() {
    }

    static Throughput closedLoop(final List<URI> uris, final int threads, final Duration duration)
        throws InterruptedException {
        final AtomicLong done = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final long end = System.nanoTime() + duration.toNanos();
        final long started = System.nanoTime();
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int offset = t;
            final Thread worker = new Thread(() -> {
                final HttpClient client = client();
                for (int i = offset; System.nanoTime() < end; i += threads) {
                    if (!send(client, uris.get(i % uris.size()))) {
                        errors.incrementAndGet();
                    }
                    done.incrementAndGet();
                }
            }, "bench-http-" + t);
            worker.start();
            workers.add(worker);
        }
        for (final Thread worker : workers) {
            worker.join();
        }
        return new Throughput(done.get() / ((System.nanoTime() - started) / 1e9), errors.get());
    }

    static Latency fixedRate(final List<URI> uris, final int threads, final double perSecond,
                             final Duration duration) throws InterruptedException {
        final Histogram histogram = new Histogram(60_000_000_000L, 3);
        final AtomicLong errors = new AtomicLong();
        final long intervalNanos = (long) (1e9 * threads / perSecond);
        final long count = Math.max(1, (long) (perSecond * duration.toNanos() / 1e9 / threads));
        final long start = System.nanoTime() + 10_000_000L;
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int offset = t;
            final Thread worker = new Thread(() -> {
                final HttpClient client = client();
                final Histogram mine = new Histogram(60_000_000_000L, 3);
                // Threads are staggered so the schedule is even across them.
                final long first = start + offset * intervalNanos / threads;
                for (long i = 0; i < count; i++) {
                    final long intended = first + i * intervalNanos;
                    final long wait = intended - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (!send(client, uris.get((int) ((i * threads + offset) % uris.size())))) {
                        errors.incrementAndGet();
                    }
                    mine.recordValue(Math.max(0, System.nanoTime() - intended));
                }
                synchronized (histogram) {
                    histogram.add(mine);
                }
            }, "bench-http-rate-" + t);
            worker.start();
            workers.add(worker);
        }
        for (final Thread worker : workers) {
            worker.join();
        }
        return new Latency(histogram, errors.get());
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
            .build();
    }

    /** True for a 2xx answer. */
    static boolean send(final HttpClient client, final URI uri) {
        try {
            final HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).timeout(
                Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() / 100 == 2;
        } catch (final IOException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
