package io.inventory.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP load: {@code threads} clients, each sending GET requests to the given URLs in turn, one at a
 * time, for {@code seconds} after a warm-up of the same length capped at 5 s. Prints requests per second, the
 * statuses seen and latency percentiles. Closed loop measures service time under that concurrency; it does not
 * correct for coordinated omission, so its tail is a lower bound of what an open-loop client would see.
 *
 * <pre>
 * mvn -q -o test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.inventory.bench.HttpLoad \
 *     -Dexec.args="4 20 http://localhost:8080/inventory/sku-1 http://localhost:8080/health/live"
 * </pre>
 * With several URLs each is measured on its own, one after the other.
 */
public final class HttpLoad {

    private HttpLoad() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: HttpLoad <threads> <seconds> <url>...");
            System.exit(2);
        }
        final int threads = Integer.parseInt(args[0]);
        final int seconds = Integer.parseInt(args[1]);
        for (final String url : Arrays.copyOfRange(args, 2, args.length)) {
            run(URI.create(url), threads, Math.min(5, seconds), false);
            final Result result = run(URI.create(url), threads, seconds, true);
            System.out.println(result.format(url, threads));
        }
    }

    /** What one measured run saw. */
    public record Result(long requests, long errors, double seconds, long[] sortedNanos) {

        public double perSecond() {
            return requests / seconds;
        }

        public double percentileMillis(final double percentile) {
            if (sortedNanos.length == 0) {
                return Double.NaN;
            }
            final int index = (int) Math.min(sortedNanos.length - 1,
                Math.ceil(percentile / 100.0 * sortedNanos.length) - 1);
            return sortedNanos[Math.max(0, index)] / 1e6;
        }

        String format(final String url, final int threads) {
            return String.format("%s threads=%d requests=%d non2xx=%d rps=%.0f p50=%.2fms p99=%.2fms p99.9=%.2fms "
                    + "max=%.2fms", url, threads, requests, errors, perSecond(), percentileMillis(50),
                percentileMillis(99), percentileMillis(99.9), percentileMillis(100));
        }
    }

    public static Result run(final URI uri, final int threads, final int seconds, final boolean record)
        throws InterruptedException {
        final long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        final AtomicLong errors = new AtomicLong();
        final List<long[]> perThread = new ArrayList<>();
        final List<Thread> workers = new ArrayList<>();
        final long started = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            final long[][] samples = {new long[1 << 16]};
            final int[] count = {0};
            final Thread worker = new Thread(() -> {
                final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                final HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
                while (System.nanoTime() < end) {
                    final long before = System.nanoTime();
                    try {
                        final HttpResponse<byte[]> response = client.send(request,
                            HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() / 100 != 2) {
                            errors.incrementAndGet();
                        }
                    } catch (final IOException e) {
                        errors.incrementAndGet();
                    } catch (final InterruptedException e) {
                        return;
                    }
                    if (record) {
                        if (count[0] == samples[0].length) {
                            samples[0] = Arrays.copyOf(samples[0], samples[0].length * 2);
                        }
                        samples[0][count[0]++] = System.nanoTime() - before;
                    }
                }
                synchronized (perThread) {
                    perThread.add(Arrays.copyOf(samples[0], count[0]));
                }
            }, "load-" + t);
            worker.start();
            workers.add(worker);
        }
        for (final Thread worker : workers) {
            worker.join();
        }
        final double elapsed = (System.nanoTime() - started) / 1e9;
        final long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(all.length, errors.get(), elapsed, all);
    }
}
